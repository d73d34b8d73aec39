#!/usr/bin/env bash
# Whole-project run time of peer-tidy at several -j values on the CAF example
# corpus (test/caf/examples.txt), in one process per run:
#   test/bench/cli_parallel.sh PEER_TIDY LLVM_MAJOR [JOBS...]    (JOBS: 1 2)
# Prints wall and CPU (user+sys) seconds per -j and the speed-up over the
# first. The machine must be otherwise idle for the wall times to mean much;
# CPU time shows whether threads add work (contention) or only share it.
set -euo pipefail
if [[ $# -lt 2 ]]; then
  echo "usage: $0 PEER_TIDY LLVM_MAJOR [JOBS...]" >&2
  exit 2
fi
PEER_TIDY=$1
LLVM=$2
shift 2
JOBS=("$@")
[[ ${#JOBS[@]} -gt 0 ]] || JOBS=(1 2)
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
"$HERE/../caf/make_compdb.sh" "$TMP/db" "clang++-$LLVM" >/dev/null
CONFIG='{CheckOptions: {PeerProfiles: caf}}'

printf '%-6s %9s %9s %8s\n' "-j" "wall s" "cpu s" "speed-up"
first=""
for j in "${JOBS[@]}"; do
  /usr/bin/time -f "%e %U %S" -o "$TMP/time" \
    "$PEER_TIDY" --quiet -p "$TMP/db" -j "$j" "--config=$CONFIG" \
    >"$TMP/out.$j" 2>"$TMP/err.$j" || true
  read -r wall user sys <"$TMP/time"
  [[ -n $first ]] || first=$wall
  awk -v j="$j" -v w="$wall" -v u="$user" -v s="$sys" -v f="$first" \
    'BEGIN { printf "%-6s %9.2f %9.2f %7.2fx\n", j, w, u + s, f / w }'
done
# Parallel runs must report exactly what the serial run reports.
for j in "${JOBS[@]}"; do
  cmp -s "$TMP/out.${JOBS[0]}" "$TMP/out.$j" ||
    { echo "$0: -j $j reported differently from -j ${JOBS[0]}" >&2; exit 1; }
done
echo "$(grep -c 'warning:' "$TMP/out.${JOBS[0]}" || true) findings, $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
