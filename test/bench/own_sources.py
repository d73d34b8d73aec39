#!/usr/bin/env python3
"""Cost of peer-tidy on this repository's own C++ sources (the runtime, the
explorer and the examples), measured side by side in one run against the
parse alone:
  (a) clang++-N -fsyntax-only with the file's own flags
  (b) peer-tidy FILE -- <the same flags> (all peer-* checks)
The flags are given on the command line rather than through -p because the
build's database lists each runtime file three times (plain, ASan, TSan
flavours), and clang-tidy's engine analyses every command it finds.
Each command runs REPEATS times (default 3); the minimum wall time and peak
RSS per file are kept. Prints per-file rows and totals with the b/a ratios.

  test/bench/own_sources.py BUILD_DIR LLVM_MAJOR
"""
import json
import os
import re
import shlex
import subprocess
import sys


def measure(cmd, repeats):
    best_time, best_rss = None, None
    for _ in range(repeats):
        out = subprocess.run(["/usr/bin/time", "-f", "%e %M"] + cmd,
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                             universal_newlines=True).stderr.strip().splitlines()[-1]
        seconds, rss = out.split()
        best_time = min(best_time or 1e9, float(seconds))
        best_rss = min(best_rss or 1e12, int(rss))
    return best_time, best_rss


def main():
    build, llvm = sys.argv[1], sys.argv[2]
    repeats = int(os.environ.get("REPEATS", "3"))
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    peer_tidy = os.path.join(build, "bin", "peer-tidy")
    with open(os.path.join(build, "compile_commands.json")) as f:
        entries = json.load(f)
    seen, files = set(), []
    for e in entries:
        path = e["file"]
        # The plain runtime library and the explorer: one flavour of each file.
        if ("/runtime/" in path and "peer_runtime.dir" in e.get("command", "")) \
                or "/explore/main.cpp" in path:
            if path not in seen:
                seen.add(path)
                files.append(e)
    total = [0.0, 0, 0.0, 0]
    print("%-40s %8s %8s %6s %9s %9s %6s" % ("file", "parse s", "peer s", "time", "parse MB", "peer MB", "mem"))
    for e in files:
        args = shlex.split(e["command"]) if "command" in e else e["arguments"]
        flags = [a for a in args[1:] if a.startswith(("-I", "-D", "-std="))]
        a = measure(["clang++-" + llvm, "-fsyntax-only"] + flags + [e["file"]], repeats)
        b = measure([peer_tidy, "--quiet", e["file"], "--"] + flags, repeats)
        name = os.path.relpath(e["file"], root)
        print("%-40s %8.2f %8.2f %6.2f %9.0f %9.0f %6.2f" % (
            name, a[0], b[0], b[0] / a[0], a[1] / 1024, b[1] / 1024, b[1] / a[1]))
        total[0] += a[0]; total[1] = max(total[1], a[1])
        total[2] += b[0]; total[3] = max(total[3], b[1])
    print("%-40s %8.2f %8.2f %6.2f %9.0f %9.0f %6.2f" % (
        "total (time) / max (memory)", total[0], total[2], total[2] / total[0],
        total[1] / 1024, total[3] / 1024, total[3] / total[1]))


if __name__ == "__main__":
    main()
