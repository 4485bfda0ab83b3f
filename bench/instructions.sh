#!/usr/bin/env bash
# Instructions executed by one whole `cpcsim run` of one default replicate on one thread (start-up,
# scenario, prehistory, simulation, summary and the HDF5 file), counted by valgrind's callgrind:
# with `--store annual` and with every output. Unlike times on this project's shared 2-core
# machines, which move by a third between minutes, the count is the same under any load (it
# varies by a few hundredths of a percent with paths and the environment), so a change of 1% in
# the work a run does can be seen. It does not see memory stalls: read it beside
# `cpcsim bench`, which times the same work (docs/benchmarks.md, "Instructions, not seconds").
#
# Usage: bench/instructions.sh [BINARY] [SCENARIO]
# Prints each count, the functions with the most instructions of their own (annual), and a line
#   BENCH_INSTRUCTIONS {"annual": N, "all": N}
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
binary="${1:-$root/build/release/cpcsim}"
scenario="${2:-$root/scenarios/yorkshire-humber/no-network.toml}"
if ! command -v valgrind >/dev/null; then
  echo "bench/instructions.sh: valgrind is not installed (scripts/setup.sh installs it)" >&2
  exit 2
fi
if [[ ! -x "$binary" ]]; then
  echo "bench/instructions.sh: $binary: not an executable (build it: cmake --build --preset release)" >&2
  exit 2
fi
if [[ ! -f "$scenario" ]]; then
  echo "bench/instructions.sh: $scenario: no such scenario file" >&2
  exit 2
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

count() {  # $1 = --store value; prints the total instructions
  valgrind --tool=callgrind --callgrind-out-file="$work/$1.out" \
    "$binary" run "$scenario" -r 1 -t 1 -q --store "$1" -o "$work/$1.h5" >"$work/$1.log" 2>&1 || {
    echo "bench/instructions.sh: the run under callgrind failed:" >&2
    tail -20 "$work/$1.log" >&2
    exit 1
  }
  sed -n 's/^summary: *\([0-9]*\).*/\1/p' "$work/$1.out" | head -1
}

annual="$(count annual)"
all="$(count all)"
printf 'instructions of a whole cpcsim run, 1 replicate, 1 thread, --store annual: %s\n' "$annual"
printf 'the same with every output (the monthly table by cell too):                %s\n' "$all"
echo "functions with the most instructions of their own (--store annual):"
callgrind_annotate "$work/annual.out" >"$work/annual.txt" 2>/dev/null || true
grep -E '^ *[0-9][0-9,]* +\([ 0-9.]+%\) ' "$work/annual.txt" | grep -v 'PROGRAM TOTALS' |
  awk 'NR <= 12' | sed -E 's/\(([^()]|\([^()]*\))*\) \[.*$//; s/\[[^]]*\]$//' | cut -c1-110
printf 'BENCH_INSTRUCTIONS {"annual": %s, "all": %s}\n' "$annual" "$all"
