#!/usr/bin/env bash
# Plans a sweep and submits it to Slurm as a job array of N tasks plus a merge job that starts
# when every task has succeeded (--dependency=afterok). Prints the two job ids.
#
#   cluster/submit-sweep.sh SWEEP.toml N OUT_DIR [extra sbatch options for both jobs...]
#
# Writes OUT_DIR/manifest.csv; the tasks write OUT_DIR/task-I.h5 and the merge OUT_DIR/results.h5.
# CPCSIM (default: cpcsim on PATH) is the program the jobs run. SWEEP_PLAN_OPTIONS are added to the
# plan (e.g. "--uncertainty prior": the manifest then carries it to every task). Follow with
#   squeue -u $USER       and, when done,      cpcsim sweep summary OUT_DIR/results.h5
set -euo pipefail
if (($# < 3)); then
  sed -n '2,11p' "$0" >&2
  exit 2
fi
sweep=$1 tasks=$2 out=$3
shift 3
here=$(cd "$(dirname "$0")" && pwd)
CPCSIM=${CPCSIM:-cpcsim}
mkdir -p "$out"
out=$(cd "$out" && pwd)
# shellcheck disable=SC2086  # SWEEP_PLAN_OPTIONS is a list of options
"$CPCSIM" sweep plan "$sweep" -o "$out/manifest.csv" ${SWEEP_PLAN_OPTIONS:-} >&2
export CPCSIM SWEEP="$out/manifest.csv" SWEEP_OUT="$out"
array=$(sbatch --parsable --array=0-$((tasks - 1)) --output="$out/slurm-%A_%a.out" "$@" "$here/sweep-array.sbatch")
array=${array%%;*}
merge=$(sbatch --parsable --dependency=afterok:"$array" --kill-on-invalid-dep=yes --output="$out/slurm-merge-%j.out" \
        "$@" "$here/sweep-merge.sbatch")
merge=${merge%%;*}
echo "submitted: array job $array ($tasks tasks), merge job $merge (after the array succeeds)" >&2
echo "$array $merge"
