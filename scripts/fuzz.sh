#!/usr/bin/env bash
# Builds the libFuzzer targets (tests/fuzz) with clang, AddressSanitizer and
# UndefinedBehaviorSanitizer in build/fuzz, and runs each for a while from its seed corpus
# (tests/fuzz/corpus/<target>/). Fails on any crash, sanitizer report, leak or timeout; the
# input that failed is left in build/fuzz/artifacts/<target>/.
#   scripts/fuzz.sh                 every target, 60 s each
#   scripts/fuzz.sh 300 fuzz_csv    one target, 300 s
#   FUZZ_JOBS=2 scripts/fuzz.sh     two processes per target (libFuzzer -fork)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
shift || true
targets=("$@")
if ((${#targets[@]} == 0)); then
  targets=(fuzz_scenario_toml fuzz_csv fuzz_set fuzz_sweep fuzz_results_file fuzz_targets fuzz_zero_run_deflate)
fi
build=build/fuzz

start=$(date +%s)
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ \
  -DCPCSIM_FUZZ=ON -DCPCSIM_WITH_MPI=OFF -DCPCSIM_BUILD_BENCH=OFF >/dev/null
cmake --build "$build" --target "${targets[@]}" -j "${FUZZ_BUILD_JOBS:-2}"
echo "fuzz: build took $(($(date +%s) - start)) s"

export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
failed=()
for t in "${targets[@]}"; do
  work="$build/corpus/$t"
  artifacts="$build/artifacts/$t/"
  rm -rf "$artifacts"
  mkdir -p "$work" "$artifacts"
  echo "fuzz: $t for $seconds s"
  # New inputs go to the work corpus; the repository's seed corpus is only read.
  if ! "$build/$t" "$work" "tests/fuzz/corpus/$t" -max_total_time="$seconds" -timeout=20 \
       -rss_limit_mb=2048 -malloc_limit_mb=1024 -print_final_stats=1 -artifact_prefix="$artifacts" \
       ${FUZZ_JOBS:+-fork=$FUZZ_JOBS} >"$build/$t.log" 2>&1; then
    failed+=("$t")
    tail -n 40 "$build/$t.log"
  fi
  # fuzz_results_file reads each input in a child process first (io::probe_readable); a child that
  # crashes or runs out of memory leaves an artifact although the parent refused the input cleanly.
  # After a clean run those are contained findings, kept apart from real failures.
  if [[ ! " ${failed[*]} " =~ " $t " ]]; then
    contained=$(find "$artifacts" -type f | wc -l)
    if ((contained > 0)); then
      mkdir -p "$build/contained/$t"
      mv "$artifacts"* "$build/contained/$t/"
      echo "fuzz: $t: $contained inputs crashed or exhausted io::probe_readable's child and were refused cleanly ($build/contained/$t/)"
    fi
  fi
  grep -E "^stat::(number_of_executed_units|peak_rss_mb|new_units_added)|^#[0-9]+.*DONE" "$build/$t.log" | tr '\n' ' ' || true
  echo "corpus: $(find "$work" "tests/fuzz/corpus/$t" -type f | wc -l) files"
done
if ((${#failed[@]} > 0)); then
  echo "fuzz: FAILED: ${failed[*]} (inputs in $build/artifacts/)" >&2
  exit 1
fi
echo "fuzz: all ${#targets[@]} targets ran $seconds s each without a finding"
