#!/usr/bin/env bash
# Cost of peer-tidy on real code: the CAF example corpus (test/caf/examples.txt,
# Debian's libcaf-doc 0.17.6), each file measured side by side in one run:
#   (a) clang++-N -fsyntax-only               the parse alone, the baseline
#   (b) PEER_TIDY -checks='-*,peer-*' with PeerProfiles: caf
#   (c) clang-tidy-N -checks='-*,bugprone-use-after-move'   an anchor: a cheap
#       flow-sensitive upstream check, i.e. what "a normal check" costs
# Each is run REPEATS times (default 3); the minimum wall time and the minimum
# peak RSS per file are kept (minimum = least disturbed by other load).
# Prints per-file rows and a total with the ratios b/a and c/a.
#
#   test/bench/caf_examples.sh PEER_TIDY LLVM_MAJOR [FILES...]
#
# PEER_TIDY may be any clang-tidy-compatible binary: until peer-tidy is built,
#   PEER_CMD_CHECKS='-*,bugprone-use-after-move' PEER_CONFIG= \
#     test/bench/caf_examples.sh clang-tidy-19 19
# stands in for (b). Environment: REPEATS (3), PEER_CMD_CHECKS ('-*,peer-*'),
# PEER_CONFIG ('{CheckOptions: {PeerProfiles: caf}}'; empty = no --config),
# CLANG_TIDY_CHECKS ('-*,bugprone-use-after-move') for (c), CSV=path to also
# write the per-file minima as CSV. The superset's goal (issue 13): with
#   X='-*,bugprone-*,performance-*,modernize-use-override,clang-analyzer-core.*'
#   PEER_CMD_CHECKS="$X,peer-*" CLANG_TIDY_CHECKS="$X"
# the total b/c (peer-tidy with X and peer-* against clang-tidy with X) is
# what replacing two CI runs by one costs over clang-tidy's run alone.
set -euo pipefail

