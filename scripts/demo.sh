#!/usr/bin/env bash
# `make demo`: the main job on the bundled examples.
set -uo pipefail
build="$1"
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
echo "== peer-tidy over examples/ (the ElectricSQL Materializer startup, seed order and corrected order)"
"$build/bin/peer-tidy" -p examples examples/*.cpp
status=$?
echo "== peer-tidy exited with $status (0: no finding was promoted to an error)"

echo
echo "== the fix-it: peer-tidy --fix on a copy of the seed moves the monitor before the first call"
scratch=$(mktemp -d)
cp examples/materializer_seed.cpp examples/compile_flags.txt "$scratch/"
sed -i "s|\.\./|$root/|" "$scratch/compile_flags.txt"
"$build/bin/peer-tidy" --quiet --fix --checks='-*,peer-monitor-after-call' -p "$scratch" "$scratch/materializer_seed.cpp" >/dev/null 2>&1
diff -u examples/materializer_seed.cpp "$scratch/materializer_seed.cpp" | sed "s|$scratch/||"
rm -rf "$scratch"
if [[ -x "$build/bin/peer-explore" ]]; then
  for variant in seed_original electric_shipped corrected; do
    echo
    echo "== peer-explore materializer --variant $variant"
    "$build/bin/peer-explore" materializer --variant "$variant"
    echo "== exit $?"
  done
  # The same space on two threads (split into units: the same output as one
  # thread's, 255 runs end in a unit's sleep set), and the plain optimal
  # search on one (no run ends in a sleep set).
  echo
  echo "== peer-explore materializer --variant corrected -j 2"
  "$build/bin/peer-explore" materializer --variant corrected -j 2 2>/dev/null | tail -n 2
  echo "== peer-explore materializer --variant corrected --split 0"
  "$build/bin/peer-explore" materializer --variant corrected --split 0 2>/dev/null | tail -n 2
  # The second shipped scenario, written with the scenario kit.
  for variant in racy corrected; do
    echo
    echo "== peer-explore restart --variant $variant"
    "$build/bin/peer-explore" restart --variant "$variant"
    echo "== exit $?"
  done
fi
exit 0
