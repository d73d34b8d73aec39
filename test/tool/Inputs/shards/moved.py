#!/usr/bin/env python3
"""moved.py N BEFORE-1.json .. BEFORE-N.json AFTER-1.json .. AFTER-N.json:
how many units that exist in both sets of shard reports changed shard, and
whether each set is balanced by file size."""
import json
import os
import sys

n = int(sys.argv[1])
def shards(paths):
    where = {}
    for i, path in enumerate(paths, 1):
        for unit in json.load(open(path))["units"]:
            where[unit] = i
    return where
before = shards(sys.argv[2:2 + n])
after = shards(sys.argv[2 + n:2 + 2 * n])
moved = sorted(u for u in before if u in after and before[u] != after[u])
print("moved: %d of %d" % (len(moved), len(before)))
# The bound of the assignment: no shard over 1.25 x the mean size (these
# units are all far smaller than the bound).
for label, paths in (("before", sys.argv[2:2 + n]), ("after", sys.argv[2 + n:2 + 2 * n])):
    loads = []
    for path in paths:
        report = json.load(open(path))
        sizes = [os.path.getsize(os.path.join(report["root"], u)) for u in report["units"]]
        loads.append(sum(sizes))
    bound = 1.25 * sum(loads) / n + 1
    print("%s: %s" % (label, "balanced" if max(loads) <= bound else
                      "unbalanced %s > %d" % (loads, bound)))
