#!/usr/bin/env bash
# Integrity (issue 9): every chunked dataset carries a Fletcher-32 checksum, and data that is
# reused is read through it. A copy of a results file with one chunk's stored bytes changed
# (at the chunk's file offset from HDF5's chunk index) is refused, naming the file and the
# dataset, by sweep merge (which copies chunks), sweep run --resume (which reuses rows of an
# existing results file), sweep summary and info --verify; info also refuses a file whose layout
# is not what its kind promises (a compare file without arms/B, kind = "banana").
source "$(dirname "$0")/common.sh"
DAMAGE="$PYTHON $CPCSIM_SOURCE_DIR/tests/reliability/damage_chunk.py"
write_small_sweep sweep.toml
"$CPCSIM" sweep plan sweep.toml -o manifest.csv >/dev/null
"$CPCSIM" sweep run manifest.csv --task 0 --tasks 2 -q -o task-0.h5 >/dev/null
"$CPCSIM" sweep run manifest.csv --task 1 --tasks 2 -q -o task-1.h5 >/dev/null
"$CPCSIM" sweep merge --out good.h5 task-0.h5 task-1.h5 >/dev/null
h5ls -v task-0.h5/runs/monthly | grep -q fletcher32 || fail "task file datasets carry no Fletcher-32 checksum"
echo "ok: chunked datasets carry Fletcher-32 checksums"
expect_status 0 "info --verify on an intact file" "$CPCSIM" info --verify good.h5
grep -q "verified: every one of" last.out || fail "info --verify printed no verification"

cp task-1.h5 bad-task-1.h5
$DAMAGE bad-task-1.h5 /runs/monthly 0
expect_status 1 "merge refuses a damaged chunk" "$CPCSIM" sweep merge --out merged.h5 task-0.h5 bad-task-1.h5
expect_err "merge names the file and dataset" "bad-task-1.h5.*/runs/monthly.*damaged"
[ ! -e merged.h5 ] || fail "merge wrote a file from damaged data"
no_temp_files . "refused merge"
expect_status 1 "info --verify finds the damage" "$CPCSIM" info --verify bad-task-1.h5
expect_err "info --verify names the dataset" "damaged: /runs/monthly"

cp good.h5 bad-good.h5
$DAMAGE bad-good.h5 /runs/summary 0
expect_status 1 "sweep summary refuses a damaged chunk" "$CPCSIM" sweep summary bad-good.h5
expect_err "summary names the file and dataset" "bad-good.h5.*/runs/summary"

# --resume reuses the rows of an existing results file: damaged rows are refused, not copied.
cp good.h5 resume.h5
$DAMAGE resume.h5 /runs/annual 0
expect_status 1 "sweep run --resume refuses a damaged chunk" "$CPCSIM" sweep run manifest.csv --resume -q -o resume.h5
expect_err "--resume names the file and dataset" "resume.h5.*/runs/annual.*damaged"
cmp -s resume.h5 good.h5 && fail "the damaged file was replaced silently"
no_temp_files . "refused resume"

# Layout: info validates what the file's kind promises.
"$CPCSIM" compare "$SCENARIO" "$SCENARIO_B" "${SHORT[@]}" -r 2 -q -o cmp.h5 >/dev/null
cp cmp.h5 no-b.h5
"$PYTHON" -c "import h5py,sys; f=h5py.File('no-b.h5','r+'); del f['arms/B']"
expect_status 1 "info refuses a compare file without arms/B" "$CPCSIM" info no-b.h5
expect_err "info names the missing group" "/arms/B/runs is missing"
cp cmp.h5 banana.h5
"$PYTHON" -c "import h5py; f=h5py.File('banana.h5','r+'); f.attrs['kind']='banana'"
expect_status 1 "info refuses kind = banana" "$CPCSIM" info banana.h5
expect_err "info names the kind" "kind' is \"banana\""
expect_status 0 "info accepts the intact compare file" "$CPCSIM" info --verify cmp.h5
