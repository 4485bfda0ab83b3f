#!/usr/bin/env bash
# The same sweep on 1 and 2 threads and as 1 and 4 array tasks merged (in any order) gives the
# same results file, dataset by dataset; merge refuses another sweep's task file, naming it.
source "$(dirname "$0")/common.sh"

write_sweep s.toml 3 9 "$GRID"
"$CPCSIM" sweep plan s.toml -o s.csv >/dev/null
"$CPCSIM" sweep run s.csv -o t1.h5 -t 1 -q >/dev/null
"$CPCSIM" sweep run s.toml -o t2.h5 -t 2 -q >/dev/null
same t1.h5 t2.h5
[ ! -e t1.h5.parts ] || fail "parts folder removed after assembly"

for t in 0 1 2 3; do
  "$CPCSIM" sweep run s.csv --task $t --tasks 4 -o "task-{task}.h5" -t 1 -q >/dev/null
done
"$CPCSIM" sweep merge -o merged4.h5 task-3.h5 task-1.h5 task-0.h5 task-2.h5 >/dev/null
same t1.h5 merged4.h5
"$CPCSIM" sweep run s.csv --task 0 --tasks 1 -o one-task.h5 -q >/dev/null
"$CPCSIM" sweep merge -o merged1.h5 one-task.h5 --manifest s.csv >/dev/null
same t1.h5 merged1.h5

# Refusals: a task file of another sweep (another seed), a missing task, a duplicate.
write_sweep other.toml 3 10 "$GRID"
"$CPCSIM" sweep run other.toml --task 2 --tasks 4 -o other-2.h5 -q >/dev/null
expect_fail "merge with another sweep's task file" "$CPCSIM" sweep merge -o bad.h5 task-0.h5 task-1.h5 other-2.h5 task-3.h5
grep -q "other-2.h5" last.err && grep -q "different sweep manifest" last.err || fail "merge error names the file: $(cat last.err)"
expect_fail "merge with a task missing" "$CPCSIM" sweep merge -o bad.h5 task-0.h5 task-1.h5 task-3.h5
grep -q "no file was given for task 2 of 4" last.err || fail "merge names the missing task: $(cat last.err)"
expect_fail "merge against another manifest" "$CPCSIM" sweep merge -o bad.h5 task-0.h5 task-1.h5 task-2.h5 task-3.h5 --manifest other.toml
[ ! -e bad.h5 ] || fail "nothing written by a refused merge"

# Parameter uncertainty: the manifest carries the choice to array tasks (which give no option),
# the merged file equals the one-machine run and holds the draws, one row per replicate; a
# manifest run with another choice, and a resume with another choice, are refused.
"$CPCSIM" sweep plan s.toml -o u.csv --uncertainty prior --replicates-per-draw 1 >/dev/null
grep -q "^# uncertainty: prior" u.csv || fail "the manifest records the uncertainty"
"$CPCSIM" sweep run s.toml --uncertainty prior --replicates-per-draw 1 -o u1.h5 -t 2 -q >/dev/null
for t in 0 1; do "$CPCSIM" sweep run u.csv --task $t --tasks 2 -o "u-task-{task}.h5" -t 1 -q >/dev/null; done
"$CPCSIM" sweep merge -o u-merged.h5 u-task-1.h5 u-task-0.h5 >/dev/null
same u1.h5 u-merged.h5
"$CPCSIM" sweep merge -o u-merged2.h5 u-task-0.h5 u-task-1.h5 --manifest s.toml --uncertainty prior \
  --replicates-per-draw 1 >/dev/null || fail "merge checked against the sweep file with the same uncertainty"
expect_fail "merge against the sweep file without the uncertainty" \
  "$CPCSIM" sweep merge -o x.h5 u-task-0.h5 u-task-1.h5 --manifest s.toml
$PYTHON - u1.h5 t1.h5 <<'PY' || fail "draws in the results file"
import sys, h5py
with h5py.File(sys.argv[1]) as u, h5py.File(sys.argv[2]) as t:
    d = u["/uncertainty/draws"]
    assert d.shape[0] == 3 and d.shape[1] == len(u["/uncertainty/parameters"]), d.shape
    assert "/uncertainty" not in t, "no draws without --uncertainty"
    assert (u["/runs/summary"][()] != t["/runs/summary"][()]).any(), "draws change the runs"
PY
expect_fail "a manifest run with another uncertainty" "$CPCSIM" sweep run u.csv --uncertainty none -o x.h5 -q
grep -q "planned with parameter uncertainty prior" last.err || fail "names the manifest's choice: $(cat last.err)"
expect_fail "resume with another uncertainty" "$CPCSIM" sweep run s.toml --uncertainty prior -o t1.h5 --resume -q
grep -q "made with parameter uncertainty none" last.err || fail "resume refusal: $(cat last.err)"
echo "sweep modes: all passed"
