# Shared by the reliability tests (sourced). Environment from tests/reliability/reliability_tests.cmake:
#   CPCSIM  the cpcsim binary   CPCSIM_SOURCE_DIR  the source tree   PYTHON  Python 3 with h5py
#   first argument: a scratch folder (emptied)
# A failed check prints "RELIABILITY TEST FAILED: ..." (CTest's FAIL_REGULAR_EXPRESSION) and exits 1.
# The sweep tests' preamble: environment checks, an emptied WORK folder (cd'd into), SCENARIO,
# expect_fail, write_sweep FILE REPLICATES SEED DESIGN and GRID (4 points).
source "$(dirname "${BASH_SOURCE[0]}")/../sweep/common.sh"
SCENARIO_B="$CPCSIM_SOURCE_DIR/scenarios/yorkshire-humber/full-network.toml"
SHORT=(--set run.years=1 --set run.warmup_years=0)

fail() {
  echo "RELIABILITY TEST FAILED: $*"
  exit 1
}
# expect_status CODE "what" command...: the command exits with CODE; output in last.out/last.err
expect_status() {
  local want=$1 what=$2
  shift 2
  local got=0
  "$@" >last.out 2>last.err || got=$?
  if [ "$got" != "$want" ]; then
    cat last.out last.err
    fail "$what: exit status $got, expected $want"
  fi
  echo "ok: $what (exit $got)"
}
# expect_err "what" PATTERN: last.err matches the extended regular expression
expect_err() {
  grep -Eq -- "$2" last.err || { cat last.err; fail "$1: stderr does not match '$2'"; }
  echo "ok: $1"
}
# no_temp_files DIR "what": no .NAME.tmp-... file in DIR
no_temp_files() {
  local left
  left=$(find "$1" -maxdepth 1 -name '.*.tmp*' 2>/dev/null || true)
  [ -z "$left" ] || fail "$2: temporary files left: $left"
  echo "ok: $2 (no temporary files)"
}
# A tiny sweep: 4 design points x 1 replicate of 1-year runs.
write_small_sweep() { write_sweep "$1" 1 7 "$GRID"; }
# This host as it appears in temporary file names (io::AtomicOutput): up to the first dot,
# characters other than letters and digits as '_'.
host_tag() {
  local h
  h=$(hostname)
  h=${h%%.*}
  h=$(printf '%s' "$h" | tr -c 'A-Za-z0-9' '_' | cut -c1-32)
  printf '%s' "${h:-host}"
}
