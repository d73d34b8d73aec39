#!/bin/sh
# The explorer on 1 and 2 workers, side by side (docs/performance.md, "1 vs 2
# workers"): for each variant, the plain optimal search (--split 0, one
# thread), then the split one with -j 1 and -j 2, back to back, ROUNDS times.
# Prints schedules, redundant runs, wall and CPU seconds (the process's user +
# system time) and the speed-up of -j 2 over -j 1 and over the plain search.
#
#   test/bench/explore_workers.sh BUILD_DIR [ROUNDS] [STRATEGY]
#
# Measure on an idle machine: the kernel shares the CPU between sessions, so
# under load a second thread gains little (uptime is printed first).
set -eu
build=${1:?usage: explore_workers.sh BUILD_DIR [ROUNDS] [STRATEGY]}
rounds=${2:-3}
strategy=${3:-optimal}
explore="$build/bin/peer-explore"
[ -x "$explore" ] || { echo "no $explore" >&2; exit 2; }
uptime
printf '%-30s %-10s %10s %10s %8s %8s %9s %9s\n' variant run schedules redundant wall_s cpu_s vs_j1 vs_plain
tmp=$(mktemp) tim=$(mktemp)
trap 'rm -f "$tmp" "$tim"' EXIT
one() {  # scenario variant args...: prints "schedules redundant wall cpu"
  scenario=$1 variant=$2
  shift 2
  /usr/bin/time -o "$tim" -f '%e %U %S' "$explore" "$scenario" --variant "$variant" --strategy "$strategy" "$@" \
    >"$tmp" 2>/dev/null || true
  awk -v t="$(tail -n 1 "$tim")" '
    /^schedules explored:/ { gsub(",", "", $3); s = $3 }
    /^search:/ { r = $3 }
    END { split(t, x, " "); print s, r, x[1], x[2] + x[3] }' "$tmp"
}
for entry in "materializer corrected" "materializer seed_original" "materializer electric_shipped" \
  "restart racy" "restart corrected"; do
  set -- $entry
  for round in $(seq "$rounds"); do
    plain=$(one "$1" "$2" --split 0)
    j1=$(one "$1" "$2" -j 1)
    j2=$(one "$1" "$2" -j 2)
    for run in plain j1 j2; do
      eval "line=\$$run"
      set -- $entry
      echo "$1 $2 $run $line $j1 $plain"
    done
  done
done | awk '{
  name = $1 " " $2; split($0, f, " ")
  w = $6; j1w = $10; pw = $14
  vs1 = ($3 == "j2" && w > 0) ? sprintf("%.2fx", j1w / w) : ""
  vsp = ($3 != "plain" && w > 0) ? sprintf("%.2fx", pw / w) : ""
  printf "%-30s %-10s %10s %10s %8s %8.2f %9s %9s\n", name, $3, $4, $5, $6, $7, vs1, vsp
  if ($3 == "j2" && w > 0) { n[name]++; r1[name, n[name]] = j1w / w; rp[name, n[name]] = pw / w }
}
# Single rounds swing on a shared machine: the median and the best of the
# ratios of the rounds are the figures to read.
function median(a, name, k,   i, j, t, v) {
  for (i = 1; i <= k; i++) v[i] = a[name, i]
  for (i = 2; i <= k; i++) for (j = i; j > 1 && v[j - 1] > v[j]; j--) { t = v[j]; v[j] = v[j - 1]; v[j - 1] = t }
  return k % 2 ? v[(k + 1) / 2] : (v[k / 2] + v[k / 2 + 1]) / 2
}
function best(a, name, k,   i, m) { m = 0; for (i = 1; i <= k; i++) if (a[name, i] > m) m = a[name, i]; return m }
END {
  print "-j 2 over -j 1 and over the plain search, median (best) of the rounds:"
  for (name in n) printf "%-30s %.2fx (%.2fx)   %.2fx (%.2fx)\n", name, median(r1, name, n[name]), best(r1, name, n[name]), median(rp, name, n[name]), best(rp, name, n[name])
}'
