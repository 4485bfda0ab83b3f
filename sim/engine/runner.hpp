// Runs many replicates in parallel (TBB). Each replicate is a pure function of (scenario, seed,
// replicate index), and results are stored by index, so any thread count and any order of
// execution give identical results.
#pragma once

#include "engine/replicate.hpp"

#include <functional>
#include <vector>

namespace cpcsim {

/// Called after each replicate finishes with (finished, total); may be called from any thread,
/// never concurrently.
using ProgressFn = std::function<void(int, int)>;

/// Replicates [first, first + count) of `scenario`; `threads` = 0 uses every core; `options`
/// choose what each replicate keeps (ReplicateOptions).
std::vector<RunOutputs> run_replicates(const Scenario& scenario, std::uint64_t seed, int first, int count, int threads,
                                       const ProgressFn& progress = {}, ReplicateOptions options = {});

}  // namespace cpcsim
