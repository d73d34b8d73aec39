#!/usr/bin/env python3
"""Cost of the analysis on one long function, against the parse alone.

Generates a function of N lookups, each followed by a branchy call or monitor
of the same key (the shape of generated dispatchers and long tests), and runs,
side by side, `clang++ -fsyntax-only` and `peer-tidy` on it, printing time and
peak memory of each and their ratios, for each N.

  test/bench/long_function.py --peer-tidy build/llvm19/bin/peer-tidy \
      --clang clang++-19 [--sizes 100,250,500,1000] [--repeat 3]

Issue 12 item 13's goal: at N=1000 peer-tidy within 2x the parse's time and
1.5x its memory; from N=250 to N=1000 no worse than 5x in time.
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile

HEADER = """#include <peer/annotations.h>
struct Pid { explicit operator bool() const; };
struct Runtime {
  PEER_LOOKUP Pid whereis(int key);
  PEER_CALL(0) int call(Pid p, int request);
  PEER_MONITOR(0) void monitor(Pid p);
};
"""


def source(n, shape="one-key"):
    """one-key: the issue's shape, one key looked up N times, racy (about 2N
    findings). distinct-keys: N keys each looked up once, monitored before
    the call (no finding): the cost of the analysis alone, and the shape
    whose per-key facts grew quadratically before key liveness."""
    lines = [HEADER, "void dispatch(Runtime &rt, int x, int k) {"]
    for i in range(n):
        if shape == "one-key":
            lines.append(
                "  auto p%d = rt.whereis(k);\n"
                "  if (x == %d) { if (p%d) rt.call(p%d, %d); } else { if (p%d) rt.monitor(p%d); }"
                % (i, i, i, i, i, i, i))
        else:
            lines.append(
                "  auto p%d = rt.whereis(k + %d);\n"
                "  if (p%d) { rt.monitor(p%d); if (x == %d) rt.call(p%d, %d); }"
                % (i, i, i, i, i, i, i))
    lines.append("}")
    return "\n".join(lines) + "\n"


def measure(cmd):
    """(seconds, peak KiB) of one run, from GNU time."""
    proc = subprocess.run(["/usr/bin/time", "-f", "%e %M"] + cmd,
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                          universal_newlines=True)
    last = proc.stderr.strip().splitlines()[-1]
    m = re.match(r"^([0-9.]+) ([0-9]+)$", last)
    if not m:
        sys.exit("could not measure %s:\n%s" % (cmd[0], proc.stderr))
    return float(m.group(1)), int(m.group(2))


def best(cmd, repeat):
    runs = [measure(cmd) for _ in range(repeat)]
    return min(r[0] for r in runs), min(r[1] for r in runs)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--peer-tidy", required=True)
    ap.add_argument("--clang", required=True)
    ap.add_argument("--include", default=os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "..", "..", "include"))
    ap.add_argument("--sizes", default="100,250,500,1000")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    flags = ["-std=c++20", "-I" + args.include]
    for shape in ("one-key", "distinct-keys"):
        print("shape: %s" % shape)
        print("%6s %10s %10s %10s %10s %8s %8s" % (
            "N", "parse s", "peer s", "parse MiB", "peer MiB", "time x", "mem x"))
        times = {}
        with tempfile.TemporaryDirectory() as tmp:
            for n in [int(s) for s in args.sizes.split(",")]:
                path = os.path.join(tmp, "long_%d.cpp" % n)
                with open(path, "w") as f:
                    f.write(source(n, shape))
                parse = best([args.clang, "-fsyntax-only"] + flags + [path], args.repeat)
                peer = best([args.peer_tidy, "--quiet", path, "--"] + flags, args.repeat)
                times[n] = peer[0]
                print("%6d %10.2f %10.2f %10.1f %10.1f %8.2f %8.2f" % (
                    n, parse[0], peer[0], parse[1] / 1024, peer[1] / 1024,
                    peer[0] / max(parse[0], 0.01), peer[1] / max(parse[1], 1)))
        if 250 in times and 1000 in times:
            print("growth of peer-tidy's time from N=250 to N=1000: %.2fx"
                  % (times[1000] / max(times[250], 0.01)))


if __name__ == "__main__":
    main()
