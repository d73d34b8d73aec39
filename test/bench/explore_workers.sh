#!/bin/sh
# The explorer on 1 and 2 workers, side by side (docs/performance.md, "1 vs 2
# workers"): for each variant, the plain optimal search (--split 0, one
# thread), then the split one with -j 1 and -j 2, then two plain searches at
# once (two processes), back to back, ROUNDS times. Prints schedules,
# redundant runs, wall seconds (nanosecond clock) and CPU seconds (the
# process's user + system time), the speed-up of -j 2 over -j 1 and over the
# plain search, and for the pair the machine's own speed-up on two cores:
# twice the plain search's time over the pair's. Two independent processes
# share nothing, so that is the ceiling of any search on two threads in
# that round; on a host that shares its cores with other machines it moves
# from round to round, and the -j 2 figures with it.
#
#   test/bench/explore_workers.sh BUILD_DIR [ROUNDS] [STRATEGY]
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
now() { date +%s%N; }
one() {  # scenario variant args...: prints "schedules redundant wall cpu"
  scenario=$1 variant=$2
  shift 2
  start=$(now)
  /usr/bin/time -o "$tim" -f '%U %S' "$explore" "$scenario" --variant "$variant" --strategy "$strategy" "$@" \
    >"$tmp" 2>/dev/null || true
  wall=$(( $(now) - start ))
  awk -v t="$(tail -n 1 "$tim")" -v wall="$wall" '
    /^schedules explored:/ { gsub(",", "", $3); s = $3 }
    /^search:/ { r = $3 }
    END { split(t, x, " "); printf "%s %s %.4f %.2f\n", s, r, wall / 1e9, x[1] + x[2] }' "$tmp"
}
pair() {  # scenario variant: two plain searches at once; prints "- - wall -"
  start=$(now)
  # Under time(1) as in one(), so that both pay the same start.
  /usr/bin/time -o /dev/null "$explore" "$1" --variant "$2" --strategy "$strategy" --split 0 >/dev/null 2>&1 &
  /usr/bin/time -o /dev/null "$explore" "$1" --variant "$2" --strategy "$strategy" --split 0 >/dev/null 2>&1 || true
  wait || true
  awk -v wall="$(( $(now) - start ))" 'BEGIN { printf "- - %.4f 0\n", wall / 1e9 }'
}
for entry in "materializer corrected" "materializer seed_original" "materializer electric_shipped" \
  "restart racy" "restart corrected"; do
  set -- $entry
  for round in $(seq "$rounds"); do
    plain=$(one "$1" "$2" --split 0)
    j1=$(one "$1" "$2" -j 1)
    j2=$(one "$1" "$2" -j 2)
    two=$(pair "$1" "$2")
    for run in plain j1 j2 two; do
      eval "line=\$$run"
      set -- $entry
      echo "$1 $2 $run $line $j1 $plain"
    done
  done
done | awk '{
  name = $1 " " $2
  w = $6; j1w = $10; pw = $14
  timed = pw >= 0.05  # the restart scenario takes milliseconds: counts only
  vs1 = ($3 == "j2" && timed) ? sprintf("%.2fx", j1w / w) : ""
  vsp = ($3 == "two" && timed) ? sprintf("%.2fx", 2 * pw / w) : ($3 != "plain" && timed) ? sprintf("%.2fx", pw / w) : ""
  printf "%-30s %-10s %10s %10s %8.3f %8.2f %9s %9s\n", name, $3, $4, $5, $6, $7, vs1, vsp
  if (!timed) next
  if ($3 == "j2") { n[name]++; r1[name, n[name]] = j1w / w; rp[name, n[name]] = pw / w }
  if ($3 == "two") { m[name]++; rm[name, m[name]] = 2 * pw / w; re[name, m[name]] = rp[name, m[name]] / (2 * pw / w) }
}
# Single rounds swing on a shared machine: the median and the best of the
# ratios of the rounds are the figures to read.
function median(a, name, k,   i, j, t, v) {
  for (i = 1; i <= k; i++) v[i] = a[name, i]
  for (i = 2; i <= k; i++) for (j = i; j > 1 && v[j - 1] > v[j]; j--) { t = v[j]; v[j] = v[j - 1]; v[j - 1] = t }
  return k % 2 ? v[(k + 1) / 2] : (v[k / 2] + v[k / 2 + 1]) / 2
}
function best(a, name, k,   i, b) { b = 0; for (i = 1; i <= k; i++) if (a[name, i] > b) b = a[name, i]; return b }
END {
  print "median (best) of the rounds: -j 2 over -j 1; -j 2 over the plain search; two plain searches at once"
  print "(the machine on two cores); -j 2 over the plain search as a share of that round'"'"'s machine figure:"
  for (name in n) printf "%-30s %.2fx (%.2fx)   %.2fx (%.2fx)   %.2fx (%.2fx)   %3.0f %%\n", name,
    median(r1, name, n[name]), best(r1, name, n[name]), median(rp, name, n[name]), best(rp, name, n[name]),
    median(rm, name, m[name]), best(rm, name, m[name]), 100 * median(re, name, m[name])
}'
