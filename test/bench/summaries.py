#!/usr/bin/env python3
"""Cost of cross-unit summaries (issue 10): a whole `peer-tidy -p DB` run with
summaries (the default: every unit, then again each unit that calls a wrapper
another unit defines) against the same run with --cross-unit-summaries=false
(today's single pass), side by side, alternating, REPEATS times (default 3);
the minimum wall time and peak RSS of each are kept. Two corpora:
  * caf: the 26 CAF examples (test/caf/make_compdb.sh), PeerProfiles: caf;
  * own: this repository's runtime and explorer sources, one entry per file,
    from the build's compile_commands.json.
Prints one row per corpus with the ratios on/off (goal: time <= 1.15).

  test/bench/summaries.py BUILD_DIR LLVM_MAJOR
"""
import json
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def measure(cmd, repeats, runs):
    best = None
    for _ in range(repeats):
        proc = subprocess.run(["/usr/bin/time", "-f", "%e %M"] + cmd,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                              universal_newlines=True)
        seconds, rss = proc.stderr.strip().splitlines()[-1].split()
        runs.append((float(seconds), int(rss)))
        best = (min(best[0], float(seconds)), min(best[1], int(rss))) if best else (float(seconds), int(rss))
    return best


def own_database(build, out_dir):
    with open(os.path.join(build, "compile_commands.json")) as f:
        entries = json.load(f)
    seen, chosen = set(), []
    for e in entries:
        path = e["file"]
        if (("/runtime/" in path and "peer_runtime.dir" in e.get("command", ""))
                or "/explore/main.cpp" in path) and path not in seen:
            seen.add(path)
            chosen.append(e)
    with open(os.path.join(out_dir, "compile_commands.json"), "w") as f:
        json.dump(chosen, f)
    return len(chosen)


def main():
    build, llvm = sys.argv[1], sys.argv[2]
    repeats = int(os.environ.get("REPEATS", "3"))
    jobs = os.environ.get("JOBS", "2")
    peer_tidy = os.path.join(build, "bin", "peer-tidy")
    print("%-6s %6s %9s %9s %6s %9s %9s %6s" % (
        "corpus", "units", "single s", "summ s", "time", "single MB", "summ MB", "mem"))
    with tempfile.TemporaryDirectory() as tmp:
        corpora = []
        caf = os.path.join(tmp, "caf")
        os.makedirs(caf)
        if subprocess.run(["bash", os.path.join(ROOT, "test/caf/make_compdb.sh"), caf,
                           "clang++-" + llvm]).returncode == 0:
            units = len(json.load(open(os.path.join(caf, "compile_commands.json"))))
            corpora.append(("caf", caf, units, ["--config={CheckOptions: {PeerProfiles: caf}}"]))
        own = os.path.join(tmp, "own")
        os.makedirs(own)
        corpora.append(("own", own, own_database(build, own), []))
        for name, db, units, extra in corpora:
            base = [peer_tidy, "--quiet", "-j", jobs, "-p", db] + extra
            single, summ = [], []
            # Alternate the two so that background load hits both alike.
            a = b = None
            for _ in range(repeats):
                ra = measure(base + ["--cross-unit-summaries=false"], 1, single)
                rb = measure(base, 1, summ)
                a = (min(a[0], ra[0]), min(a[1], ra[1])) if a else ra
                b = (min(b[0], rb[0]), min(b[1], rb[1])) if b else rb
            print("%-6s %6d %9.2f %9.2f %6.2f %9.0f %9.0f %6.2f" % (
                name, units, a[0], b[0], b[0] / a[0], a[1] / 1024, b[1] / 1024, b[1] / a[1]))


if __name__ == "__main__":
    main()
