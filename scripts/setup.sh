#!/usr/bin/env bash
# Installs what newsclaim needs on Debian 12 with apt-get (re-runs itself with sudo when
# not root). `--test` adds what the test suite needs; `--bench` adds the peers the
# benchmarks compare against.
set -euo pipefail
if [ "$(id -u)" -ne 0 ]; then
  exec sudo -E bash "$0" "$@"
fi
export DEBIAN_FRONTEND=noninteractive
pkgs=(build-essential cmake pkg-config git python3
      libcurl4-openssl-dev libgumbo-dev libicu-dev libopencc-dev opencc libre2-dev
      libsqlite3-dev sqlite3 zlib1g-dev libdeflate-dev libxml2-dev libgtest-dev
      nlohmann-json3-dev libcli11-dev libtomlplusplus-dev)
for arg in "$@"; do
  case "$arg" in
    --test) pkgs+=(clang-format clang libclang-rt-14-dev) ;;
    --bench) pkgs+=(libbenchmark-dev python3-readability nodejs npm hyperfine time) ;;
    *) echo "setup.sh: unknown option $arg (use --test or --bench)" >&2; exit 2 ;;
  esac
done
# -- issue 6: the LibreOffice round-trip test (ctest -L libreoffice) opens the CSV in Calc.
for arg in "$@"; do
  if [ "$arg" = --test ]; then pkgs+=(libreoffice-calc); fi
done
missing=()
for p in "${pkgs[@]}"; do
  # A Node.js from another archive (NodeSource's nodejs ships npm and conflicts with
  # Debian's npm package) already provides npm: take the command as present.
  if [ "$p" = npm ] && command -v npm >/dev/null 2>&1; then continue; fi
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
echo "setup.sh: dependencies present"
