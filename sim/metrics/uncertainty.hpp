// Analysis of runs with parameter uncertainty (probabilistic sensitivity analysis): for an
// outcome or a paired difference, the interval over draws and the part of its spread due to
// simulation noise alone, the probability that B is better than A, which parameters drive it
// (partial rank correlation with a Fisher interval), incremental cost-effectiveness and the
// acceptability curve. Pure functions of per-replicate values and the draws table; the Python
// package (analysis/uncertainty.py) computes the same numbers and is tested against these.
#pragma once

#include <limits>
#include <string>
#include <vector>

namespace cpcsim {

/// The spread of one quantity over replicates that each ran with their own parameter draw.
struct UncertainInterval {
    double mean = 0;
    double low = 0, high = 0;  ///< 2.5% and 97.5% quantiles over replicates (parameters and noise)
    /// Share of the variance over replicates due to simulation noise alone: the pooled variance
    /// between replicates that share a draw over the total variance. NaN when no draw has two
    /// replicates.
    double noise_share = 0;
    double noise_half_width = 0;  ///< 1.96 x the noise-only sd (NaN as above)
    double prob_positive = 0;     ///< share of replicates with a value > 0
    int n = 0;
};

/// `values[r]` of replicate r; replicates r with the same r / per_draw share a draw. NaNs skipped.
UncertainInterval uncertain_interval(const std::vector<double>& values, int per_draw);

/// Quantile by linear interpolation between order statistics (type 7, as numpy's default).
double quantile_type7(std::vector<double> sorted_or_not, double p);

/// Partial rank correlation of each input column with the output, with a 95% interval from
/// Fisher's z (n - 3 - the number of other inputs degrees of freedom). When there are not at least
/// inputs + 4 complete rows, the plain rank (Spearman) correlation is given instead (method
/// "spearman") with n - 3.
struct Sensitivity {
    std::string method;                          ///< "prcc" or "spearman"
    std::vector<double> coefficient, low, high;  ///< per input (NaN for a constant input)
    /// The |coefficient| that the largest of the inputs' coefficients exceeds by chance with
    /// probability 5% when no input matters: with many inputs and few draws, a coefficient below
    /// it is not evidence of a driver. Spearman: the 95th percentile of the largest |rho| over
    /// 2,000 fixed permutations of the output (exact with few rows); PRCC: Bonferroni over the
    /// inputs with Fisher's z.
    double chance = std::numeric_limits<double>::quiet_NaN();
};
/// `inputs[r][j]`: input j of row r; `output[r]`. Rows with a NaN output are left out.
Sensitivity rank_sensitivity(const std::vector<std::vector<double>>& inputs, const std::vector<double>& output);

/// Incremental cost-effectiveness from per-replicate paired differences in cost and effect.
struct CostEffectiveness {
    double delta_cost = 0, delta_effect = 0;  ///< means
    double icer = 0;                          ///< delta_cost / delta_effect (NaN when the effect difference is 0)
    /// Share of replicates in each quadrant of the CE plane: more effect and less cost
    /// (dominant), more effect and more cost, less effect and less cost, less effect and more cost.
    double dominant = 0, more_effect_more_cost = 0, less_effect_less_cost = 0, dominated = 0;
    std::vector<double> thresholds;     ///< willingness to pay per unit of effect
    std::vector<double> acceptability;  ///< P(threshold x delta_effect - delta_cost > 0)
};
CostEffectiveness cost_effectiveness(const std::vector<double>& delta_cost, const std::vector<double>& delta_effect,
                                     const std::vector<double>& thresholds);

/// Thresholds for an acceptability curve: 0 and 40 points evenly spaced on a log scale between
/// 1/100 and 100 times `scale` (a typical cost per unit of effect).
std::vector<double> acceptability_thresholds(double scale);

}  // namespace cpcsim

namespace cpcsim {

/// The headline differences whose drivers are ranked: summary measures, plus two derived per
/// replicate: "children_reached_per_year" (access_rate x children_per_year) and
/// "preferred_place_deaths_per_year" (preferred_place_rate x deaths_per_year).
const std::vector<std::string>& headline_differences();
/// Per replicate, the value of headline `name` from a summary row (summary_measures() order).
double headline_value(const std::vector<double>& summary, const std::string& name);

/// Everything the CLI prints and the results file stores about a comparison with uncertainty.
struct ComparisonUncertainty {
    std::vector<UncertainInterval> a, b, difference;  ///< per summary measure
    std::vector<Sensitivity> sensitivity;             ///< per headline difference, over the draw columns
    std::vector<UncertainInterval> headline;          ///< per headline difference
    /// Against cost_total_per_year: per extra child reached, per extra death at the preferred place.
    CostEffectiveness per_child_reached, per_preferred_death;
};
/// `a[r]`, `b[r]`: summaries of replicate r in each arm; `draws[r]`: the drawn numbers of
/// replicate r's parameter set (the draws table, columns in any fixed order). Sensitivity is
/// computed over draws: one row per draw, with the mean of its replicates' differences.
ComparisonUncertainty analyse_comparison(const std::vector<std::vector<double>>& a,
                                         const std::vector<std::vector<double>>& b,
                                         const std::vector<std::vector<double>>& draws, int per_draw);

}  // namespace cpcsim
