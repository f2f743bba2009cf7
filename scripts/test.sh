#!/usr/bin/env bash
# Installs the test dependencies, builds with warnings as errors, checks formatting and
# runs every ctest label (unit, e2e, fuzz replays). Extra arguments go to ctest.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --test
git ls-files '*.cc' '*.h' | xargs -r clang-format --dry-run --Werror
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DNEWSCLAIM_WERROR=ON
cmake --build build -j"$(nproc)"
ctest --test-dir build --output-on-failure -j"$(nproc)" "$@"
