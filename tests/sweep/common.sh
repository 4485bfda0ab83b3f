# Shared by the sweep command-line tests (sourced). Environment from tests/sweep/sweep_tests.cmake:
#   CPCSIM      the cpcsim binary          CPCSIM_SOURCE_DIR  the source tree
#   PYTHON      Python 3 with h5py         first argument     a scratch folder (emptied)
# A failed check prints a line starting "SWEEP TEST FAILED" (CTest's FAIL_REGULAR_EXPRESSION)
# and exits non-zero.
set -euo pipefail
: "${CPCSIM:?set CPCSIM to the cpcsim binary}"
: "${CPCSIM_SOURCE_DIR:?set CPCSIM_SOURCE_DIR to the source tree}"
PYTHON=${PYTHON:-/usr/bin/python3}
WORK=${1:?usage: $0 WORKDIR}
rm -rf "$WORK"
mkdir -p "$WORK"
cd "$WORK"
COMPARE="$PYTHON $CPCSIM_SOURCE_DIR/tests/sweep/compare_h5.py"
SCENARIO="$CPCSIM_SOURCE_DIR/scenarios/yorkshire-humber/no-network.toml"

fail() {
  echo "SWEEP TEST FAILED: $*"
  exit 1
}
check() {  # check "what" command...
  local what=$1
  shift
  if "$@"; then echo "ok: $what"; else fail "$what"; fi
}
same() {  # same A.h5 B.h5: every dataset and deterministic attribute equal
  $COMPARE "$1" "$2" || fail "$1 and $2 differ"
}
# expect_fail "what" command...: the command must exit non-zero; its stderr is in last.err
expect_fail() {
  local what=$1
  shift
  if "$@" >last.out 2>last.err; then cat last.out last.err; fail "$what: expected a non-zero exit status"; fi
  echo "ok: $what (exit status non-zero)"
}
count_parts() { ls "$1" 2>/dev/null | grep -c '^run-' || true; }

# A tiny sweep file: 1-year runs without warm-up of the default region.
# write_sweep FILE REPLICATES SEED DESIGN-TEXT
write_sweep() {
  cat > "$1" <<EOT
[sweep]
name = "test sweep"
scenario = "$SCENARIO"
replicates = $2
seed = $3
set = { "run.years" = 1, "run.warmup_years" = 0 }

$4
EOT
}
GRID='[design]
type = "grid"
[design.parameters]
"funding.statutory_multiplier" = [0.8, 1.2]
"network.coordinator_wte" = [0, 1]'
