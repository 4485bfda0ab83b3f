// What a sweep results file says: per design point, the mean and 95% interval of each summary
// measure over its replicates; for a Morris design, the elementary effects of each parameter.
#pragma once

#include "metrics/summary.hpp"

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace cpcsim::sweep {

struct PointSummary {
    std::int64_t point = 0;
    std::string name;
    std::string settings;  ///< "key=value; ..."
    int runs = 0;
    std::vector<Interval> measures;  ///< one per SweepSummary::measures
};

/// Elementary effects of one parameter on one outcome, in outcome units per whole range of the
/// parameter (the effect of moving it from its range's minimum to its maximum, linearly).
struct MorrisEffect {
    std::string parameter;
    double mu_star = 0;  ///< mean |EE|: overall importance
    double mu = 0;       ///< mean EE: sign of the effect
    double sigma = 0;    ///< SD of EE: non-linearity or interactions
    int n = 0;           ///< effects computed (one per trajectory)
};

struct MorrisRanking {
    std::string outcome;
    std::vector<MorrisEffect> effects;  ///< sorted by mu_star, largest first
};

struct SweepSummary {
    std::string sweep_name, design, manifest_hash;
    std::int64_t runs = 0, manifest_runs = 0;
    std::vector<std::string> measures, units;
    std::vector<PointSummary> points;
    std::vector<MorrisRanking> morris;  ///< Morris designs only
};

/// Outcomes ranked by default for a Morris design.
const std::vector<std::string>& default_morris_outcomes();

/// Reads a sweep results file. `morris_outcomes` names the summary measures to rank (Morris).
SweepSummary summarise_sweep(const std::filesystem::path& file,
                             const std::vector<std::string>& morris_outcomes = default_morris_outcomes());

/// Elementary-effects statistics from per-point outcome means. For each point with
/// trajectory[i] >= 0 and changed[i] >= 0, the previous point (i - 1, same trajectory) is the
/// reference; values is [point][parameter]; ranges give each parameter's min and max.
std::vector<MorrisEffect> morris_effects(const std::vector<double>& y, const std::vector<std::int64_t>& trajectory,
                                         const std::vector<std::int64_t>& changed, const std::vector<double>& values,
                                         const std::vector<std::string>& parameters,
                                         const std::vector<double>& range_min, const std::vector<double>& range_max);

}  // namespace cpcsim::sweep
