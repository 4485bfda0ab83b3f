// Equity measures of access (MODEL.md §5), implemented once as pure functions of grouped counts.
//
// Every measure works on groups of children, each with a population (children with a
// life-limiting condition: the rate's denominator) and a count of events (e.g. children with any
// specialist palliative care contact in the year). Groups with zero population are ignored.
// Results are doubles; a measure that is undefined for the given counts (no population, a zero
// reference rate, fewer than two populated groups for a gradient) is NaN. Counts that are
// negative, not finite, or with more events than children throw cpcsim::Error.
//
// Formulas, sign conventions, references and a hand-worked example: docs/equity.md.
#pragma once

#include "scenario/scenario.hpp"

#include <array>
#include <cstddef>
#include <span>
#include <string>
#include <utility>
#include <vector>

namespace cpcsim {

/// One group's counts: children with an LLC (population) and children with the outcome (events).
struct GroupRate {
    double population = 0.0;  ///< children with an LLC in the group: the rate's denominator
    double events = 0.0;      ///< of whom had the outcome: the numerator (0 <= events <= population)

    /// events / population, or 0 when the population is 0 (such groups are ignored by every measure).
    [[nodiscard]] double rate() const noexcept { return population > 0.0 ? events / population : 0.0; }
};

// Deprivation quintiles (kQuintiles, scenario.hpp): index 0 = Q1 least deprived ... 4 = Q5 most
// deprived. Ethnic groups (kEthnicGroups): 0 = White (the reference), 1 = South Asian, 2 = Black,
// 3 = Mixed/Other.

/// Throws cpcsim::Error listing every group whose counts are negative, not finite, or whose
/// events exceed its population. `what` names the groups in messages ("quintile", "area").
void validate_groups(std::span<const GroupRate> groups, const std::string& what = "group");

/// Overall rate: total events / total population; NaN when the total population is 0.
[[nodiscard]] double overall_rate(std::span<const GroupRate> groups);

/// group.rate() / reference.rate(), e.g. rate_ratio(q[4], q[0]) for Q5 vs Q1.
/// NaN when either population is 0 or the reference rate is 0.
[[nodiscard]] double rate_ratio(const GroupRate& group, const GroupRate& reference);

/// group.rate() - reference.rate(), e.g. rate_difference(q[4], q[0]) for Q5 minus Q1.
/// NaN when either population is 0.
[[nodiscard]] double rate_difference(const GroupRate& group, const GroupRate& reference);

// Gradient measures. Groups are ordered from LEAST deprived (index 0) to MOST deprived (last).

/// Slope index of inequality: slope of the population-weighted least-squares line of group rate on
/// ridit, the ridit running from 0 (least deprived end) to 1 (most deprived end); i.e. fitted rate
/// at the most deprived end minus fitted rate at the least deprived end. Negative = lower rate
/// among the more deprived. NaN with fewer than two populated groups.
[[nodiscard]] double slope_index_of_inequality(std::span<const GroupRate> least_to_most_deprived);

/// Relative index of inequality, returned as "rii": fitted rate at the most deprived end / fitted
/// rate at the least deprived end, (a + SII) / a. 1 = no gradient. NaN with fewer than two
/// populated groups, when the fitted rate at the least deprived end is <= 0, or when the fitted
/// rate at the most deprived end is < 0.
[[nodiscard]] double relative_index_of_inequality(std::span<const GroupRate> least_to_most_deprived);

/// The alternative relative index, "rii_mean": SII / overall rate. 0 = no gradient.
/// NaN with fewer than two populated groups or an overall rate of 0.
[[nodiscard]] double relative_index_of_inequality_mean(std::span<const GroupRate> least_to_most_deprived);

/// Concentration index over deprivation rank (Wagstaff): C = 2 cov_w(rate, R) / mean, where R is
/// the fractional rank with the MOST deprived ranked first (R near 0 = most deprived).
/// Negative = the outcome is concentrated among the more deprived; positive = among the less
/// deprived. NaN with fewer than two populated groups or an overall rate of 0.
[[nodiscard]] double concentration_index(std::span<const GroupRate> least_to_most_deprived);

/// Erreygers corrected concentration index for a rate bounded in [0, 1]:
/// E = 4 mean C / (1 - 0) = 8 cov_w(rate, R), same ranking and sign as concentration_index.
/// Defined (= 0) when the overall rate is 0. NaN with fewer than two populated groups.
[[nodiscard]] double erreygers_index(std::span<const GroupRate> least_to_most_deprived);

// Dispersion across areas (order of areas does not matter). With one populated area every
// dispersion measure is 0 and the best/worst ratio 1 (if its rate is > 0).

/// Population-weighted Gini coefficient of area rates (the Gini of the child-level distribution in
/// which each child carries its area's rate). 0 = equal rates. NaN when no area is populated or
/// the overall rate is 0.
[[nodiscard]] double gini(std::span<const GroupRate> areas);

/// Population-weighted Theil T index: sum_i s_i (r_i / mean) ln(r_i / mean), s_i population
/// shares; areas with rate 0 contribute 0. NaN when no area is populated or the overall rate is 0.
[[nodiscard]] double theil_t(std::span<const GroupRate> areas);

/// Population-weighted coefficient of variation: weighted SD of area rates (population shares as
/// weights, no small-sample correction) / weighted mean. NaN as for gini.
[[nodiscard]] double coefficient_of_variation(std::span<const GroupRate> areas);

/// Highest area rate (among populated areas); NaN when no area is populated.
[[nodiscard]] double max_rate(std::span<const GroupRate> areas);
/// Lowest area rate (among populated areas); NaN when no area is populated.
[[nodiscard]] double min_rate(std::span<const GroupRate> areas);
/// max_rate / min_rate among populated areas. NaN when no area is populated or when the lowest
/// rate is 0 (read min_rate to tell "an area with no access" from "no data").
[[nodiscard]] double best_worst_ratio(std::span<const GroupRate> areas);

/// rate_ratio(groups[i], groups[reference]) for every i (the reference's own entry is 1, or NaN).
[[nodiscard]] std::vector<double> rate_ratios_vs_reference(std::span<const GroupRate> groups,
                                                           std::size_t reference = 0);

/// The grouped counts of one outcome in one run. Each breakdown partitions the same children.
struct EquityInput {
    std::array<GroupRate, kQuintiles> quintile{};   ///< index 0 = Q1 least ... 4 = Q5 most deprived
    std::array<GroupRate, kEthnicGroups> ethnic{};  ///< White, South Asian, Black, Mixed/Other
    std::vector<GroupRate> area;                    ///< one per area, any order
    GroupRate urban{};
    GroupRate rural{};
};

/// Every equity measure of one outcome. Member names are the column names of named().
struct EquitySummary {
    double rate_overall = 0.0;                  ///< overall_rate(quintile)
    double rate_ratio_q5_q1 = 0.0;              ///< rate_ratio(Q5, Q1)
    double rate_difference_q5_q1 = 0.0;         ///< rate_difference(Q5, Q1)
    double sii = 0.0;                           ///< slope_index_of_inequality(quintile)
    double rii = 0.0;                           ///< relative_index_of_inequality(quintile)
    double rii_mean = 0.0;                      ///< relative_index_of_inequality_mean(quintile)
    double concentration_index = 0.0;           ///< concentration_index(quintile)
    double erreygers_index = 0.0;               ///< erreygers_index(quintile)
    double gini_areas = 0.0;                    ///< gini(area)
    double theil_t_areas = 0.0;                 ///< theil_t(area)
    double cv_areas = 0.0;                      ///< coefficient_of_variation(area)
    double best_worst_ratio_areas = 0.0;        ///< best_worst_ratio(area)
    double max_rate_areas = 0.0;                ///< max_rate(area)
    double min_rate_areas = 0.0;                ///< min_rate(area)
    double rate_ratio_south_asian_white = 0.0;  ///< rate_ratio(ethnic[1], ethnic[0])
    double rate_ratio_black_white = 0.0;        ///< rate_ratio(ethnic[2], ethnic[0])
    double rate_ratio_mixed_other_white = 0.0;  ///< rate_ratio(ethnic[3], ethnic[0])
    double rural_urban_difference = 0.0;        ///< rate_difference(rural, urban)
    double rural_urban_ratio = 0.0;             ///< rate_ratio(rural, urban)

    /// Every measure as (name, value), in the fixed order of names().
    [[nodiscard]] std::vector<std::pair<std::string, double>> named() const;
    /// The stable list of measure names, in order (the same as the member names above).
    [[nodiscard]] static std::vector<std::string> names();
};

/// Computes every measure. Throws cpcsim::Error listing every invalid group and every breakdown
/// (ethnic, area, urban+rural) whose totals differ from the quintiles' totals; a breakdown with
/// zero total population counts as not recorded and is not compared (its measures are NaN).
[[nodiscard]] EquitySummary compute_equity(const EquityInput& input);

}  // namespace cpcsim
