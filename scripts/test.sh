#!/usr/bin/env bash
# Every test of cpcsim, from a fresh Debian 12 machine: installs what is missing, builds the
# release and sanitizer configurations and runs their tests (unit, regression, validation; the
# unit tests again under AddressSanitizer + UndefinedBehaviorSanitizer; the clang build's unit,
# golden and identity tests), then a short fuzz run of
# every reader (scripts/fuzz.sh: about a minute per target; CPCSIM_FUZZ_SECONDS changes it, 0 skips).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/check-format.sh
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
cmake --preset release >/dev/null
cmake --build --preset release
ctest --preset release
# Speed and memory figures for the log, with a machine-readable BENCH line (issue 14). No threshold:
# a noisy machine must not fail CI, but a regression shows in the log.
./build/release/cpcsim bench --repeat 3 --replicates 2
# The same work as instructions executed (valgrind's callgrind): the same count under any load, so
# a change of 1% shows (BENCH_INSTRUCTIONS line; docs/benchmarks.md, "Instructions, not seconds").
bash bench/instructions.sh build/release/cpcsim
# cpcsim against its SimPy peer, once (about 15 s): the BENCH_PEER line, with both programs'
# outcomes side by side (that they agree is a test: "regression: the SimPy peer does cpcsim's work").
/usr/bin/python3 bench/peer_bench.py --cpcsim-repeat 3 --peer-repeat 1
cmake --preset asan >/dev/null
cmake --build --preset asan --target cpcsim_tests cpcsim
ctest --preset asan-unit
# The same sources built by clang: they must build, and give the golden outputs and every identity
# (threads, tasks, files) bit for bit as GCC does (docs/development.md, "Golden outputs").
cmake --preset clang >/dev/null
cmake --build --preset clang
ctest --preset clang-identity
fuzz_seconds=${CPCSIM_FUZZ_SECONDS:-60}
if ((fuzz_seconds > 0)); then
  bash scripts/fuzz.sh "$fuzz_seconds"
fi
