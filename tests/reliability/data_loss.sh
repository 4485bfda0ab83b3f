#!/usr/bin/env bash
# Data loss (issue 9): outputs never replace an input of the same command, a device, a directory
# or a symbolic link (the link's target is written instead); sweep merge --remove-tasks never
# deletes the merged result. Every case exits non-zero and leaves the inputs byte for byte.
source "$(dirname "$0")/common.sh"
write_small_sweep s.toml
cp "$SCENARIO" scen.toml
sed -i "s|^areas *=.*|areas = \"$CPCSIM_SOURCE_DIR/scenarios/yorkshire-humber/areas.csv\"|; s|^providers *=.*|providers = \"$CPCSIM_SOURCE_DIR/scenarios/yorkshire-humber/providers.csv\"|" scen.toml
"$CPCSIM" check scen.toml >/dev/null || fail "the copied scenario does not load"
"$CPCSIM" sweep plan s.toml -o m.csv >/dev/null
"$CPCSIM" sweep run m.csv --task 0 --tasks 2 -q -o task-0.h5 >/dev/null
"$CPCSIM" sweep run m.csv --task 1 --tasks 2 -q -o task-1.h5 >/dev/null
"$CPCSIM" run scen.toml "${SHORT[@]}" -r 1 -q -o run.h5 >/dev/null
sha256sum scen.toml s.toml m.csv task-0.h5 task-1.h5 run.h5 > before.sha

expect_status 1 "merge --out onto one of its task files" \
  "$CPCSIM" sweep merge --out task-0.h5 task-0.h5 task-1.h5 --remove-tasks
expect_err "merge says the output is an input" "also an input of this command"
expect_status 1 "merge --out onto its manifest" "$CPCSIM" sweep merge --out m.csv --manifest m.csv task-0.h5 task-1.h5
expect_status 1 "run -o its own scenario" "$CPCSIM" run scen.toml "${SHORT[@]}" -r 1 -q -o scen.toml
expect_err "run says the output is an input" "also an input of this command"
expect_status 1 "run -o the areas table it reads" \
  "$CPCSIM" run scen.toml "${SHORT[@]}" -r 1 -q -o "$CPCSIM_SOURCE_DIR/scenarios/yorkshire-humber/areas.csv"
expect_status 1 "compare -o scenario B" "$CPCSIM" compare "$SCENARIO" scen.toml "${SHORT[@]}" -r 1 -q -o scen.toml
expect_status 1 "sweep plan -o its sweep file" "$CPCSIM" sweep plan s.toml -o s.toml
expect_status 1 "sweep run --out its manifest" "$CPCSIM" sweep run m.csv -q --out m.csv
expect_status 1 "report -o its results file" "$CPCSIM" report run.h5 -o run.h5
expect_err "report says the output is an input" "also an input of this command"
expect_status 1 "report --figures onto its results file" "$CPCSIM" report run.h5 -o r.html --figures run.h5
sha256sum -c --quiet before.sha || fail "an input changed"
echo "ok: every input unchanged"

# Merging for real with --remove-tasks removes the task files, never the result.
expect_status 0 "merge --remove-tasks" "$CPCSIM" sweep merge --out merged.h5 task-0.h5 task-1.h5 --remove-tasks
[ -s merged.h5 ] && [ ! -e task-0.h5 ] && [ ! -e task-1.h5 ] || fail "merge --remove-tasks kept tasks or lost the result"
echo "ok: merge --remove-tasks keeps the result"

# Devices, FIFOs and directories are never replaced.
mkfifo pipe
mkdir folder
for target in /dev/null pipe folder; do
  expect_status 1 "run -o $target" "$CPCSIM" run scen.toml "${SHORT[@]}" -r 1 -q -o "$target"
done
[ -c /dev/null ] && [ -p pipe ] && [ -d folder ] || fail "a device, FIFO or directory was replaced"
echo "ok: /dev/null, a FIFO and a directory untouched"

# A symbolic link: its target is written, the link stays a link.
mkdir real
ln -s real/target.h5 link.h5
expect_status 0 "run -o a dangling symbolic link" "$CPCSIM" run scen.toml "${SHORT[@]}" -r 1 -q -o link.h5
[ -L link.h5 ] && [ -s real/target.h5 ] || fail "the link was replaced instead of its target written"
"$CPCSIM" info real/target.h5 >/dev/null || fail "the link's target is not a results file"
cp real/target.h5 old-target.h5
expect_status 0 "run -o an existing symbolic link" "$CPCSIM" run scen.toml "${SHORT[@]}" -r 1 -s 9 -q -o link.h5
[ -L link.h5 ] || fail "the link was replaced"
cmp -s real/target.h5 old-target.h5 && fail "the link's target was not rewritten"
echo "ok: symbolic links followed"
no_temp_files . "data loss cases"
no_temp_files real "data loss cases (link target folder)"
