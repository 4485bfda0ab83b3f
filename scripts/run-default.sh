#!/usr/bin/env bash
# The main job, from a fresh Debian 12 machine: installs what is missing, builds, then runs the
# default region (Yorkshire and the Humber) without and with a managed clinical network on the
# same simulated children, with parameter uncertainty (docs/uncertainty.md): 80 replicates, two per
# parameter draw (40 draws), a few minutes on 2 cores: two replicates per draw measure how much of
# each interval is simulation noise; with 40 draws the drivers are rank (Spearman) correlations,
# while partial rank correlations need more draws than the 100 drawn parameters (REPLICATES=210).
# README.md says how much the intervals move between seeds at this size. It prints the paired comparison and
# writes out/default-compare.h5. UNCERTAINTY=none gives the plain comparison (noise only).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cmake --preset release >/dev/null
cmake --build --preset release --target cpcsim
mkdir -p out
# With priors, the calibrated inputs come from the shipped ensemble (history matching,
# docs/calibration.md); ENSEMBLE= (empty) draws them from their priors too.
ensemble=()
if [[ "${UNCERTAINTY:-prior}" == prior && -n "${ENSEMBLE-scenarios/yorkshire-humber/ensemble.h5}" ]]; then
  ensemble=(--ensemble "${ENSEMBLE-scenarios/yorkshire-humber/ensemble.h5}")
fi
./build/release/cpcsim compare scenarios/yorkshire-humber/no-network.toml scenarios/yorkshire-humber/full-network.toml \
  --replicates "${REPLICATES:-80}" --uncertainty "${UNCERTAINTY:-prior}" "${ensemble[@]}" --out out/default-compare.h5 "$@"
./build/release/cpcsim report out/default-compare.h5 -o out/default-report.html --figures out/figures
echo "report: out/default-report.html (figures in out/figures/)"
