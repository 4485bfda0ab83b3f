#!/usr/bin/env bash
# MPI: `mpirun -np 1` and `mpirun -np 3 --oversubscribe` give the same results file as threads;
# failing runs on any rank are reported (rank and run id) with a non-zero exit status, and
# --resume under MPI finishes only what is missing.
source "$(dirname "$0")/common.sh"
command -v mpirun >/dev/null || fail "mpirun not found (openmpi-bin; scripts/setup.sh installs it)"
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
MPIRUN="mpirun --oversubscribe"

write_sweep s.toml 3 21 "$GRID"
"$CPCSIM" sweep plan s.toml -o s.csv >/dev/null
"$CPCSIM" sweep run s.csv -o threads.h5 -t 2 -q >/dev/null
$MPIRUN -np 1 "$CPCSIM" sweep run s.csv -o mpi1.h5 -q > mpi1.txt
grep -q "MPI: 1 ranks" mpi1.txt || fail "MPI mode with 1 rank: $(cat mpi1.txt)"
same threads.h5 mpi1.h5
$MPIRUN -np 3 "$CPCSIM" sweep run s.csv -o mpi3.h5 -q > mpi3.txt
cat mpi3.txt
grep -q "MPI: 3 ranks" mpi3.txt || fail "MPI mode with 3 ranks"
grep -q "12 runs simulated" mpi3.txt || fail "12 runs over 3 ranks"
same threads.h5 mpi3.h5

# Failures on the ranks: reported by rank 0 with each run id; the other runs are kept.
expect_fail "MPI sweep with failing runs" $MPIRUN -np 3 "$CPCSIM" sweep run s.csv -o f.h5 -q --test-fail-runs 1,6,10
cat last.err | grep -v '^-\|^$' | head -20
grep -q "3 of 12 runs failed" last.err || fail "failure count under MPI"
for id in 1 6 10; do grep -q "run $id (design point" last.err || fail "run $id named"; done
[ "$(count_parts f.h5.parts)" = 9 ] || fail "9 completed runs kept"
$MPIRUN -np 3 "$CPCSIM" sweep run s.csv -o f.h5 -q --resume > resume.txt
grep -q "3 runs simulated, 9 already complete" resume.txt || fail "MPI resume: $(cat resume.txt)"
same threads.h5 f.h5

# Parameter uncertainty under MPI: every rank reads the choice from the manifest; same file as threads.
"$CPCSIM" sweep plan s.toml -o u.csv --uncertainty prior >/dev/null
"$CPCSIM" sweep run u.csv -o u-threads.h5 -t 2 -q >/dev/null
$MPIRUN -np 3 "$CPCSIM" sweep run u.csv -o u-mpi.h5 -q >/dev/null
same u-threads.h5 u-mpi.h5
$PYTHON -c 'import sys, h5py; assert "/uncertainty/draws" in h5py.File(sys.argv[1])' u-mpi.h5 || fail "draws under MPI"
echo "sweep mpi: all passed"
