#!/usr/bin/env bash
# Cold and warm runs of peer-tidy --cache-dir over the CAF example corpus:
#   test/bench/cli_cache.sh PEER_TIDY LLVM_MAJOR [JOBS]    (JOBS: all cores)
# Cold: empty cache. Warm: the same tree again, nothing changed; every unit
# must be replayed. Prints both times and warm/cold (goal: <= 5%).
set -euo pipefail
if [[ $# -lt 2 ]]; then
  echo "usage: $0 PEER_TIDY LLVM_MAJOR [JOBS]" >&2
  exit 2
fi
PEER_TIDY=$1
LLVM=$2
JOBS=${3:-0}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
"$HERE/../caf/make_compdb.sh" "$TMP/db" "clang++-$LLVM" >/dev/null
CONFIG='{CheckOptions: {PeerProfiles: caf}}'
run() { # run NAME: one whole-corpus run against $TMP/cache
  /usr/bin/time -f "%e" -o "$TMP/time.$1" \
    "$PEER_TIDY" -p "$TMP/db" -j "$JOBS" "--config=$CONFIG" \
    --cache-dir="$TMP/cache" >"$TMP/out.$1" 2>"$TMP/err.$1" || true
}
run cold
run warm
cmp -s "$TMP/out.cold" "$TMP/out.warm" ||
  { echo "$0: the warm run reported differently" >&2; exit 1; }
grep -h '^Cache:' "$TMP/err.cold" "$TMP/err.warm"
awk -v c="$(cat "$TMP/time.cold")" -v w="$(cat "$TMP/time.warm")" \
  'BEGIN { printf "cold %.2f s, warm %.2f s, warm/cold %.1f%%\n", c, w, 100 * w / c }'
echo "cache: $(du -sh "$TMP/cache" | cut -f1) in $(find "$TMP/cache" -name '*.yaml' | wc -l) entries; load $(cut -d' ' -f1-3 /proc/loadavg)"
