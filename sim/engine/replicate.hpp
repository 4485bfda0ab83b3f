// One replicate of one scenario, simulated day by day with scheduled events.
#pragma once

#include "metrics/outcomes.hpp"
#include "model/model_params.hpp"
#include "scenario/scenario.hpp"

#include <cstdint>

namespace cpcsim {

/// What a replicate keeps besides the outputs every run records.
struct ReplicateOptions {
    /// The monthly table (RunOutputs::keep_monthly); without it every other output is the same.
    bool keep_monthly = true;
    /// Per-child records (metrics/child_records.hpp); the rest is unchanged.
    bool records = false;
};

/// Simulates replicate `replicate` of `scenario` with the user's `seed`. A pure function of its
/// arguments: the same inputs give the same outputs, bit for bit, on any thread.
RunOutputs simulate_replicate(const Scenario& scenario, const ModelParams& params, std::uint64_t seed,
                              std::uint32_t replicate, ReplicateOptions options = {});

}  // namespace cpcsim
