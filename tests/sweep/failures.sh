#!/usr/bin/env bash
# Failing runs (the hidden test option --test-fail-runs makes runs 3 and 7 throw) are reported with their id and reason, the
# other runs complete and are kept, the exit status is non-zero and no results file is written;
# --resume then finishes only the failed runs. The same for one array task.
source "$(dirname "$0")/common.sh"

write_sweep s.toml 3 17 "$GRID"
"$CPCSIM" sweep run s.toml -o reference.h5 -q >/dev/null

expect_fail "a sweep with failing runs" "$CPCSIM" sweep run s.toml -o r.h5 -t 2 -q --test-fail-runs 3,7
cat last.out last.err
grep -q "2 of 12 runs failed" last.err || fail "failure count"
grep -q "run 3 (design point 1 " last.err && grep -q "run 7 (design point 2 " last.err || fail "failed run ids named"
grep -q "injected failure" last.err || fail "failure reason given"
grep -q "10 runs simulated" last.out || fail "the other runs completed"
[ "$(count_parts r.h5.parts)" = 10 ] || fail "10 completed runs kept"
[ ! -e r.h5 ] || fail "no results file with failed runs"

# One array task with a failing run: that task fails, the others are fine.
expect_fail "a task with a failing run" "$CPCSIM" sweep run s.toml --task 1 --tasks 2 -o task-1.h5 -q --test-fail-runs 3,7
grep -q "run 3 " last.err || fail "task names its failed run"

"$CPCSIM" sweep run s.toml -o r.h5 -t 2 -q --resume > resume.txt
grep -q "2 runs simulated, 10 already complete" resume.txt || fail "resume simulates the failed runs only: $(cat resume.txt)"
same reference.h5 r.h5
"$CPCSIM" sweep run s.toml --task 1 --tasks 2 -o task-1.h5 -q --resume >/dev/null
"$CPCSIM" sweep run s.toml --task 0 --tasks 2 -o task-0.h5 -q >/dev/null
"$CPCSIM" sweep merge -o merged.h5 task-0.h5 task-1.h5 >/dev/null
same reference.h5 merged.h5
echo "sweep failures: all passed"
