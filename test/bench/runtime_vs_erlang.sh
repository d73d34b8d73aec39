#!/bin/sh
# Benchmarks the peer runtime's call round trip and message throughput side
# by side with Erlang/OTP's gen_server:call and ! on the same machine.
#   test/bench/runtime_vs_erlang.sh [RUNTIME_BENCH_BINARY]
# Default binary: build/bin/runtime-bench (build it first: ninja runtime-bench).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
bench=${1:-$here/../../build/bin/runtime-bench}
[ -x "$bench" ] || { echo "runtime-bench not found at $bench (pass its path)" >&2; exit 2; }
command -v erlc >/dev/null || { echo "erlc not found (install erlang-base)" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

erlc -o "$work" "$here/runtime_bench_erl.erl"
# Side by side: three rounds, each running Erlang's best of 5 and then our 5
# repetitions (single runs each, like Erlang's), so that a change in the
# machine's load hits both sides alike. The fastest run of each side counts.
rounds=${PEER_BENCH_ROUNDS:-3}
i=0
while [ "$i" -lt "$rounds" ]; do
  erl -noshell -pa "$work" -run runtime_bench_erl main > "$work/erlang.$i.txt"
  "$bench" --benchmark_filter='BM_CallRoundTrip|BM_MessageThroughput' --benchmark_repetitions=5 \
    --benchmark_min_time=0.000001 --benchmark_format=json > "$work/peer.$i.json" 2>/dev/null
  i=$((i + 1))
done

python3 - "$work" "$rounds" <<'PY'
import json, os, sys
work, rounds = sys.argv[1], int(sys.argv[2])
peers = [json.load(open(os.path.join(work, "peer.%d.json" % i))) for i in range(rounds)]
erls = [dict(line.split(None, 1) for line in open(os.path.join(work, "erlang.%d.txt" % i)).read().splitlines())
        for i in range(rounds)]
peer = peers[0]
erl = erls[0]
def best(name, counter, pick):
    values = [b[counter] for p in peers for b in p["benchmarks"]
              if b["run_name"] == name and b.get("run_type") == "iteration"]
    return pick(values)
call1 = 1e9 / best("BM_CallRoundTrip/1/real_time", "calls_per_s", max)
call2 = 1e9 / best("BM_CallRoundTrip/2/real_time", "calls_per_s", max)
msg1 = best("BM_MessageThroughput/1/real_time", "msgs_per_s", max)
msg2 = best("BM_MessageThroughput/2/real_time", "msgs_per_s", max)
ecall = min(float(e["erlang_ns_per_call"]) for e in erls)
emsg = max(float(e["erlang_msgs_per_s"]) for e in erls)
print("machine: %s cores; Erlang/OTP %s with %s schedulers" % (peer["context"]["num_cpus"], erl["erlang_otp"].strip(), erl["erlang_schedulers"].strip()))
print("%-34s %14s %14s %16s" % ("benchmark", "peer runtime", "Erlang/OTP", "peer speed-up"))
print("%-34s %14.0f %14.0f %15.2fx" % ("call round trip, ns (1 worker)", call1, ecall, ecall / call1))
print("%-34s %14.0f %14.0f %15.2fx" % ("call round trip, ns (2 workers)", call2, ecall, ecall / call2))
print("%-34s %14.2f %14.2f %15.2fx" % ("messages, millions/s (1 worker)", msg1 / 1e6, emsg / 1e6, msg1 / emsg))
print("%-34s %14.2f %14.2f %15.2fx" % ("messages, millions/s (2 workers)", msg2 / 1e6, emsg / 1e6, msg2 / emsg))
PY
