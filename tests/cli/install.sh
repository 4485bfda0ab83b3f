#!/usr/bin/env bash
# `cmake --install` to a fresh prefix gives a cpcsim whose every command works from any
# directory without the source tree: the installed binary is run from a scratch folder under
# /tmp (from which no relative path reaches the sources), with PYTHONPATH and CPCSIM_DATA_DIR
# unset, on the scenarios installed with it. Results must equal those of the build tree's
# cpcsim on the same files, and every command's output is checked, not only its exit status.
# usage: install.sh BUILD_DIR SOURCE_DIR PYTHON
set -euo pipefail
build=$1
source_dir=$2
python=$3
fail() {
  echo "INSTALL TEST FAILED: $*"
  exit 1
}
work=$(mktemp -d /tmp/cpcsim-install-test.XXXXXX)
trap 'rm -rf "$work"' EXIT
prefix=$work/prefix
cmake --install "$build" --prefix "$prefix" > "$work/install.log" || fail "cmake --install exited $?"
mkdir "$work/cwd"
cd "$work/cwd"
unset PYTHONPATH CPCSIM_DATA_DIR
cpcsim=$prefix/bin/cpcsim
built=$build/cpcsim
same() { "$python" "$source_dir/tests/sweep/compare_h5.py" "$1" "$2" || fail "$1 and $2 differ"; }
tiny=(--set run.years=1 --set run.warmup_years=0)
scenarios=$prefix/share/cpcsim/scenarios/yorkshire-humber

# The installed tree: the binary, the analysis package, the scenarios, the docs; no source path
# compiled into the binary.
for f in bin/cpcsim share/cpcsim/analysis/report.py share/cpcsim/scenarios/yorkshire-humber/no-network.toml \
  share/cpcsim/scenarios/sweeps/funding-x-network.toml share/doc/cpcsim/parameters.md \
  share/cpcsim/web/explorer/index.html share/cpcsim/web/explorer/explorer.js; do
  [ -f "$prefix/$f" ] || fail "$f not installed"
done
if grep -aqF "$source_dir" "$cpcsim"; then fail "the installed binary holds the source path $source_dir"; fi

"$cpcsim" --version > version.txt
grep -Eq "^cpcsim [0-9]+\.[0-9]+\.[0-9]+ " version.txt || fail "--version: $(cat version.txt)"
"$cpcsim" --help > help.txt
for c in bench calibrate calibration check compare info params report run serve solve sweep; do
  grep -q "^  $c " help.txt || fail "--help does not list $c"
done

"$cpcsim" check "$scenarios/no-network.toml" > check.txt
grep -q "no-network.toml: OK" check.txt || fail "check: $(cat check.txt)"

# run and info; the same file as the build tree's cpcsim writes.
"$cpcsim" run "$scenarios/no-network.toml" "${tiny[@]}" -r 2 -q -o run.h5 > run.txt
grep -q "^  children_per_year " run.txt || fail "run printed no summary"
"$built" run "$scenarios/no-network.toml" "${tiny[@]}" -r 2 -q -o run-built.h5 > /dev/null
same run.h5 run-built.h5
"$cpcsim" info run.h5 > info.txt
grep -Eq "^  kind +run$" info.txt && grep -Eq "^  replicates +2$" info.txt || fail "info: $(head -20 info.txt)"

# compare: both arms, paired.
"$cpcsim" compare "$scenarios/no-network.toml" "$scenarios/full-network.toml" "${tiny[@]}" -r 2 -q -o cmp.h5 \
  > compare.txt
grep -q "2 paired replicates" compare.txt && grep -q "^  death_home_share " compare.txt || fail "compare output"
"$built" compare "$scenarios/no-network.toml" "$scenarios/full-network.toml" "${tiny[@]}" -r 2 -q \
  -o cmp-built.h5 > /dev/null
same cmp.h5 cmp-built.h5

# params: the table in the installed docs is the one the binary declares.
"$cpcsim" params --markdown > params.md
diff <(tail -n +5 "$prefix/share/doc/cpcsim/parameters.md") params.md > /dev/null ||
  fail "params --markdown differs from the installed docs/parameters.md"

# calibration (tiny): every target reported, and the exit status says whether any failed.
status=0
"$cpcsim" calibration "$scenarios/no-network.toml" "${tiny[@]}" -r 2 -q > calibration.txt || status=$?
grep -q "^  C11 " calibration.txt || fail "calibration does not report C11"
failed=$(sed -n 's/^[0-9]* passed, \([0-9]*\) failed$/\1/p' calibration.txt)
[ -n "$failed" ] || fail "calibration prints no pass/fail count"
{ [ "$failed" = 0 ] && [ $status = 0 ]; } || { [ "$failed" != 0 ] && [ $status = 1 ]; } ||
  fail "calibration exit status $status with $failed failed targets"

# report: the analysis package is found next to the binary.
"$cpcsim" report cmp.h5 -o report.html > report.txt 2> report.err || fail "report: $(cat report.err)"
grep -q "<html" report.html && grep -q "<img\|<svg" report.html || fail "report.html has no page or figures"

# calibrate: the analysis module is found next to the binary; the shipped ensemble drives a run.
"$cpcsim" calibrate --help > calibrate.txt 2>&1 || fail "calibrate --help: $(cat calibrate.txt)"
grep -q "usage: cpcsim calibrate" calibrate.txt || fail "calibrate --help: $(cat calibrate.txt)"
"$cpcsim" run "$scenarios/no-network.toml" -r 2 "${tiny[@]}" --uncertainty "$scenarios/ensemble.h5" -o ens.h5 -q \
  > ens.txt 2>&1 || fail "run --uncertainty ensemble.h5: $(cat ens.txt)"

# bench: its default scenario is the installed one.
"$cpcsim" bench --repeat 1 --replicates 2 "${tiny[@]}" > bench.txt
grep -q "days simulated per replicate: 365" bench.txt || fail "bench: $(cat bench.txt)"

# sweep plan, run, summary on a tiny grid; the same results as the build tree's cpcsim.
cat > s.toml << EOT
[sweep]
name = "install test"
scenario = "$scenarios/no-network.toml"
replicates = 2
seed = 5
set = { "run.years" = 1, "run.warmup_years" = 0 }

[design]
type = "grid"
[design.parameters]
"funding.statutory_multiplier" = [0.8, 1.2]
EOT
"$cpcsim" sweep plan s.toml -o s.csv > plan.txt
grep -q "2 design points, 4 runs" plan.txt && [ "$(wc -l < s.csv)" -gt 4 ] || fail "sweep plan: $(cat plan.txt)"
"$cpcsim" sweep run s.csv -o sweep.h5 -q > sweep-run.txt
grep -q "4 runs simulated" sweep-run.txt || fail "sweep run: $(cat sweep-run.txt)"
"$built" sweep run s.csv -o sweep-built.h5 -q > /dev/null
same sweep.h5 sweep-built.h5
"$cpcsim" sweep summary sweep.h5 > summary.txt
grep -q "^point 0: funding.statutory_multiplier=0.8 (2 runs)" summary.txt &&
  grep -q "^point 1: funding.statutory_multiplier=1.2 (2 runs)" summary.txt || fail "sweep summary: $(cat summary.txt)"

echo "install test: all passed"
