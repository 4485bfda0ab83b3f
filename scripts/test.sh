#!/usr/bin/env bash
# Every test of cpcsim, from a fresh Debian 12 machine: installs what is missing, builds the
# release and sanitizer configurations and runs their tests (unit, regression, validation; the
# unit tests again under AddressSanitizer + UndefinedBehaviorSanitizer).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/check-format.sh
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
cmake --preset release >/dev/null
cmake --build --preset release
ctest --preset release
cmake --preset asan >/dev/null
cmake --build --preset asan --target cpcsim_tests cpcsim
ctest --preset asan-unit
