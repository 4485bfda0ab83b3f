#!/usr/bin/env bash
# Smoke test of one example scenario through the command line: `check` prints OK, a one-year run
# without warm-up writes a results file and its summary, and `info` reads the file back.
# usage: smoke.sh CPCSIM SCENARIO WORKDIR
set -euo pipefail
cpcsim=$1
scenario=$2
work=$3
rm -rf "$work"
mkdir -p "$work"
cd "$work"
fail() { echo "smoke test of $scenario: $*" >&2; exit 1; }
"$cpcsim" check "$scenario" > check.txt || fail "check exited $?"
grep -q ": OK" check.txt || fail "check did not print OK"
"$cpcsim" run "$scenario" --set run.years=1 --set run.warmup_years=0 -r 2 -q -o results.h5 > run.txt \
  || fail "run exited $?"
test -s results.h5 || fail "no results file"
grep -q "children_per_year" run.txt || fail "no summary printed"
"$cpcsim" info results.h5 > info.txt || fail "info exited $?"
grep -q "runs/" info.txt || fail "info does not list the runs group"
# Nothing else is left in the directory (no temporary files).
leftover=$(ls -A | grep -v -x -e results.h5 -e check.txt -e run.txt -e info.txt || true)
[ -z "$leftover" ] || fail "unexpected files left: $leftover"
