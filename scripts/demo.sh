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
if [[ -x "$build/bin/peer-explore" ]]; then
  for variant in seed_original electric_shipped corrected; do
    echo
    echo "== peer-explore materializer --variant $variant"
    "$build/bin/peer-explore" materializer --variant "$variant"
    echo "== exit $?"
  done
fi
exit 0
