// Per-run key outcomes and calibration quantities, computed from a replicate's counters, and
// their mean and 95% interval over replicates.
#pragma once

#include "metrics/equity.hpp"
#include "metrics/outcomes.hpp"
#include "model/model_params.hpp"

#include <string>
#include <vector>

namespace cpcsim {

struct Measure {
    std::string name;
    std::string unit;
    std::string help;
};

/// The names, units and meanings of the per-run summary, in output order.
const std::vector<Measure>& summary_measures();

/// One value per summary_measures() entry, over the whole reported horizon.
std::vector<double> summarise(const Scenario& scenario, const ModelParams& params, const RunOutputs& run);

/// Equity of access (or of preferred place achieved) from the counts of years [from, to).
EquitySummary access_equity(const Scenario& scenario, const RunOutputs& run, int from, int to, bool place_of_death);

struct Interval {
    double mean = 0, low = 0, high = 0, sd = 0;
    int n = 0;
};
/// Mean and 95% t-interval of values (NaNs skipped).
Interval mean_interval(const std::vector<double>& values);
/// Two-sided 97.5% quantile of Student's t with `df` degrees of freedom.
double t_quantile_975(int df);

}  // namespace cpcsim
