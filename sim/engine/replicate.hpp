// One replicate of one scenario, simulated day by day with scheduled events.
#pragma once

#include "metrics/outcomes.hpp"
#include "model/model_params.hpp"
#include "scenario/scenario.hpp"

#include <cstdint>

namespace cpcsim {

/// Simulates replicate `replicate` of `scenario` with the user's `seed`. A pure function of its
/// arguments: the same inputs give the same outputs, bit for bit, on any thread. With `records`,
/// the outputs also hold per-child records (metrics/child_records.hpp); the rest is unchanged.
RunOutputs simulate_replicate(const Scenario& scenario, const ModelParams& params, std::uint64_t seed,
                              std::uint32_t replicate, bool records = false);

}  // namespace cpcsim
