#!/usr/bin/env python3
"""moved.py N BEFORE-1.json .. BEFORE-N.json AFTER-1.json .. AFTER-N.json:
how many units that exist in both sets of shard reports changed shard."""
import json
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
