#!/usr/bin/env bash
# Figure extraction against Recognizers-Text's Chinese number model, on the same text,
# single thread, in one invocation: builds bench/figures_bench (Release, in build-bench/),
# installs the peer (bench/setup_peers.sh), writes the bench text, times both, and prints
# the throughput ratio.
#   bench/run_figures.sh [RUNS]        (default 15 runs for newsclaim, 5 for the peer)
# Environment: BENCH_BUILD (build dir, default build-bench), JOBS (default 1).
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-15}
build=${BENCH_BUILD:-build-bench}
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release -DNEWSCLAIM_BENCH=ON -DNEWSCLAIM_TESTS=OFF \
  >/dev/null
cmake --build "$build" -j"${JOBS:-1}" --target figures_bench >/dev/null
bench/setup_peers.sh >/dev/null
text="$build/bench/figures_text.txt"
"$build/bench/figures_bench" --make-text "$text"
echo "text: $text ($(wc -c <"$text") bytes, $(wc -l <"$text") lines)"
ours=$("$build/bench/figures_bench" "$text" "$runs")
peer=$(node bench/recognizers_number.js "$text" $(( runs < 5 ? runs : 5 )))
echo "name MB/s median_seconds bytes items"
echo "$ours"
echo "$peer"
peer_mbs=$(awk '{print $2}' <<<"$peer")
awk -v p="$peer_mbs" '{ printf "ratio %s / recognizers_number: %.0fx\n", $1, $2 / p }' <<<"$ours"
