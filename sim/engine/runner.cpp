#include "engine/runner.hpp"

#include <tbb/global_control.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include <mutex>

namespace cpcsim {

std::vector<RunOutputs> run_replicates(const Scenario& scenario, std::uint64_t seed, int first, int count, int threads,
                                       const ProgressFn& progress, ReplicateOptions options) {
    const ModelParams params = ModelParams::from(scenario.params);
    std::vector<RunOutputs> results(static_cast<std::size_t>(count));
    std::mutex progress_mutex;
    int finished = 0;
    auto run_one = [&](int i) {
        const auto replicate = static_cast<std::uint32_t>(first + i);
        // With parameter uncertainty, each replicate runs with its own draw (a pure function
        // of the scenario and the replicate index, so layout-independent).
        results[static_cast<std::size_t>(i)] =
            scenario.draws.on
                ? simulate_replicate(scenario, ModelParams::from(replicate_parameters(scenario, replicate)), seed,
                                     replicate, options)
                : simulate_replicate(scenario, params, seed, replicate, options);
        if (progress) {
            std::lock_guard lock(progress_mutex);
            progress(++finished, count);
        }
    };
    if (count <= 1 || threads == 1) {
        // One worker: on this thread, without starting TBB's scheduler (about 1 ms of a whole
        // one-replicate run). The replicates are the same either way (keyed draws, no shared state).
        for (int i = 0; i < count; ++i) run_one(i);
        return results;
    }
    tbb::task_arena arena(threads > 0 ? threads : tbb::task_arena::automatic);
    arena.execute([&] { tbb::parallel_for(0, count, run_one); });
    return results;
}

}  // namespace cpcsim
