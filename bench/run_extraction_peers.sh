#!/usr/bin/env bash
# Main-text extraction and the whole pipeline against their peers, on the same pages, in
# one invocation (issue 7): gumbo's parse alone and newsclaim's extraction (extract_bench,
# in process), readability-lxml (Debian python3-readability), Mozilla Readability.js on
# linkedom (npm), and `newsclaim ingest` of the pages into a fresh SQLite database (the
# whole pipeline: read, decode, extract, fold, figures/chips/sources, SQLite writes; wall
# time of the process, start-up included). Prints MB/s per system and the ratios.
#   bench/run_extraction_peers.sh [RUNS] [PAGE...]
# Default pages: the extraction samples in tests/data/extraction/. The recorded run uses
# the benchmark halves: ../shared/eval/extraction/{aeb,zh}/html/*.html.gz.
# Environment: BENCH_BUILD (default build-bench), JOBS (default 1), THREADS (ingest
# --threads when the command has it; default 2), ROUNDS (default 5; see the end).
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
shift || true
if [ $# -gt 0 ]; then pages=("$@"); else pages=(tests/data/extraction/aeb/*.html tests/data/extraction/zh/*.html); fi
build=${BENCH_BUILD:-build-bench}
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release -DNEWSCLAIM_BENCH=ON -DNEWSCLAIM_TESTS=OFF \
  >/dev/null
cmake --build "$build" -j"${JOBS:-1}" --target extract_bench newsclaim >/dev/null
bench/setup_peers.sh >/dev/null
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# One directory of plain pages for the whole-pipeline run (ingest reads .gz as well, but
# decompressing up front keeps the comparison to the same bytes).
mkdir "$tmp/pages"
i=0
for p in "${pages[@]}"; do
  i=$((i + 1))
  case $p in
    *.gz) gzip -dc "$p" >"$tmp/pages/$i.html" ;;
    *) cp "$p" "$tmp/pages/$i.html" ;;
  esac
done
bytes=$(cat "$tmp"/pages/*.html | wc -c)
echo "pages: ${#pages[@]}, $bytes bytes; median of $runs runs after one warm-up; $(nproc) cores;" \
  "load average $(cut -d' ' -f1-3 /proc/loadavg) (the ratios assume an otherwise idle machine)"

ext=$("$build/bench/extract_bench" --reps "$runs" "$tmp"/pages/*.html)
echo "$ext"
gumbo_mbs=$(awk '/^gumbo parse alone/ {print $(NF-1)}' <<<"$ext")
ours_mbs=$(awk '/^extraction \(Normalize\)/ {print $(NF-4)}' <<<"$ext")

lxml=$(bench/peers/readability_lxml.py "$runs" "$tmp"/pages/*.html)
js=$(node bench/peers/readability_js.mjs "$runs" "$tmp"/pages/*.html)
echo "$lxml"
echo "$js"
lxml_mbs=$(awk '{print $2}' <<<"$lxml")
js_mbs=$(awk '{print $2}' <<<"$js")

threads_opt=()
if "$build/newsclaim" ingest --help 2>&1 | grep -q -- '--threads'; then
  threads_opt=(--threads "${THREADS:-2}")
fi
times=()
for r in $(seq 0 "$runs"); do
  rm -f "$tmp/p.db" "$tmp/p.db-wal" "$tmp/p.db-shm"
  start=$(date +%s.%N)
  "$build/newsclaim" ingest -q "${threads_opt[@]}" --db "$tmp/p.db" "$tmp/pages" >/dev/null 2>&1 || true
  end=$(date +%s.%N)
  [ "$r" -gt 0 ] && times+=("$(echo "$end - $start" | bc -l)")  # run 0 is the warm-up
done
pipe_med=$(printf '%s\n' "${times[@]}" | sort -g | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}')
pipe_mbs=$(echo "$bytes / 1000000 / $pipe_med" | bc -l)
printf 'newsclaim_ingest %.3f %.4f %s %s %s\n' "$pipe_mbs" "$pipe_med" "$bytes" "${#pages[@]}" \
  "${threads_opt[*]:-(one thread)}"

awk -v g="$gumbo_mbs" -v o="$ours_mbs" -v l="$lxml_mbs" -v j="$js_mbs" -v p="$pipe_mbs" 'BEGIN {
  printf "ratio extraction / gumbo parse alone:        %.2fx\n", o / g
  printf "ratio extraction / readability-lxml:         %.2fx\n", o / l
  printf "ratio extraction / Readability.js+linkedom:  %.2fx\n", o / j
  printf "ratio whole pipeline / readability-lxml:     %.2fx\n", p / l
  printf "ratio whole pipeline / Readability.js:       %.2fx\n", p / j
}'

# The whole pipeline against readability-lxml once more, in ROUNDS rounds, each timing
# three ingests (median) right before one readability-lxml run over the same pages: a
# shared VM's speed drifts between the two back-to-back halves above, so the median of the
# rounds' own ratios compares like with like.
rounds=${ROUNDS:-5}
ratios=()
for r in $(seq "$rounds"); do
  t=()
  for k in 1 2 3; do
    rm -f "$tmp/p.db" "$tmp/p.db-wal" "$tmp/p.db-shm"
    start=$(date +%s.%N)
    "$build/newsclaim" ingest -q "${threads_opt[@]}" --db "$tmp/p.db" "$tmp/pages" >/dev/null 2>&1 || true
    end=$(date +%s.%N)
    t+=("$(echo "$end - $start" | bc -l)")
  done
  ingest_s=$(printf '%s\n' "${t[@]}" | sort -g | sed -n 2p)
  lxml_s=$(bench/peers/readability_lxml.py 1 "$tmp"/pages/*.html | awk '{print $3}')
  ratio=$(echo "$lxml_s / $ingest_s" | bc -l)
  ratios+=("$ratio")
  printf 'round %d: newsclaim_ingest %.4f s, readability_lxml %.4f s, ratio %.2fx\n' \
    "$r" "$ingest_s" "$lxml_s" "$ratio"
done
printf '%s\n' "${ratios[@]}" | sort -g | awk -v n="$rounds" '{a[NR] = $1} END {
  m = (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2
  printf "ratio whole pipeline / readability-lxml, interleaved: %.2fx (median of %d rounds; range %.2f-%.2fx)\n", m, n, a[1], a[NR]
}'
