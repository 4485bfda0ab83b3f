// Everything derived from one run's counters that a results file stores beside them: the
// summary over the horizon and the equity measures per reported year and over the horizon.
// Computed here, before writing, so that io only lays out numbers.
#pragma once

#include "metrics/outcomes.hpp"
#include "metrics/paired.hpp"
#include "scenario/scenario.hpp"

#include <cstdint>
#include <vector>

namespace cpcsim {

struct RunMeasures {
    std::vector<double> summary;  ///< one value per summary_measures() entry
    /// [year_or_horizon][equity measure]: one row per reported year, then the whole horizon;
    /// columns in EquitySummary::names() order.
    std::vector<double> equity_access;
    std::vector<double> equity_preferred_place;  ///< the same for deaths at the preferred place
    /// [year][icb][IcbCostVar]: costs per ICB (metrics/icb_costs.hpp)
    std::vector<double> icb_costs;
};

/// The measures of one run. Checks first that its money, staff and capacity outputs are finite
/// and after that no derived measure is infinite (NaN means "not defined"): a cpcsim::Error
/// naming the dataset, measure, provider and `replicate` (-1: "the run") otherwise, so that
/// nothing non-finite is ever written.
RunMeasures measure_run(const Scenario& scenario, const ModelParams& params, const RunOutputs& run,
                        std::int64_t replicate = -1);
/// The measures of every run, in order; run i is replicate first_replicate + i.
std::vector<RunMeasures> measure_runs(const Scenario& scenario, const std::vector<RunOutputs>& runs,
                                      std::int64_t first_replicate = 0);

/// The summaries of every run ([run][summary measure]).
std::vector<std::vector<double>> summaries_of(const std::vector<RunMeasures>& measures);

/// Per summary measure, the paired comparison of arms A and B (run i of A paired with run i of B).
std::vector<PairedComparison> compare_summaries(const std::vector<RunMeasures>& a, const std::vector<RunMeasures>& b);
/// Per equity measure over the whole horizon (the last row), the paired comparison of A and B:
/// of access, or of deaths at the preferred place when `preferred_place`.
std::vector<PairedComparison> compare_horizon_equity(const std::vector<RunMeasures>& a,
                                                     const std::vector<RunMeasures>& b, bool preferred_place);

}  // namespace cpcsim
