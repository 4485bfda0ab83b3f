#!/usr/bin/env bash
# The sweep on a real (local, single-node) Slurm cluster started with cluster/slurm-ci.sh:
#  1. cluster/submit-sweep.sh plans the sweep and submits cluster/sweep-array.sbatch as a 4-task
#     job array and cluster/sweep-merge.sbatch with --dependency=afterok; the merged file equals
#     the single-machine sweep, dataset by dataset;
#  2. `srun --mpi=pmix -n 2` runs the MPI sweep: same file;
#  3. cluster/sweep-mpi.sbatch (srun --mpi=pmix inside sbatch): same file.
# Without the Slurm packages the test is skipped (status 77), except in CI (CI=true), where it
# fails: scripts/setup.sh installs them there.
source "$(dirname "$0")/common.sh"
SLURM_CI="$CPCSIM_SOURCE_DIR/cluster/slurm-ci.sh"
if ! missing=$("$SLURM_CI" check 2>&1); then
  if [ "${CI:-}" = true ]; then fail "Slurm is not installed: $missing"; fi
  echo "skipped: $missing"
  exit 77
fi

# A private cluster: its own folder (short: the munge socket path must fit in 108 bytes) and two
# free ports, so it cannot meet another one. Its logs are shown if the test fails.
SLURM_CI_DIR=$(mktemp -d /tmp/cpcsim-slurm.XXXXXX)
export SLURM_CI_DIR SLURM_CI_CPUS=4
read -r SLURM_CI_CTLD_PORT SLURM_CI_SLURMD_PORT < <($PYTHON -c '
import socket
s = [socket.socket() for _ in range(2)]
for x in s: x.bind(("127.0.0.1", 0))
print(*[x.getsockname()[1] for x in s])')
export SLURM_CI_CTLD_PORT SLURM_CI_SLURMD_PORT
finish() {
  local status=$?
  "$SLURM_CI" stop || true
  if [ $status != 0 ]; then "$SLURM_CI" logs || true; fi
  rm -rf "$SLURM_CI_DIR"
}
trap finish EXIT
"$SLURM_CI" start || fail "the local Slurm cluster did not start"
eval "$("$SLURM_CI" env)"

write_sweep s.toml 3 31 "$GRID"
"$CPCSIM" sweep run s.toml -o local.h5 -t 2 -q >/dev/null

# 1. job array + merge job
t0=$(date +%s)
ids=$(CPCSIM="$CPCSIM" "$CPCSIM_SOURCE_DIR/cluster/submit-sweep.sh" s.toml 4 array --cpus-per-task=1) ||
  fail "submit-sweep.sh"
read -r array merge <<<"$ids"
echo "array job $array, merge job $merge"
"$SLURM_CI" wait "$array" "$merge" || { tail -n 20 array/*.out; fail "the array or the merge job did not complete"; }
echo "array + merge done in $(( $(date +%s) - t0 )) s"
cat array/slurm-merge-*.out
same local.h5 array/results.h5
ls array/task-*.h5 >/dev/null 2>&1 && fail "the merge job removes the task files"

# 2. srun --mpi=pmix -n 2
srun --mpi=pmix -n 2 "$CPCSIM" sweep run array/manifest.csv -o srun.h5 -q > srun.txt || fail "srun --mpi=pmix"
cat srun.txt
grep -q "MPI: 2 ranks" srun.txt || fail "srun started the MPI sweep on 2 ranks"
same local.h5 srun.h5

# 3. the MPI batch script
mpi=$(SWEEP=array/manifest.csv SWEEP_RESULTS="$WORK/mpi/results.h5" CPCSIM="$CPCSIM" \
      sbatch --parsable --ntasks=2 --output="$WORK/mpi-%j.out" "$CPCSIM_SOURCE_DIR/cluster/sweep-mpi.sbatch")
"$SLURM_CI" wait "${mpi%%;*}" || { cat mpi-*.out; fail "sweep-mpi.sbatch"; }
same local.h5 mpi/results.h5
echo "sweep slurm: all passed"
