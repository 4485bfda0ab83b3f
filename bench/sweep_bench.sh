#!/usr/bin/env bash
# Sweep throughput against bare `cpcsim run` replicates, and MPI speed-up (docs/sweeps.md).
#
#   bench/sweep_bench.sh [N] [N_MPI]        (defaults 1000 and 200)
#
# Environment: CPCSIM (default build/release/cpcsim), THREADS (default: all cores), WORK (scratch
# folder, default a temporary one, removed afterwards), SCENARIO (default the Y&H baseline,
# 10-year horizon after its 3-year warm-up), PARTS (default "bare sweep single mpi").
#
#  1. bare:  `cpcsim run -r B` in batches of B = 50 replicates until N runs (a single
#            `cpcsim run -r 1000` would hold every run's monthly table, ~10 GB, in memory);
#  2. sweep: `cpcsim sweep run` of N runs: 10 statutory funding levels x N/10 replicates, with
#            every run committed to its part file and the results file assembled at the end;
#  3. single: 10 separate `cpcsim run -r 1 -t 1` against a 20-run sweep on 1 thread: time per run;
#  4. MPI:   the same sweep cut to N_MPI runs, `mpirun -np 1` and `mpirun -np 2` (1 thread per rank).
# Reports runs/s, the sweep's throughput as a share of the bare runs', its overhead per run, and
# the 2-rank speed-up. Wall-clock figures: run it on an otherwise idle machine.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
N=${1:-1000}
N_MPI=${2:-200}
CPCSIM=${CPCSIM:-$here/build/release/cpcsim}
SCENARIO=${SCENARIO:-$here/scenarios/yorkshire-humber/no-network.toml}
THREADS=${THREADS:-0}
B=50
PARTS=${PARTS:-bare sweep single mpi}
want() { [[ " $PARTS " == *" $1 "* ]]; }
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
if [ -z "${WORK:-}" ]; then
  WORK=$(mktemp -d /tmp/cpcsim-sweep-bench.XXXXXX)
  trap 'rm -rf "$WORK"' EXIT
fi
mkdir -p "$WORK"
cd "$WORK"
now() { date +%s.%N; }
calc() { awk "BEGIN { printf \"$1\", $2 }"; }   # calc FORMAT EXPRESSION
secs() { calc %.3f "$2 - $1"; }
per() { calc %.2f "$1 / $2"; }

sweep_file() {  # sweep_file FILE RUNS
  local reps=$(( $2 / 10 ))
  cat > "$1" <<EOT
[sweep]
name = "benchmark: $2 runs"
scenario = "$SCENARIO"
replicates = $reps
seed = 1
[design]
type = "grid"
[design.parameters]
"funding.statutory_multiplier" = [0.8, 0.85, 0.9, 0.95, 1.0, 1.05, 1.1, 1.15, 1.2, 1.25]
EOT
}
echo "cpcsim sweep benchmark: $N runs of $(basename "$SCENARIO"), $(nproc) cores, threads=$THREADS ($("$CPCSIM" --version))"

# 1. bare replicates
if want bare; then
t0=$(now)
done_runs=0 batch=0
while ((done_runs < N)); do
  n=$(( N - done_runs < B ? N - done_runs : B ))
  "$CPCSIM" run "$SCENARIO" -r $n -s $((1000 + batch)) -t $THREADS -q -o bare.h5 > /dev/null
  done_runs=$((done_runs + n)); batch=$((batch + 1))
done
t_bare=$(secs "$t0" "$(now)")
echo "bare cpcsim run:   $N runs in $(printf %.1f "$t_bare") s = $(per "$N" "$t_bare") runs/s"
fi

# 2. sweep
if want sweep; then
sweep_file sweep.toml "$N"
t0=$(now)
"$CPCSIM" sweep run sweep.toml --out sweep.h5 -t $THREADS -q > sweep.txt
t_sweep=$(secs "$t0" "$(now)")
bytes=$(stat -c %s sweep.h5)
echo "cpcsim sweep run:  $N runs in $(printf %.1f "$t_sweep") s = $(per "$N" "$t_sweep") runs/s"
if [ -n "${t_bare:-}" ]; then
  echo "sweep vs bare:     $(calc %.1f "100 * $t_bare / $t_sweep")% of bare throughput;" \
       "overhead $(calc %.1f "1000 * ($t_sweep - $t_bare) / $N") ms per run"
fi
echo "results file:      $bytes bytes = $(( bytes / N )) bytes per run"
fi

# 3. single runs
if want single; then
t0=$(now)
for i in $(seq 10); do "$CPCSIM" run "$SCENARIO" -r 1 -s $((2000 + i)) -t 1 -q -o single.h5 > /dev/null; done
t_single=$(secs "$t0" "$(now)")
sweep_file one.toml 20
t0=$(now)
"$CPCSIM" sweep run one.toml --out one.h5 -t 1 -q > /dev/null
t_one=$(secs "$t0" "$(now)")
echo "1 thread:          cpcsim run -r 1: $(calc %.3f "$t_single / 10") s per run; sweep: $(calc %.3f "$t_one / 20") s per run" \
     "(overhead $(calc %.1f "1000 * ($t_one / 20 - $t_single / 10)") ms per run)"
fi

# 4. MPI
if want mpi && command -v mpirun > /dev/null && "$CPCSIM" sweep run --help | grep -q -- "--mpi"; then
  sweep_file mpi.toml "$N_MPI"
  t0=$(now)
  mpirun -np 1 "$CPCSIM" sweep run mpi.toml --out mpi1.h5 -t 1 -q > /dev/null
  t1=$(secs "$t0" "$(now)")
  t0=$(now)
  mpirun -np 2 "$CPCSIM" sweep run mpi.toml --out mpi2.h5 -t 1 -q > /dev/null
  t2=$(secs "$t0" "$(now)")
  echo "MPI, $N_MPI runs:    1 rank $(printf %.1f "$t1") s ($(per "$N_MPI" "$t1") runs/s), 2 ranks $(printf %.1f "$t2") s" \
       "($(per "$N_MPI" "$t2") runs/s): speed-up $(calc %.2f "$t1 / $t2")x"
fi
