#!/usr/bin/env bash
# Rebuild benchmark (issue 6): generates N synthetic articles from corpus/ with
# bench/gen_corpus.py, ingests them into a fresh database, then times
# `newsclaim rebuild --threads 1` and `--threads 2` with /usr/bin/time -v (wall time, peak
# RSS), and checks that both rebuilds export the same bytes. Prints a markdown section
# for bench/RESULTS.md on stdout; logs go to WORK/*.log.
#
# Usage: bench/rebuild_bench.sh [N] [WORK]
#   N     articles (default 100000)
#   WORK  scratch directory (default build-bench/rebuild-N); needs about 25 KB per article
# Environment: NEWSCLAIM (the binary; default: build it in build-bench/, Release),
#              SEED (generator seed, default 1), THREADS (rebuilds to time, default "1 2").
set -euo pipefail
n=${1:-100000}
here=$(cd "$(dirname "$0")/.." && pwd)
work=${2:-$here/build-bench/rebuild-$n}
seed=${SEED:-1}
if [ ! -x /usr/bin/time ]; then
  echo "rebuild_bench.sh: /usr/bin/time missing (scripts/setup.sh --bench installs 'time')" >&2
  exit 2
fi
if [ -z "${NEWSCLAIM:-}" ]; then
  cmake -S "$here" -B "$here/build-bench" -DCMAKE_BUILD_TYPE=Release -DNEWSCLAIM_TESTS=OFF >/dev/null
  cmake --build "$here/build-bench" --target newsclaim -j"$(nproc)" >/dev/null
  NEWSCLAIM=$here/build-bench/newsclaim
fi
mkdir -p "$work"
db=$work/bench.db

# Seconds and peak RSS (MB) out of a /usr/bin/time -v log.
wall() { awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,t,":"); s=0; for(i=1;i<=n;i++) s=s*60+t[i]; print s}' "$1"; }
rss() { awk -F': ' '/Maximum resident set size/ {printf "%.1f", $2/1024}' "$1"; }

if [ ! -f "$work/corpus.done" ]; then
  rm -rf "$work/corpus"
  python3 "$here/bench/gen_corpus.py" --out "$work/corpus" --count "$n" --seed "$seed"
  touch "$work/corpus.done"
fi
rm -f "$db" "$db-wal" "$db-shm"
/usr/bin/time -v "$NEWSCLAIM" ingest -q "$work/corpus" --db "$db" 2>"$work/ingest.log" || true
docs=$(sqlite3 "$db" "SELECT count(*) FROM raw_documents")
for t in ${THREADS:-1 2}; do
  /usr/bin/time -v "$NEWSCLAIM" rebuild --threads "$t" --db "$db" 2>"$work/rebuild$t.log" || true
  "$NEWSCLAIM" export --format jsonl --db "$db" | sha256sum | cut -c1-16 >"$work/export$t.sha"
done
articles=$(sqlite3 "$db" "SELECT count(*) FROM articles")
figures=$(sqlite3 "$db" "SELECT count(*) FROM figures")
dbsize=$(du -m "$db" | cut -f1)
w1=$(wall "$work/rebuild1.log" 2>/dev/null || echo 0); w2=$(wall "$work/rebuild2.log" 2>/dev/null || echo 0)
wi=$(wall "$work/ingest.log")
same=no; cmp -s "$work/export1.sha" "$work/export2.sha" && same=yes

cat <<EOF

## Rebuild of $n synthetic articles (bench/rebuild_bench.sh)

- Command: \`bench/rebuild_bench.sh $n\` (corpus: \`bench/gen_corpus.py --count $n --seed $seed\`
  from corpus/seeds; ingest, then \`newsclaim rebuild --threads 1\` and \`--threads 2\`
  under \`/usr/bin/time -v\`).
- Machine: $(nproc) vCPU $(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo), $(. /etc/os-release && echo "$PRETTY_NAME"),
  load average at the end $(cut -d' ' -f1-3 /proc/loadavg); date $(date -u +'%Y-%m-%d %H:%M UTC').
- Database: $docs raw documents, $articles articles, $figures figures, $dbsize MB.

| step | wall s | docs/s | peak RSS MB |
|---|---|---|---|
| ingest | $wi | $(awk -v n="$docs" -v s="$wi" 'BEGIN{printf "%.0f", n/s}') | $(rss "$work/ingest.log") |
| rebuild, 1 thread | $w1 | $(awk -v n="$docs" -v s="$w1" 'BEGIN{printf "%.0f", n/s}') | $(rss "$work/rebuild1.log") |
| rebuild, 2 threads | $w2 | $(awk -v n="$docs" -v s="$w2" 'BEGIN{printf "%.0f", n/s}') | $(rss "$work/rebuild2.log") |

2 threads vs 1: $(awk -v a="$w1" -v b="$w2" 'BEGIN{printf "%.2fx", a/b}') the speed. Exports of the two rebuilds identical: $same.
Rebuild summary lines: \`$(grep '^newsclaim rebuild' "$work/rebuild1.log" || true)\`;
\`$(grep '^newsclaim rebuild' "$work/rebuild2.log" || true)\`.
EOF
