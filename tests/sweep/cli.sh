#!/usr/bin/env bash
# cpcsim sweep through the command line: help, plan, expand (existing rows unchanged), run from a
# manifest, resume after expand (only the new runs are simulated), summary, bad input.
source "$(dirname "$0")/common.sh"

for sub in "" plan expand run merge summary; do
  check "cpcsim sweep $sub --help" "$CPCSIM" sweep $sub --help >/dev/null
done
"$CPCSIM" --help | grep -q "sweep" || fail "cpcsim --help lists sweep"

write_sweep small.toml 2 5 "$GRID"
"$CPCSIM" sweep plan small.toml > stdout.csv
"$CPCSIM" sweep plan small.toml -o small.csv > plan.txt
grep -q "4 design points, 8 runs" plan.txt || fail "plan summary: $(cat plan.txt)"
head -1 small.csv | grep -qx "# cpcsim sweep manifest" || fail "manifest header"
grep -q "^run_id,point_id,point_name,replicate,seed,run_hash,funding.statutory_multiplier,network.coordinator_wte$" small.csv ||
  fail "manifest columns"
[ "$(grep -c '^[0-9]' small.csv)" = 8 ] || fail "8 run rows"
diff <(grep '^[0-9]' stdout.csv) <(grep '^[0-9]' small.csv) >/dev/null || fail "plan to stdout = plan -o"
# The manifest is stable: planning again gives the same file.
"$CPCSIM" sweep plan small.toml -o again.csv >/dev/null
cmp -s small.csv again.csv || fail "plan is reproducible"

# Expand: one more replicate and one more funding level; the old rows stay as they were.
write_sweep bigger.toml 3 5 '[design]
type = "grid"
[design.parameters]
"funding.statutory_multiplier" = [0.8, 1.2, 1.0]
"network.coordinator_wte" = [0, 1]'
cp small.csv expanded.csv
"$CPCSIM" sweep expand bigger.toml --manifest expanded.csv > expand.txt
cat expand.txt
grep -q "added 2 points and 10 runs (ids 8 to 17)" expand.txt || fail "expand counts"
diff <(grep '^[0-9]' small.csv) <(grep '^[0-9]' expanded.csv | head -8) || fail "expand changed existing rows"
[ "$(grep -c '^[0-9]' expanded.csv)" = 18 ] || fail "18 rows after expand"
"$CPCSIM" sweep expand bigger.toml --manifest expanded.csv -o twice.csv | grep -q "added 0 points and 0 runs" ||
  fail "expanding twice adds nothing"
write_sweep other-seed.toml 3 6 "$GRID"
expect_fail "expand with another seed" "$CPCSIM" sweep expand other-seed.toml --manifest small.csv -o x.csv
grep -q "seed" last.err || fail "expand error names the seed: $(cat last.err)"

# Run the small manifest, then the expanded one with --resume on the same file: only the 10 new
# runs are simulated, and the result equals a fresh run of the expanded manifest.
"$CPCSIM" sweep run small.csv -o grow.h5 -q > run1.txt
grep -q "8 runs simulated" run1.txt || fail "8 runs: $(cat run1.txt)"
"$CPCSIM" sweep run expanded.csv -o grow.h5 -q --resume > run2.txt
cat run2.txt
grep -q "10 runs simulated, 8 already complete" run2.txt || fail "resume after expand runs only the new rows"
"$CPCSIM" sweep run expanded.csv -o fresh.h5 -q > /dev/null
same grow.h5 fresh.h5

# Summary: a block per design point; CSV with one row per point and measure.
"$CPCSIM" sweep summary fresh.h5 > summary.txt
[ "$(grep -c '^point ' summary.txt)" = 6 ] || fail "summary has 6 points"
grep -q "access_rate" summary.txt || fail "summary shows access_rate"
"$CPCSIM" sweep summary fresh.h5 --csv --measures access_rate,cost_total_per_year > summary.csv
[ "$(wc -l < summary.csv)" = 13 ] || fail "summary CSV: header + 6 points x 2 measures"
expect_fail "summary of a missing file" "$CPCSIM" sweep summary nosuch.h5
"$CPCSIM" run "$SCENARIO" --set run.years=1 --set run.warmup_years=0 -r 1 -q -o run.h5 >/dev/null
expect_fail "summary of a run file" "$CPCSIM" sweep summary run.h5
grep -q "not a sweep results file" last.err || fail "summary says the file is not a sweep: $(cat last.err)"

# --set with a sweep file changes the base scenario (and so every run's hash).
"$CPCSIM" sweep plan small.toml --set network.training=0.5 -o trained.csv >/dev/null
[ "$(grep '^# base_hash' trained.csv)" != "$(grep '^# base_hash' small.csv)" ] || fail "--set changes the base hash"
expect_fail "--set with a manifest" "$CPCSIM" sweep run small.csv -o x.h5 --set network.training=0.5

# Bad sweep files: every problem at once, exit status 1, nothing written.
write_sweep bad.toml 2 5 '[design]
type = "grid"
[design.parameters]
"network.coordinator_wte" = [1, 9]
"funding.statutory_multiplier" = [-1]
"network.nonsense" = [1]'
expect_fail "plan of a bad sweep" "$CPCSIM" sweep plan bad.toml -o bad.csv
cat last.err
grep -q "3 problems" last.err || fail "all three problems reported"
[ ! -e bad.csv ] || fail "no manifest written for a bad sweep"
expect_fail "unknown subcommand" "$CPCSIM" sweep frobnicate

# The example sweep files plan (every design point loads).
for f in "$CPCSIM_SOURCE_DIR"/scenarios/sweeps/*.toml; do
  check "example $(basename "$f") plans" "$CPCSIM" sweep plan "$f" -o "example-$(basename "$f" .toml).csv"
done
echo "sweep cli: all passed"
