// One replicate of one scenario, simulated day by day with scheduled events.
#pragma once

#include "metrics/outcomes.hpp"
#include "model/model_params.hpp"
#include "scenario/scenario.hpp"

#include <cstdint>

namespace cpcsim {

/// Simulates replicate `replicate` of `scenario` with the user's `seed`. A pure function of its
/// arguments: the same inputs give the same outputs, bit for bit, on any thread. Without
/// `keep_monthly` the monthly table is not kept (RunOutputs::keep_monthly); every other output
/// is the same.
RunOutputs simulate_replicate(const Scenario& scenario, const ModelParams& params, std::uint64_t seed,
                              std::uint32_t replicate, bool keep_monthly = true);

}  // namespace cpcsim
