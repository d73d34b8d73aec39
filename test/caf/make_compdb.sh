#!/usr/bin/env bash
# Writes OUTDIR/compile_commands.json for the CAF example corpus
# (test/caf/examples.txt: the examples of Debian's libcaf-doc 0.17.6), so that
#   peer-tidy -p OUTDIR $(cat test/caf/examples.txt)
# runs over the whole corpus.
#
#   test/caf/make_compdb.sh OUTDIR CLANGXX [EXAMPLES_LIST]
#
# CLANGXX is the compiler named in each command (e.g. /usr/bin/clang++-19);
# tools read the flags from it and take their own resource directory.
# The flags are the same for every example: CAF 0.17's headers (core and io)
# live in /usr/include/caf, so no -I is needed; -std=c++17 pins the standard
# that clang 19 and 22 both default to (gnu++17); the examples also parse as
# C++11, 14, 20 and 23. Nothing needs linking: -fsyntax-only is enough.
set -euo pipefail

if [[ $# -lt 2 ]]; then
  echo "usage: $0 OUTDIR CLANGXX [EXAMPLES_LIST]" >&2
  exit 2
fi
OUTDIR=$1
CLANGXX=$2
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
LIST=${3:-$HERE/examples.txt}

# The flags every example needs, one a line (clangd's compile_flags.txt
# format); test/bench/caf_examples.sh reads the same file.
mapfile -t CAF_FLAGS < <(grep -v '^[[:space:]]*$' "$HERE/compile_flags.txt")

command -v "$CLANGXX" >/dev/null || { echo "$0: no compiler '$CLANGXX'" >&2; exit 1; }
mkdir -p "$OUTDIR"
OUT=$OUTDIR/compile_commands.json

json_str() { # JSON string literal of $1 (paths here have no control chars)
  local s=${1//\\/\\\\}
  s=${s//\"/\\\"}
  printf '"%s"' "$s"
}

{
  echo "["
  first=1
  while IFS= read -r file || [[ -n $file ]]; do
    [[ -z $file || $file == \#* ]] && continue
    if [[ ! -f $file ]]; then
      echo "$0: missing example $file (is libcaf-doc installed?)" >&2
      exit 1
    fi
    args=("$CLANGXX" "${CAF_FLAGS[@]}" -c "$file" -o /dev/null)
    [[ $first == 1 ]] || echo ","
    first=0
    printf '  {"directory": %s, "file": %s, "arguments": [' \
      "$(json_str "$(dirname "$file")")" "$(json_str "$file")"
    sep=""
    for a in "${args[@]}"; do printf '%s%s' "$sep" "$(json_str "$a")"; sep=", "; done
    printf ']}'
  done < "$LIST"
  echo
  echo "]"
} > "$OUT.tmp"
mv "$OUT.tmp" "$OUT"
echo "wrote $OUT ($(grep -c '"file"' "$OUT") entries)"
