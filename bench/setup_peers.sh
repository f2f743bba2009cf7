#!/usr/bin/env bash
# Installs the peer that bench/run_figures.sh compares against: Microsoft
# Recognizers-Text's number model (npm, pinned), into bench/node_modules (not committed).
# Needs node and npm (scripts/setup.sh --bench).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cd "$here"
if [ -f node_modules/@microsoft/recognizers-text-number/package.json ] &&
   grep -q '"version": "1.3.1"' node_modules/@microsoft/recognizers-text-number/package.json; then
  echo "setup_peers.sh: @microsoft/recognizers-text-number 1.3.1 present"
  exit 0
fi
npm install --no-audit --no-fund --no-save --prefix "$here" \
  @microsoft/recognizers-text-number@1.3.1
echo "setup_peers.sh: installed @microsoft/recognizers-text-number 1.3.1 into $here/node_modules"
