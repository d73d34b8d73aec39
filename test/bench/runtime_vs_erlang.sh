#!/bin/sh
# Benchmarks the peer runtime side by side with Erlang/OTP on the same
# machine: call round trip (gen_server:call), message throughput one to one
# and many to one (8 senders), a token around a ring of 1 000 processes, and
# spawn+exit. Ours with 1 and 2 worker threads, Erlang's with +S 1 and +S 2.
#   test/bench/runtime_vs_erlang.sh [RUNTIME_BENCH_BINARY]
# Default binary: build/bin/runtime-bench (build it first: ninja runtime-bench).
# PEER_BENCH_ROUNDS (default 3): rounds of both sides.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
bench=${1:-$here/../../build/bin/runtime-bench}
[ -x "$bench" ] || { echo "runtime-bench not found at $bench (pass its path)" >&2; exit 2; }
command -v erlc >/dev/null || { echo "erlc not found (install erlang-base)" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

erlc -o "$work" "$here/runtime_bench_erl.erl"
# Side by side: each round runs Erlang's best of 5 (with 1, then 2
# schedulers) and then our 5 repetitions (single runs each, like Erlang's),
# so that a change in the machine's load hits both sides alike. The fastest
# run of each side counts.
rounds=${PEER_BENCH_ROUNDS:-3}
i=0
while [ "$i" -lt "$rounds" ]; do
  for s in 1 2; do
    erl +S "$s" -noshell -pa "$work" -run runtime_bench_erl main > "$work/erlang.$s.$i.txt"
  done
  "$bench" --benchmark_filter='BM_CallRoundTrip|BM_MessageThroughput|BM_ManyToOne|BM_Ring|BM_SpawnMonitorExit' \
    --benchmark_repetitions=5 --benchmark_min_time=0.000001 --benchmark_format=json > "$work/peer.$i.json" 2>/dev/null
  i=$((i + 1))
done

python3 - "$work" "$rounds" <<'PY'
import json, os, sys
work, rounds = sys.argv[1], int(sys.argv[2])
peers = [json.load(open(os.path.join(work, "peer.%d.json" % i))) for i in range(rounds)]
def erl(s):
    return [dict(line.split(None, 1) for line in open(os.path.join(work, "erlang.%d.%d.txt" % (s, i))).read().splitlines())
            for i in range(rounds)]
erls = {1: erl(1), 2: erl(2)}
def best(name, counter):
    values = [b[counter] for p in peers for b in p["benchmarks"]
              if b["run_name"] == name and b.get("run_type") == "iteration"]
    return max(values)
def ebest(s, key, pick=max):
    return pick(float(e[key]) for e in erls[s])
print("machine: %s cores; Erlang/OTP %s; ours with N worker threads, Erlang with +S N"
      % (peers[0]["context"]["num_cpus"], erls[1][0]["erlang_otp"].strip()))
print("%-38s %14s %14s %14s" % ("benchmark", "peer runtime", "Erlang/OTP", "peer speed-up"))
rows = [
    # label, ours (benchmark, counter, scale), Erlang's key, lower is better
    ("call round trip, ns", "BM_CallRoundTrip/%d/real_time", "calls_per_s", "erlang_ns_per_call", True),
    ("messages 1 to 1, millions/s", "BM_MessageThroughput/%d/real_time", "msgs_per_s", "erlang_msgs_per_s", False),
    ("messages 8 to 1, millions/s", "BM_ManyToOne/%d/real_time", "msgs_per_s", "erlang_many_to_one_msgs_per_s", False),
    ("ring of 1000, million hops/s", "BM_Ring/%d/manual_time", "hops_per_s", "erlang_ring_hops_per_s", False),
    ("spawn+monitor+exit, thousands/s", "BM_SpawnMonitorExit/%d/real_time", "spawns_per_s", "erlang_spawns_per_s", False),
]
for label, name, counter, key, ns in rows:
    for n in (1, 2):
        ours = best(name % n, counter)
        if ns:
            ours_v, theirs_v = 1e9 / ours, ebest(n, key, min)
            ratio = theirs_v / ours_v
            fmt = "%-38s %14.0f %14.0f %13.2fx"
        else:
            scale = 1e3 if "thousands" in label else 1e6
            ours_v, theirs_v = ours / scale, ebest(n, key) / scale
            ratio = ours_v / theirs_v
            fmt = "%-38s %14.2f %14.2f %13.2fx"
        print(fmt % ("%s (%d)" % (label, n), ours_v, theirs_v, ratio))
PY
