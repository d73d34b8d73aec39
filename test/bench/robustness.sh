#!/usr/bin/env bash
# Robustness over real headers (issue 12, "keep it so"): every header of a
# large real library, each as its own translation unit (#include <header>),
# run through peer-tidy with the library's profile, one process per unit so
# that a crash is counted, not fatal. Prints per library: units, crashes
# (exit >= 128 or a stack dump; must be 0), units that did not compile (a
# header that cannot stand alone; counted, not a failure), total time and the
# peak RSS of any one unit.
#
#   test/bench/robustness.sh PEER_TIDY [JOBS]
set -uo pipefail
PEER_TIDY=$(readlink -f "$1")
JOBS=${2:-2}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

qt5=/usr/include/x86_64-linux-gnu/qt5
qt6=/usr/include/x86_64-linux-gnu/qt6
# name|profile|header glob root|flags
libraries=(
  "caf|caf|/usr/include|/usr/include/caf/*.hpp /usr/include/caf/*/*.hpp /usr/include/caf/*/*/*.hpp|-std=c++17"
  "qt5-QtCore+QtDBus|qt-dbus|$qt5|$qt5/QtCore/*.h $qt5/QtDBus/*.h|-std=c++17 -fPIC -I$qt5 -I$qt5/QtCore -I$qt5/QtDBus"
  "qt6-QtDBus|qt-dbus|$qt6|$qt6/QtDBus/*.h|-std=c++20 -fPIC -I$qt6 -I$qt6/QtCore -I$qt6/QtDBus"
)

one() { # UNIT_FILE PROFILE FLAGS... ; prints "exit seconds kilobytes"
  local unit=$1 profile=$2; shift 2
  local out=$unit.out
  /usr/bin/time -f "%e %M" -o "$unit.time" "$PEER_TIDY" --quiet \
    --config="{CheckOptions: {PeerProfiles: $profile}}" "$unit" -- "$@" > "$out" 2>&1
  local rc=$?
  if grep -q "Stack dump\|PLEASE submit a bug report" "$out"; then rc=250; fi
  echo "$rc $(tail -1 "$unit.time")"
}
export -f one
export PEER_TIDY

printf '%-20s %6s %8s %10s %9s %12s\n' library units crashes "no-compile" "time s" "peak MiB"
for entry in "${libraries[@]}"; do
  IFS='|' read -r name profile root globs flags <<< "$entry"
  dir=$work/$name; mkdir -p "$dir"
  i=0
  for header in $globs; do
    [[ -f $header ]] || continue
    i=$((i + 1))
    printf '#include <%s>\n' "${header#$root/}" > "$dir/u$i.cpp"
  done
  # shellcheck disable=SC2086
  ls "$dir"/u*.cpp | xargs -P "$JOBS" -I{} bash -c "one {} $profile $flags" > "$dir/results"
  awk -v name="$name" -v units="$i" '
    { if ($1 >= 128) crash++; else if ($1 == 3) nocompile++;
      t += $2; if ($3 > m) m = $3 }
    END { printf "%-20s %6d %8d %10d %9.1f %12.0f\n", name, units, crash, nocompile, t, m / 1024 }' "$dir/results"
done
