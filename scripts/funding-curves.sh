#!/usr/bin/env bash
# Runs the funding-response sweeps of docs/funding.md (statutory, charitable, and statutory by
# provider type; 8 paired replicates a point, about 4 minutes on 2 quiet cores) and prints their
# tables: the level at each funding level and the paired difference from 100% with its interval.
# usage: scripts/funding-curves.sh [OUT_DIR]   (default out/funding; uses build/release/cpcsim)
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-out/funding}
B=build/release/cpcsim
mkdir -p "$out"
for s in statutory charitable by-type; do
    "$B" sweep plan "scenarios/sweeps/funding-response-$s.toml" -o "$out/$s.csv" >/dev/null
    # --resume keeps the runs of an earlier, interrupted call
    args=(--out "$out/$s.h5" -q)
    [[ -e "$out/$s.h5" ]] && args+=(--resume)
    "$B" sweep run "$out/$s.csv" "${args[@]}"
done
echo "## Statutory funding of every provider"; echo
/usr/bin/python3 scripts/funding-tables.py "$out/statutory.h5"
echo "## Charitable funding"; echo
/usr/bin/python3 scripts/funding-tables.py "$out/charitable.h5"
echo "## Statutory funding by provider type"; echo
/usr/bin/python3 scripts/funding-tables.py "$out/by-type.h5" --group hospices --group SPPC --group CCN
