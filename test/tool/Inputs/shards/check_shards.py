#!/usr/bin/env python3
"""check_shards.py ALL.json SHARD.json...: the "units" of the shards' reports
are disjoint and together those of the unsharded report; each shard says
which it is. Prints one line per shard and "partition ok"."""
import json
import sys

whole = json.load(open(sys.argv[1]))
seen = {}
for i, path in enumerate(sys.argv[2:], 1):
    report = json.load(open(path))
    want = "%d/%d" % (i, len(sys.argv) - 2)
    if report.get("shard") != want:
        sys.exit("%s: shard is %r, expected %r" % (path, report.get("shard"), want))
    for unit in report["units"]:
        if unit in seen:
            sys.exit("%s is in shards %s and %d" % (unit, seen[unit], i))
        seen[unit] = i
    print("shard %s: %d units" % (want, len(report["units"])))
if sorted(seen) != sorted(whole["units"]):
    sys.exit("the shards' units %s are not all units %s" % (sorted(seen), whole["units"]))
print("partition ok: %d units" % len(seen))
