#!/usr/bin/env bash
# Formats the project's C and C++ sources with Debian's clang-format-19, the
# one pinned formatter (other versions format differently).
#   scripts/format.sh            rewrite the files in place (`make format`)
#   scripts/format.sh --check    rewrite nothing; list the files that differ and
#                                exit 1 (`make format-check`, test/tool/format.test)
#   scripts/format.sh --check -v the same, with each file's diff
#   -C DIR                       work on the checkout at DIR (default: this one)
# Exit codes: 0 formatted (or, with --check, nothing differs); 1 --check found
# files that differ; 2 a usage error, no clang-format 19, or clang-format
# failed (a broken .clang-format, an unreadable file).
#
# Which files: the C/C++ files git knows of (tracked, or new and not ignored)
# under the directories below; the lit inputs and examples elsewhere keep
# their line numbers (their directories' .clang-format disables formatting,
# for editors too). The styles are in the .clang-format files (LLVM at the
# top, the runtime's own in runtime/). A file in these directories whose lines
# a test names is listed in .clang-format-ignore, which clang-format honours.
set -euo pipefail

dirs=(checks tool include fuzz runtime test/unit test/runtime test/bench)

usage() {  # usage EXIT-CODE
  sed -n '4,8p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit "$1"
}

check=0 verbose=0
root="$(cd "$(dirname "$0")/.." && pwd)"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --check) check=1 ;;
    -v) verbose=1 ;;
    -C) [[ $# -ge 2 ]] || usage 2; root="$2"; shift ;;
    -h|--help) usage 0 ;;
    *) echo "format: unknown argument '$1'" >&2; usage 2 ;;
  esac
  shift
done

# The formatter: $CLANG_FORMAT, else clang-format-19; it must be version 19.
clang_format="${CLANG_FORMAT:-clang-format-19}"
if ! command -v "$clang_format" >/dev/null; then
  echo "format: '$clang_format' not found; scripts/install-deps.sh installs it (Debian package clang-format-19)" >&2
  exit 2
fi
version=$("$clang_format" --version)
if [[ ! "$version" =~ version\ 19\. ]]; then
  echo "format: '$clang_format' is not clang-format 19 ($version); the styles are pinned to 19" >&2
  exit 2
fi

cd "$root" || exit 2
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  mapfile -t files < <(git ls-files --cached --others --exclude-standard -- "${dirs[@]}" |
    grep -E '\.(c|cc|cpp|h|hpp|inc)$' | sort -u |
    while IFS= read -r f; do [[ -f "$f" ]] && printf '%s\n' "$f"; done)
else
  # A source tree without git (an unpacked archive): the same directories.
  mapfile -t files < <(find "${dirs[@]}" -type f \
    \( -name '*.c' -o -name '*.cc' -o -name '*.cpp' -o -name '*.h' -o -name '*.hpp' -o -name '*.inc' \) \
    2>/dev/null | sort)
fi
if [[ ${#files[@]} -eq 0 ]]; then
  echo "format: no C/C++ files under ${dirs[*]} in $root" >&2
  exit 2
fi

if [[ $check -eq 0 ]]; then
  "$clang_format" -i -- "${files[@]}"
  exit 0
fi

# --dry-run honours .clang-format-ignore as -i does, so an ignored file never
# shows up here. One run for all files; its warnings name the files.
if ! out=$("$clang_format" --dry-run -- "${files[@]}" 2>&1); then
  # Not a difference (that is a warning): an unreadable file, a broken .clang-format.
  printf 'format: clang-format failed:\n%s\n' "$out" >&2
  exit 2
fi
mapfile -t differ < <(printf '%s\n' "$out" |
  sed -n 's/^\(.*\):[0-9]*:[0-9]*: warning: code should be clang-formatted \[-Wclang-format-violations\]$/\1/p' |
  sort -u)
if [[ -n "$out" && ${#differ[@]} -eq 0 ]]; then
  printf 'format: clang-format said something unexpected:\n%s\n' "$out" >&2
  exit 2
fi
if [[ ${#differ[@]} -eq 0 ]]; then
  echo "format: ${#files[@]} files checked; none differs"
  exit 0
fi
echo "format: ${#differ[@]} of ${#files[@]} files are not formatted with clang-format 19 (run \`make format\`):" >&2
for f in "${differ[@]}"; do
  echo "  $f" >&2
  if [[ $verbose -eq 1 ]]; then
    "$clang_format" -- "$f" | diff -u --label "$f" --label "$f (formatted)" -- "$f" - >&2 || true
  fi
done
exit 1
