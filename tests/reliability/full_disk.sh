#!/usr/bin/env bash
# Crashes (issue 9): on a full file system the error was right ("No space left on device") but
# the process then died in HDF5's exit clean-up (SIGSEGV, exit 139). Now run, compare, sweep run
# and sweep merge report the error with the normal error status (1) and leave no temporary file.
# Needs a 200 kB tmpfs mounted on an empty folder (root, or a container allowed to mount);
# skipped (exit 77, CTest SKIP_RETURN_CODE) with a message where mounting is not allowed.
source "$(dirname "$0")/common.sh"
mkdir full
if ! mount -t tmpfs -o size=200k tmpfs full 2>mount.err; then
  echo "SKIPPED: cannot mount a small tmpfs here ($(cat mount.err)); the full-disk checks need root or CAP_SYS_ADMIN"
  exit 77
fi
trap 'umount "$WORK/full" 2>/dev/null || true' EXIT
write_small_sweep sweep.toml
# Task files to merge (written to the roomy folder).
"$CPCSIM" sweep run sweep.toml --task 0 --tasks 2 -q -o task-0.h5 >/dev/null
"$CPCSIM" sweep run sweep.toml --task 1 --tasks 2 -q -o task-1.h5 >/dev/null
expect_status 1 "run onto a full disk" "$CPCSIM" run "$SCENARIO" -r 1 -q -o full/o.h5
expect_err "run names the cause" "No space left on device"
no_temp_files full "run onto a full disk"
expect_status 1 "compare onto a full disk" "$CPCSIM" compare "$SCENARIO" "$SCENARIO_B" -r 1 -q -o full/c.h5
expect_err "compare names the cause" "No space left on device"
no_temp_files full "compare onto a full disk"
expect_status 1 "sweep run onto a full disk" "$CPCSIM" sweep run sweep.toml -q -o full/s.h5
no_temp_files full "sweep run onto a full disk"
expect_status 1 "sweep merge onto a full disk" "$CPCSIM" sweep merge --out full/m.h5 task-0.h5 task-1.h5
expect_err "merge names the cause" "No space left on device"
no_temp_files full "sweep merge onto a full disk"
[ -z "$(ls full)" ] || rm -rf full/*.parts  # sweep run keeps completed runs for --resume
[ ! -e full/o.h5 ] && [ ! -e full/c.h5 ] && [ ! -e full/s.h5 ] && [ ! -e full/m.h5 ] ||
  fail "a half-written output appeared under its final name"
echo "ok: nothing half-written under a final name"
