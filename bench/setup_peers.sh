#!/usr/bin/env bash
# Installs the npm peers the benchmarks compare against, pinned, into bench/node_modules
# (not committed): Microsoft Recognizers-Text's number model (run_figures.sh) and Mozilla
# Readability with linkedom (run_extraction_peers.sh). All in one npm call: a later
# `npm install --no-save` would remove what an earlier one added. Needs node and npm
# (scripts/setup.sh --bench, which also installs readability-lxml from Debian).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cd "$here"
peers=(@microsoft/recognizers-text-number@1.3.1 @mozilla/readability@0.6.0 linkedom@0.18.15)
have() {  # have NAME VERSION: the package is installed at that version
  [ -f "node_modules/$1/package.json" ] && grep -q "\"version\": \"$2\"" "node_modules/$1/package.json"
}
missing=0
for p in "${peers[@]}"; do
  have "${p%@*}" "${p##*@}" || missing=1
done
if [ "$missing" -eq 0 ]; then
  echo "setup_peers.sh: ${peers[*]} present"
  exit 0
fi
npm install --no-audit --no-fund --no-save --prefix "$here" "${peers[@]}"
echo "setup_peers.sh: installed ${peers[*]} into $here/node_modules"
