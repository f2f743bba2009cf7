#!/usr/bin/env bash
# Builds the fuzz targets with clang, libFuzzer, ASan and UBSan (in build-fuzz/) and runs
# each for SECONDS over a copy of its seed corpus (fuzz/corpus/<target>/), one target at a
# time. Crashing inputs are kept in $FUZZ_OUT/<target>/findings/ (default
# build-fuzz/runs/); new interesting inputs in $FUZZ_OUT/<target>/corpus/.
#   scripts/fuzz.sh TARGET|all SECONDS
# Environment: JOBS (build parallelism, default nproc), FUZZ_BUILD (build dir), FUZZ_OUT,
# FUZZ_NICE (nice level for the fuzzers, default 10), FUZZ_ARGS (extra libFuzzer flags),
# FUZZ_TESTS (ON to keep the tests in the same build, as .ci/run does; default OFF),
# FUZZ_PARALLEL (how many targets run at once, default 1).
# Exit status: 0 no finding, 1 some target found a crash or sanitizer report, 2 usage.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ $# -ne 2 ] || ! [[ "$2" =~ ^[0-9]+$ ]]; then
  echo "usage: scripts/fuzz.sh TARGET|all SECONDS" >&2
  exit 2
fi
target=$1 seconds=$2
build=${FUZZ_BUILD:-build-fuzz}
out=${FUZZ_OUT:-$build/runs}
jobs=${JOBS:-$(nproc)}
all=$(for f in fuzz/*_fuzz.cc; do basename "$f" .cc; done)
if [ "$target" = all ]; then
  targets=$all
elif grep -qx "$target" <<<"$all"; then
  targets=$target
else
  echo "fuzz.sh: unknown target $target; one of: all ${all//$'\n'/ }" >&2
  exit 2
fi

# -O1 keeps ASan reports readable and the build short; the libraries are compiled with
# coverage instrumentation too (fuzz/CMakeLists.txt).
cmake -S . -B "$build" -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g" -DNEWSCLAIM_LIBFUZZER=ON -DNEWSCLAIM_SANITIZE=ON \
  -DNEWSCLAIM_TESTS="${FUZZ_TESTS:-OFF}" -DNEWSCLAIM_WERROR=ON >/dev/null
# shellcheck disable=SC2086
cmake --build "$build" -j"$jobs" --target $targets

export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
# One target: copies its seeds, runs it, prints the result; exit 1 on a finding.
run_one() {
  local t=$1 dir=$out/$1 rc=0
  mkdir -p "$dir/corpus" "$dir/findings"
  cp -n fuzz/corpus/"$t"/* "$dir/corpus/" 2>/dev/null || true
  echo "fuzz.sh: $t for ${seconds}s (log $dir/fuzz.log)"
  # shellcheck disable=SC2086
  nice -n "${FUZZ_NICE:-10}" "$build/fuzz/$t" -max_total_time="$seconds" -timeout=20 \
    -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$dir/findings/" \
    ${FUZZ_ARGS:-} "$dir/corpus" >"$dir/fuzz.log" 2>&1 || rc=$?
  { echo "fuzz.sh: $t done"; grep -E '^stat::number_of_executed_units|^Done|#[0-9]+.*DONE' "$dir/fuzz.log" | tail -2; } || true
  if [ "$rc" -ne 0 ] || [ -n "$(ls -A "$dir/findings")" ]; then
    echo "fuzz.sh: $t FAILED (exit $rc); findings in $dir/findings:" >&2
    ls -l "$dir/findings" >&2
    grep -m1 -A30 -E 'ERROR: |runtime error|deadly signal' "$dir/fuzz.log" >&2 || true
    return 1
  fi
}

# FUZZ_PARALLEL targets run at a time (each fuzzer is one process on one core).
parallel=${FUZZ_PARALLEL:-1}
status=0 pids=()
for t in $targets; do
  run_one "$t" &
  pids+=($!)
  if [ "${#pids[@]}" -ge "$parallel" ]; then
    wait "${pids[0]}" || status=1
    pids=("${pids[@]:1}")
  fi
done
for p in "${pids[@]}"; do wait "$p" || status=1; done
exit $status
