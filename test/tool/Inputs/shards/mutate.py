#!/usr/bin/env python3
"""mutate.py PEER-TIDY REPORT.json WORKDIR COUNT: merges COUNT mutations of a
shard report (a field deleted, or replaced by a value of another type, a
negative, huge or overflowing number, a string of another shape), each on
its own. Every merge must end with an exit code of 0-3, never a signal, and
every exit 2 must say "cannot merge". Prints a tally."""
import copy
import json
import os
import random
import subprocess
import sys

peer_tidy, source, workdir, count = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
report = json.load(open(source))
rng = random.Random(13)
VALUES = [None, True, -1, 0, 2**32 - 1, 2**32, 2**63, 1.5, "", "x", "1/0", "9/3",
          [], {}, ["a", 1], {"file": 1}]


def places(node, path=()):
    yield path
    if isinstance(node, dict):
        for k, v in node.items():
            yield from places(v, path + (k,))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from places(v, path + (i,))


paths = [p for p in places(report) if p]
tally = {}
for n in range(count):
    doc = copy.deepcopy(report)
    path = rng.choice(paths)
    parent = doc
    for key in path[:-1]:
        parent = parent[key]
    if rng.random() < 0.25 and isinstance(parent, dict):
        del parent[path[-1]]
    else:
        parent[path[-1]] = rng.choice(VALUES)
    name = os.path.join(workdir, "mutant%d.json" % n)
    with open(name, "w") as f:
        json.dump(doc, f)
    run = subprocess.run([peer_tidy, "merge", "--quiet", "--format=sarif", name],
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if run.returncode not in (0, 1, 2, 3):
        sys.exit("%s (%s = %r): exit %d\n%s" % (name, path, parent.get(path[-1]) if isinstance(parent, dict) else None,
                                               run.returncode, run.stderr))
    if run.returncode == 2 and "cannot merge" not in run.stderr:
        sys.exit("%s: exit 2 without a reason: %s" % (name, run.stderr))
    tally[run.returncode] = tally.get(run.returncode, 0) + 1
print("mutants: %d, exit codes in 0-3, every rejection names the report" % count)
print("by exit code: %s" % " ".join("%d:%d" % kv for kv in sorted(tally.items())), file=sys.stderr)