if [[ $# -lt 2 ]]; then
  echo "usage: $0 PEER_TIDY LLVM_MAJOR [FILES...]" >&2
  exit 2
fi
PEER_TIDY=$1
LLVM=$2
shift 2

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
CAF_DIR=$HERE/../caf
REPEATS=${REPEATS:-3}
PEER_CMD_CHECKS=${PEER_CMD_CHECKS:-'-*,peer-*'}
PEER_CONFIG=${PEER_CONFIG-'{CheckOptions: {PeerProfiles: caf}}'}
CLANG_TIDY_CHECKS=${CLANG_TIDY_CHECKS:-'-*,bugprone-use-after-move'}
CLANGXX=clang++-$LLVM
CLANG_TIDY=clang-tidy-$LLVM
TIME=/usr/bin/time

for tool in "$CLANGXX" "$CLANG_TIDY" "$PEER_TIDY"; do
  command -v "$tool" >/dev/null || { echo "$0: no '$tool' on PATH" >&2; exit 1; }
done
if [[ ! -x $TIME ]]; then
  echo "$0: $TIME missing; install it with: apt-get install -y time" >&2
  exit 1
fi

if [[ $# -gt 0 ]]; then
  FILES=("$@")
else
  mapfile -t FILES < <(grep -v '^[[:space:]]*\(#\|$\)' "$CAF_DIR/examples.txt")
fi
mapfile -t FLAGS < <(grep -v '^[[:space:]]*$' "$CAF_DIR/compile_flags.txt")

PEER_ARGS=(--quiet "-checks=$PEER_CMD_CHECKS")
[[ -n $PEER_CONFIG ]] && PEER_ARGS+=("--config=$PEER_CONFIG")

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

# measure OUTVAR CMD... : runs CMD once under time(1); sets OUTVAR to
# "seconds kilobytes". A failing command is reported (its exit status is kept
# in the row) but still measured: the tidy tools exit non-zero on findings.
FAILED=0
measure() {
  local -n out=$1
  shift
  local rc=0
  "$TIME" -f "%e %M" -o "$TMP/time" "$@" >"$TMP/stdout" 2>"$TMP/stderr" || rc=$?
  if [[ $rc -ne 0 ]] && grep -q "error:" "$TMP/stderr"; then
    echo "warning: '$1' reported errors on ${*: -1}:" >&2
    grep -m3 "error:" "$TMP/stderr" >&2 || true
    FAILED=$((FAILED + 1))
  fi
  out=$(tail -n 1 "$TMP/time")
}

# min of "s kb" pairs, component-wise
minpair() {
  awk '{ if (NR == 1 || $1 < t) t = $1; if (NR == 1 || $2 < m) m = $2 }
       END { printf "%s %s\n", t, m }'
}

[[ -n ${CSV:-} ]] && echo "file,a_s,a_kb,b_s,b_kb,c_s,c_kb" >"$CSV"
printf '%-28s %8s %8s %8s   %7s %7s %7s   %6s %6s %6s %6s\n' \
  file "a s" "b s" "c s" "a MB" "b MB" "c MB" "b/a t" "c/a t" "b/a m" "c/a m"

TOT_A=0 TOT_B=0 TOT_C=0
MAX_A=0 MAX_B=0 MAX_C=0
for f in "${FILES[@]}"; do
  : >"$TMP/a" ; : >"$TMP/b" ; : >"$TMP/c"
  for ((i = 0; i < REPEATS; i++)); do
    # Interleaved a, b, c so that drifting machine load hits all three alike.
    measure r "$CLANGXX" -fsyntax-only "${FLAGS[@]}" "$f"; echo "$r" >>"$TMP/a"
    measure r "$PEER_TIDY" "${PEER_ARGS[@]}" "$f" -- "${FLAGS[@]}"; echo "$r" >>"$TMP/b"
    measure r "$CLANG_TIDY" --quiet "-checks=$CLANG_TIDY_CHECKS" "$f" -- "${FLAGS[@]}"
    echo "$r" >>"$TMP/c"
  done
  read -r at am < <(minpair <"$TMP/a")
  read -r bt bm < <(minpair <"$TMP/b")
  read -r ct cm < <(minpair <"$TMP/c")
  [[ -n ${CSV:-} ]] && echo "$f,$at,$am,$bt,$bm,$ct,$cm" >>"$CSV"
  awk -v n="$(basename "$f")" -v at="$at" -v am="$am" -v bt="$bt" -v bm="$bm" \
      -v ct="$ct" -v cm="$cm" 'function r(x, y) { return y > 0 ? x / y : 0 }
    BEGIN { printf "%-28s %8.2f %8.2f %8.2f   %7.0f %7.0f %7.0f   %6.2f %6.2f %6.2f %6.2f\n",
            n, at, bt, ct, am / 1024, bm / 1024, cm / 1024,
            r(bt, at), r(ct, at), r(bm, am), r(cm, am) }'
  read -r TOT_A TOT_B TOT_C MAX_A MAX_B MAX_C < <(awk \
    -v ta="$TOT_A" -v tb="$TOT_B" -v tc="$TOT_C" -v at="$at" -v bt="$bt" -v ct="$ct" \
    -v ma="$MAX_A" -v mb="$MAX_B" -v mc="$MAX_C" -v am="$am" -v bm="$bm" -v cm="$cm" \
    'BEGIN { printf "%f %f %f %d %d %d\n", ta + at, tb + bt, tc + ct,
             (am > ma ? am : ma), (bm > mb ? bm : mb), (cm > mc ? cm : mc) }')
done

awk -v n="TOTAL (${#FILES[@]} files)" -v at="$TOT_A" -v bt="$TOT_B" -v ct="$TOT_C" \
    -v am="$MAX_A" -v bm="$MAX_B" -v cm="$MAX_C" 'function r(x, y) { return y > 0 ? x / y : 0 }
  BEGIN {
    printf "%-28s %8.2f %8.2f %8.2f   %7.0f %7.0f %7.0f   %6.2f %6.2f %6.2f %6.2f\n",
           n, at, bt, ct, am / 1024, bm / 1024, cm / 1024,
           r(bt, at), r(ct, at), r(bm, am), r(cm, am)
    print "(time: sum of per-file minima; memory: the largest per-file peak RSS)"
  }'
echo "a = $CLANGXX -fsyntax-only; b = $PEER_TIDY ${PEER_ARGS[*]};" \
     "c = $CLANG_TIDY -checks=$CLANG_TIDY_CHECKS; repeats = $REPEATS"
if [[ $FAILED -gt 0 ]]; then
  echo "$FAILED run(s) reported compile errors (see above)" >&2
  exit 1
fi
