#!/usr/bin/env bash
# Cluster output (issue 9): without a terminal (Slurm logs, CI) progress is a plain line every
# CPCSIM_PROGRESS_SECONDS (default 30); --quiet prints none. compare with one scenario says it
# needs two; sweep commands given a scenario file (and run given a sweep file) say so. Text
# tables keep money values apart from the next column.
source "$(dirname "$0")/common.sh"
write_small_sweep s.toml
CPCSIM_PROGRESS_SECONDS=0 "$CPCSIM" run "$SCENARIO" "${SHORT[@]}" -r 3 -t 1 -o r.h5 >r.out 2>r.err ||
  fail "run failed"
grep -Eq "^run: 1 of 3 done, [0-9]+ s elapsed, about [0-9]+ s left$" r.err || { cat r.err; fail "no plain progress line"; }
grep -Eq "^run: 3 of 3 done in [0-9]+ s$" r.err || { cat r.err; fail "no final progress line"; }
grep -q $'\r' r.err && fail "progress without a terminal contains carriage returns"
echo "ok: plain progress lines without a terminal"
CPCSIM_PROGRESS_SECONDS=0 "$CPCSIM" sweep run s.toml -t 1 -o s.h5 >s.out 2>s.err || fail "sweep run failed"
grep -Eq "^sweep: 1 of 4 done" s.err || { cat s.err; fail "no plain progress line from sweep run"; }
echo "ok: sweep run prints plain progress lines"
CPCSIM_PROGRESS_SECONDS=0 "$CPCSIM" run "$SCENARIO" "${SHORT[@]}" -r 3 -q -o q.h5 >q.out 2>q.err || fail "run -q failed"
[ ! -s q.err ] || { cat q.err; fail "--quiet still printed progress"; }
echo "ok: --quiet prints no progress"

expect_status 2 "compare with one scenario" "$CPCSIM" compare "$SCENARIO" -r 1
expect_err "compare says it needs two scenarios" "compare needs two scenarios"
grep -q "option '--b' is required" last.err && fail "compare still speaks of option --b"
expect_status 2 "sweep run on a scenario file" "$CPCSIM" sweep run "$SCENARIO" -o x.h5
expect_err "sweep run says it is a scenario" "is a scenario file, not a sweep"
expect_status 2 "sweep plan on a scenario file" "$CPCSIM" sweep plan "$SCENARIO"
expect_err "sweep plan says it is a scenario" "is a scenario file, not a sweep"
expect_status 2 "run on a sweep file" "$CPCSIM" run s.toml -r 1 -o x.h5
expect_err "run says it is a sweep file" "is a sweep file, not a scenario"

# Money columns: every table row keeps at least two spaces between its columns.
grep -E "^  cost_total_per_year +[-0-9.]+ \[[-0-9.]+, [-0-9.]+\]  +GBP" r.out >/dev/null ||
  { grep cost r.out; fail "run's table runs the money value into its unit"; }
"$CPCSIM" compare "$SCENARIO" "$SCENARIO_B" "${SHORT[@]}" -r 2 -q -o c.h5 >c.out || fail "compare failed"
line=$(grep "^  cost_total_per_year" c.out)
fields=$(printf '%s\n' "$line" | sed -E 's/^ +//; s/ {2,}/\t/g' | awk -F'\t' '{print NF}')
[ "$fields" = 5 ] || { echo "$line"; fail "compare's money row has $fields columns, expected 5"; }
echo "ok: money values keep their columns apart"
