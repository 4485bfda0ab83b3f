// Google Benchmark timings of the engine's hot paths on the default scenario (Yorkshire and the
// Humber, no network): loading and validating the scenario, building the typed parameters, and
// simulating one replicate on one core. `cpcsim bench` reports the end-to-end figures of
// docs/benchmarks.md; this program is for comparing a change's cost phase by phase.
//
//   build/release/cpcsim_bench [--benchmark_filter=REGEX] [--benchmark_min_time=SECONDS]
//
// CPCSIM_BENCH_SCENARIO names another scenario file.
#include "engine/replicate.hpp"
#include "model/model_params.hpp"
#include "model/parameter_table.hpp"
#include "scenario/scenario.hpp"

#include <benchmark/benchmark.h>

#include <cstdlib>
#include <string>

#ifndef CPCSIM_BENCH_DEFAULT_SCENARIO
#error "CPCSIM_BENCH_DEFAULT_SCENARIO (the default scenario file) must be defined by the build"
#endif

namespace {

using namespace cpcsim;

std::string scenario_file() {
    const char* env = std::getenv("CPCSIM_BENCH_SCENARIO");
    return env && *env ? env : CPCSIM_BENCH_DEFAULT_SCENARIO;
}

const Scenario& default_scenario() {
    static const Scenario scenario = load_scenario(scenario_file(), {}, model_parameters());
    return scenario;
}

void scenario_load(benchmark::State& state) {
    const std::string file = scenario_file();
    // The unused loop variable is Google Benchmark's idiom (each iteration is timed).
    for (auto _ : state) {  // NOLINT(clang-analyzer-deadcode.DeadStores)
        benchmark::DoNotOptimize(load_scenario(file, {}, model_parameters()));
    }
}
BENCHMARK(scenario_load)->Unit(benchmark::kMillisecond);

void model_params(benchmark::State& state) {
    const Scenario& sc = default_scenario();
    for (auto _ : state) {  // NOLINT(clang-analyzer-deadcode.DeadStores): Google Benchmark's idiom
        benchmark::DoNotOptimize(ModelParams::from(sc.params));
    }
}
BENCHMARK(model_params)->Unit(benchmark::kMicrosecond);

// One replicate of the whole horizon (warm-up included), on the calling thread.
void one_replicate(benchmark::State& state) {
    const Scenario& sc = default_scenario();
    const ModelParams params = ModelParams::from(sc.params);
    std::uint32_t replicate = 0;
    std::int64_t child_days = 0;
    for (auto _ : state) {  // NOLINT(clang-analyzer-deadcode.DeadStores): Google Benchmark's idiom
        const RunOutputs out = simulate_replicate(sc, params, 20261126, replicate++);
        child_days += out.child_days;
        benchmark::DoNotOptimize(out);
    }
    state.counters["child_days/s"] = benchmark::Counter(static_cast<double>(child_days), benchmark::Counter::kIsRate);
}
BENCHMARK(one_replicate)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
