#!/usr/bin/env bash
# Crashes (issue 9): absurd --threads values gave SIGSEGV in TBB's arena teardown (-t 200000) or
# "internal error: std::bad_alloc" (-t 100000000) and left a temporary file. Now every command
# that takes --threads refuses values outside 0 to 4096 with a usage error (exit 2) naming the
# option and the range, and caps values above the available cores with a note.
source "$(dirname "$0")/common.sh"
write_small_sweep sweep.toml
for t in 200000 100000000 -1; do
  expect_status 2 "run -t $t" "$CPCSIM" run "$SCENARIO" "${SHORT[@]}" -r 1 -t "$t" -o x.h5
  expect_err "run -t $t names the option and range" "--threads: expected a whole number in \[0, 4096\], got .$t."
  expect_status 2 "compare -t $t" "$CPCSIM" compare "$SCENARIO" "$SCENARIO_B" "${SHORT[@]}" -r 1 -t "$t" -o c.h5
  expect_err "compare -t $t names the option and range" "--threads: expected a whole number in \[0, 4096\], got .$t."
  expect_status 2 "calibration -t $t" "$CPCSIM" calibration "$SCENARIO" "${SHORT[@]}" -r 1 -t "$t"
  expect_err "calibration -t $t names the option and range" "--threads: expected a whole number in \[0, 4096\], got .$t."
  expect_status 2 "sweep run -t $t" "$CPCSIM" sweep run sweep.toml -t "$t" -o s.h5
  expect_err "sweep run -t $t names the option and range" "--threads: expected a whole number in \[0, 4096\], got .$t."
done
no_temp_files . "refused --threads"
[ ! -e x.h5 ] && [ ! -e c.h5 ] && [ ! -e s.h5 ] || fail "an output was written despite the refused --threads"
# More threads than cores: capped with a note, and the results are those of one thread.
expect_status 0 "run -t 4096 (capped)" "$CPCSIM" run "$SCENARIO" "${SHORT[@]}" -r 2 -t 4096 -q -o many.h5
expect_err "run -t 4096 says it caps" "note: --threads 4096 is more than the [0-9]+ cores available; using [0-9]+"
expect_status 0 "run -t 1" "$CPCSIM" run "$SCENARIO" "${SHORT[@]}" -r 2 -t 1 -q -o one.h5
"$PYTHON" - many.h5 one.h5 <<'PY' || fail "capped threads changed the results"
import sys, h5py, numpy as np
a, b = h5py.File(sys.argv[1], "r"), h5py.File(sys.argv[2], "r")
for name in a["runs"]:
    if isinstance(a["runs"][name], h5py.Dataset):
        assert np.array_equal(a["runs"][name][()], b["runs"][name][()], equal_nan=True), name
PY
echo "ok: capped threads give the same results"
no_temp_files . "capped threads"
