#!/usr/bin/env bash
# The main job, from a fresh Debian 12 machine: installs what is missing, builds, then runs the
# default region (Yorkshire and the Humber) without and with a managed clinical network on the
# same simulated children, prints the paired comparison and writes out/default-compare.h5.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cmake --preset release >/dev/null
cmake --build --preset release --target cpcsim
mkdir -p out
./build/release/cpcsim compare scenarios/yorkshire-humber/no-network.toml scenarios/yorkshire-humber/full-network.toml \
  --replicates "${REPLICATES:-20}" --out out/default-compare.h5 "$@"
./build/release/cpcsim report out/default-compare.h5 -o out/default-report.html --figures out/figures
echo "report: out/default-report.html (figures in out/figures/)"
