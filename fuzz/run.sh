#!/usr/bin/env bash
# Runs peer-tidy's libFuzzer targets: the regression inputs first (each must
# pass), then fuzzing for a bounded time from the seed corpus.
#   fuzz/run.sh [--bin DIR] [--seconds N] [--work DIR] [TARGET...]
# --bin      where the fuzz binaries are (default build/llvm19/fuzz/bin; they
#            are built by the main build when PEER_FUZZ is ON)
# --seconds  fuzzing time per target (default 600; `make test` runs 25)
# --work     the growing corpus and crash artifacts (default build/fuzz-work);
#            keep it between nightly runs so that the corpus grows
# TARGET     lsp-protocol, analysis, ... (default: every fuzz/corpus/*)
# Exit 0 when nothing crashed, 1 on a crash, sanitizer report, timeout or
# out-of-memory (the input is kept in WORK/artifacts-TARGET/), 2 on bad usage.
# A target's seeds: fuzz/corpus/TARGET/ (small files), plus the test inputs
# named in fuzz/TARGET.seeds (globs relative to the source root); its extra
# libFuzzer flags: fuzz/TARGET.flags; its dictionary: fuzz/TARGET.dict.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bin="$root/build/llvm19/fuzz/bin"
seconds=600
work="$root/build/fuzz-work"
targets=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --bin) bin="$2"; shift 2 ;;
    --seconds) seconds="$2"; shift 2 ;;
    --work) work="$2"; shift 2 ;;
    -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
    -*) echo "fuzz/run.sh: unknown option '$1'" >&2; exit 2 ;;
    *) targets+=("$1"); shift ;;
  esac
done
[[ "$seconds" =~ ^[0-9]+$ ]] || { echo "fuzz/run.sh: --seconds needs a number" >&2; exit 2; }
if [[ ${#targets[@]} -eq 0 ]]; then
  for d in "$root"/fuzz/corpus/*/; do targets+=("$(basename "$d")"); done
fi

status=0
for t in "${targets[@]}"; do
  exe="$bin/$t-fuzzer"
  [[ -x "$exe" ]] || { echo "fuzz/run.sh: no fuzz target '$exe'" >&2; exit 2; }
  corpus="$work/corpus-$t"
  artifacts="$work/artifacts-$t/"
  mkdir -p "$corpus" "$artifacts"
  [[ -d "$root/fuzz/corpus/$t" ]] && cp -n "$root/fuzz/corpus/$t"/* "$corpus"/ 2>/dev/null || true
  if [[ -f "$root/fuzz/$t.seeds" ]]; then
    while read -r glob; do
      [[ -z "$glob" || "$glob" == \#* ]] && continue
      for f in $root/$glob; do [[ -f "$f" ]] && cp -n "$f" "$corpus/seed-$(basename "$f")"; done
    done < "$root/fuzz/$t.seeds"
  fi
  flags=(-artifact_prefix="$artifacts" -print_final_stats=1)
  [[ -f "$root/fuzz/$t.flags" ]] && read -r -a extra < <(grep -v '^#' "$root/fuzz/$t.flags" | tr '\n' ' ') && flags+=("${extra[@]}")
  [[ -f "$root/fuzz/$t.dict" ]] && flags+=(-dict="$root/fuzz/$t.dict")

  regressions=("$root/fuzz/regressions/$t"/*)
  if [[ -e "${regressions[0]}" ]]; then
    echo "fuzz/run.sh: $t: ${#regressions[@]} regression input(s)"
    if ! "$exe" "${flags[@]}" "${regressions[@]}"; then
      echo "fuzz/run.sh: $t: a regression input fails again" >&2
      status=1
      continue
    fi
  fi
  echo "fuzz/run.sh: $t: fuzzing for $seconds s (corpus $corpus)"
  if ! "$exe" "${flags[@]}" -max_total_time="$seconds" "$corpus"; then
    echo "fuzz/run.sh: $t: FAILED; the input is in $artifacts -- make it a" \
         "regression input: copy it to fuzz/regressions/$t/ with the fix" >&2
    status=1
  fi
done
exit $status
