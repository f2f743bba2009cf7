#!/usr/bin/env bash
# Figure extraction against Recognizers-Text's Chinese number model, on the same text,
# single thread, in one invocation: builds bench/figures_bench (Release, in build-bench/),
# installs the peer (bench/setup_peers.sh), writes the bench text, times both, and prints
# the throughput ratio.
#   bench/run_figures.sh [RUNS] [ROUNDS]
# The two sides are timed in ROUNDS rounds (default 6), each newsclaim (median of RUNS
# runs, default 15) right before the peer (median of min(RUNS, 5)), both pinned to the same
# CPU (taskset), the rounds taking the CPUs in turn: the cores of a VM need not run at the
# same speed (at times this one's first runs compute-bound code 1.5x slower than its second),
# and unpinned, the two sides of a round may land on different ones. Pinned, each side also
# has one core to itself: Node's helper threads (garbage collection, JIT) cannot spill onto
# another. The report gives each side's median MB/s over the rounds and the median of the
# rounds' ratios.
# Environment: BENCH_BUILD (build dir, default build-bench), JOBS (default 1), BENCH_PIN=0
# (leave both sides unpinned, as before), BENCH_CPUS (CPUs to cycle, default: those this
# process may use).
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-15}
rounds=${2:-6}
build=${BENCH_BUILD:-build-bench}
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release -DNEWSCLAIM_BENCH=ON -DNEWSCLAIM_TESTS=OFF \
  >/dev/null
cmake --build "$build" -j"${JOBS:-1}" --target figures_bench >/dev/null
bench/setup_peers.sh >/dev/null
text="$build/bench/figures_text.txt"
"$build/bench/figures_bench" --make-text "$text"
echo "text: $text ($(wc -c <"$text") bytes, $(wc -l <"$text") lines)"
# The CPUs to pin to: BENCH_CPUS, or this process's affinity list ("0-3,6" -> 0 1 2 3 6).
cpus=()
if [ "${BENCH_PIN:-1}" != 0 ] && command -v taskset >/dev/null; then
  list=${BENCH_CPUS:-$(taskset -cp $$ | sed 's/.*: *//')}
  for part in ${list//,/ }; do
    if [[ $part == *-* ]]; then cpus+=($(seq "${part%-*}" "${part#*-}")); else cpus+=("$part"); fi
  done
fi
ours_all=() peer_all=()
for r in $(seq "$rounds"); do
  pin=()
  if [ "${#cpus[@]}" -gt 0 ]; then
    cpu=${cpus[$(( (r - 1) % ${#cpus[@]} ))]}
    pin=(taskset -c "$cpu")
    echo "round $r: cpu $cpu"
  fi
  ours_all+=("$("${pin[@]}" "$build/bench/figures_bench" "$text" "$runs")")
  peer_all+=("$("${pin[@]}" node bench/recognizers_number.js "$text" $(( runs < 5 ? runs : 5 )))")
done
# One line per round and side, then the medians: each newsclaim mode's MB/s, the peer's,
# and the median over rounds of (mode MB/s / peer MB/s in the same round).
printf '%s\n' "${ours_all[@]}" | awk 'NF == 5 { print "round", int((NR - 1) / 3) + 1, $0 }'
printf '%s\n' "${peer_all[@]}" | awk '{ print "round", NR, $0 }'
{
  printf '%s\n' "${ours_all[@]}" | awk '{ print "ours", int((NR - 1) / 3) + 1, $1, $2, $4, $5 }'
  printf '%s\n' "${peer_all[@]}" | awk '{ print "peer", NR, $1, $2, $4, $5 }'
} | awk '
  function median(a, n,   i, j, t) {
    for (i = 2; i <= n; i++) { t = a[i]; for (j = i - 1; j >= 1 && a[j] > t; j--) a[j + 1] = a[j]; a[j + 1] = t }
    return (n % 2) ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
  }
  $1 == "peer" { peer[$2] = $4; pname = $3; pbytes = $5; pitems = $6; rounds = $2 > rounds ? $2 : rounds }
  $1 == "ours" { mbs[$3, $2] = $4; bytes[$3] = $5; items[$3] = $6; if (!($3 in seen)) { seen[$3] = 1; names[++nn] = $3 } }
  END {
    print "name MB/s(median of rounds) bytes items"
    for (k = 1; k <= nn; k++) {
      for (r = 1; r <= rounds; r++) { m[r] = mbs[names[k], r]; q[r] = mbs[names[k], r] / peer[r] }
      med[k] = median(m, rounds); rat[k] = median(q, rounds)
      lo[k] = q[1]; hi[k] = q[rounds]  # median() sorted q
      printf "%s %.3f %s %s\n", names[k], med[k], bytes[names[k]], items[names[k]]
    }
    for (r = 1; r <= rounds; r++) p[r] = peer[r]
    printf "%s %.3f %s %s\n", pname, median(p, rounds), pbytes, pitems
    for (k = 1; k <= nn; k++) {
      printf "ratio %s / %s: %.0fx (median of %d rounds; range %.0f-%.0fx)\n", names[k], pname, rat[k], rounds, lo[k], hi[k]
    }
  }'
