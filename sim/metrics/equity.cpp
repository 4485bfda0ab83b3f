#include "metrics/equity.hpp"

#include "core/error.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string_view>

namespace cpcsim {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

struct Totals {
    double population = 0.0;
    double events = 0.0;
    std::size_t populated = 0;  // groups with population > 0
};

Totals totals(std::span<const GroupRate> groups) {
    Totals t;
    for (const GroupRate& g : groups) {
        if (g.population > 0.0) {
            t.population += g.population;
            t.events += g.events;
            ++t.populated;
        }
    }
    return t;
}

void check_group(const GroupRate& g, const std::string& label, ProblemList& problems) {
    if (!std::isfinite(g.population) || g.population < 0.0) {
        problems.add("", label, "population must be a finite number >= 0, got " + std::to_string(g.population));
    }
    if (!std::isfinite(g.events) || g.events < 0.0) {
        problems.add("", label, "events must be a finite number >= 0, got " + std::to_string(g.events));
    } else if (std::isfinite(g.population) && g.population >= 0.0 && g.events > g.population) {
        problems.add("", label,
                     "events (" + std::to_string(g.events) + ") must not exceed population (" +
                         std::to_string(g.population) + "): a rate must lie in [0, 1]");
    }
}

void check_groups(std::span<const GroupRate> groups, const std::string& what, ProblemList& problems) {
    for (std::size_t i = 0; i < groups.size(); ++i) check_group(groups[i], what + " " + std::to_string(i), problems);
}

// Weighted covariance of group rate with the groups' fractional rank (midpoint of cumulative
// population share), ranks accumulated in the order given; zero-population groups have zero
// width and are skipped. Also returns the weighted variance of the rank.
struct RankMoments {
    double cov_rate_rank = 0.0;
    double var_rank = 0.0;
    double mean_rate = 0.0;
};

template <class Order>
RankMoments rank_moments(std::span<const GroupRate> groups, const Totals& t, Order order) {
    const double mean_rate = t.events / t.population;
    // Ranks first (pass 1), then centred moments (pass 2) for numerical stability.
    std::vector<double> rank(groups.size(), 0.0);
    double cumulative = 0.0, mean_rank = 0.0;
    for (std::size_t k = 0; k < groups.size(); ++k) {
        const std::size_t i = order(k);
        if (groups[i].population <= 0.0) continue;
        const double share = groups[i].population / t.population;
        rank[i] = cumulative + share / 2.0;
        cumulative += share;
        mean_rank += share * rank[i];
    }
    RankMoments m;
    m.mean_rate = mean_rate;
    for (std::size_t i = 0; i < groups.size(); ++i) {
        if (groups[i].population <= 0.0) continue;
        const double share = groups[i].population / t.population;
        const double dr = rank[i] - mean_rank;
        m.cov_rate_rank += share * (groups[i].rate() - mean_rate) * dr;
        m.var_rank += share * dr * dr;
    }
    return m;
}

// Ridit from the least deprived end (index 0 -> ridit near 0).
RankMoments ridit_moments(std::span<const GroupRate> groups, const Totals& t) {
    return rank_moments(groups, t, [](std::size_t k) { return k; });
}

// Fractional rank with the most deprived (last index) ranked first, as in Wagstaff's convention.
RankMoments deprivation_rank_moments(std::span<const GroupRate> groups, const Totals& t) {
    const std::size_t n = groups.size();
    return rank_moments(groups, t, [n](std::size_t k) { return n - 1 - k; });
}

struct Line {
    double least_end = kNaN;  // fitted rate at ridit 0
    double slope = kNaN;      // SII
    double mean_rate = kNaN;
};

Line ridit_regression(std::span<const GroupRate> groups) {
    validate_groups(groups);
    const Totals t = totals(groups);
    if (t.populated < 2) return {};
    const RankMoments m = ridit_moments(groups, t);
    Line line;
    line.slope = m.cov_rate_rank / m.var_rank;  // var_rank > 0 with two or more populated groups
    line.mean_rate = m.mean_rate;
    // The weighted mean ridit is 1/2, so the line passes through (1/2, mean).
    line.least_end = m.mean_rate - line.slope / 2.0;
    return line;
}

struct AreaMoments {
    double mean = kNaN;
    double variance = kNaN;  // population-weighted, no small-sample correction
};

AreaMoments area_moments(std::span<const GroupRate> areas) {
    validate_groups(areas, "area");
    const Totals t = totals(areas);
    if (t.populated == 0) return {};
    AreaMoments m;
    m.mean = t.events / t.population;
    m.variance = 0.0;
    for (const GroupRate& a : areas) {
        if (a.population <= 0.0) continue;
        const double d = a.rate() - m.mean;
        m.variance += (a.population / t.population) * d * d;
    }
    return m;
}

bool close(double a, double b) {
    return std::abs(a - b) <= 1e-9 * std::max({std::abs(a), std::abs(b), 1.0});
}

void check_same_totals(const Totals& reference, const Totals& other, const std::string& what, ProblemList& problems) {
    if (other.population <= 0.0) return;  // breakdown not recorded
    if (!close(reference.population, other.population) || !close(reference.events, other.events)) {
        problems.add("", what,
                     "totals (population " + std::to_string(other.population) + ", events " +
                         std::to_string(other.events) + ") differ from the quintiles' (population " +
                         std::to_string(reference.population) + ", events " + std::to_string(reference.events) +
                         "): every breakdown must partition the same children");
    }
}

struct NamedField {
    std::string_view name;
    double EquitySummary::*member;
};

// The single source of the column names and their order.
constexpr auto kFields = std::to_array<NamedField>({
    {"rate_overall", &EquitySummary::rate_overall},
    {"rate_ratio_q5_q1", &EquitySummary::rate_ratio_q5_q1},
    {"rate_difference_q5_q1", &EquitySummary::rate_difference_q5_q1},
    {"sii", &EquitySummary::sii},
    {"rii", &EquitySummary::rii},
    {"rii_mean", &EquitySummary::rii_mean},
    {"concentration_index", &EquitySummary::concentration_index},
    {"erreygers_index", &EquitySummary::erreygers_index},
    {"gini_areas", &EquitySummary::gini_areas},
    {"theil_t_areas", &EquitySummary::theil_t_areas},
    {"cv_areas", &EquitySummary::cv_areas},
    {"best_worst_ratio_areas", &EquitySummary::best_worst_ratio_areas},
    {"max_rate_areas", &EquitySummary::max_rate_areas},
    {"min_rate_areas", &EquitySummary::min_rate_areas},
    {"rate_ratio_south_asian_white", &EquitySummary::rate_ratio_south_asian_white},
    {"rate_ratio_black_white", &EquitySummary::rate_ratio_black_white},
    {"rate_ratio_mixed_other_white", &EquitySummary::rate_ratio_mixed_other_white},
    {"rural_urban_difference", &EquitySummary::rural_urban_difference},
    {"rural_urban_ratio", &EquitySummary::rural_urban_ratio},
});

}  // namespace

void validate_groups(std::span<const GroupRate> groups, const std::string& what) {
    ProblemList problems;
    check_groups(groups, what, problems);
    problems.throw_if_any();
}

double overall_rate(std::span<const GroupRate> groups) {
    validate_groups(groups);
    const Totals t = totals(groups);
    return t.population > 0.0 ? t.events / t.population : kNaN;
}

double rate_ratio(const GroupRate& group, const GroupRate& reference) {
    const std::array<GroupRate, 2> both{group, reference};
    validate_groups(both);
    if (group.population <= 0.0 || reference.population <= 0.0 || reference.events <= 0.0) return kNaN;
    return group.rate() / reference.rate();
}

double rate_difference(const GroupRate& group, const GroupRate& reference) {
    const std::array<GroupRate, 2> both{group, reference};
    validate_groups(both);
    if (group.population <= 0.0 || reference.population <= 0.0) return kNaN;
    return group.rate() - reference.rate();
}

double slope_index_of_inequality(std::span<const GroupRate> least_to_most_deprived) {
    return ridit_regression(least_to_most_deprived).slope;
}

double relative_index_of_inequality(std::span<const GroupRate> least_to_most_deprived) {
    const Line line = ridit_regression(least_to_most_deprived);
    const double most_end = line.least_end + line.slope;
    if (std::isnan(line.slope) || !(line.least_end > 0.0) || most_end < 0.0) return kNaN;
    return most_end / line.least_end;
}

double relative_index_of_inequality_mean(std::span<const GroupRate> least_to_most_deprived) {
    const Line line = ridit_regression(least_to_most_deprived);
    if (std::isnan(line.slope) || !(line.mean_rate > 0.0)) return kNaN;
    return line.slope / line.mean_rate;
}

double concentration_index(std::span<const GroupRate> least_to_most_deprived) {
    validate_groups(least_to_most_deprived);
    const Totals t = totals(least_to_most_deprived);
    if (t.populated < 2 || !(t.events > 0.0)) return kNaN;
    const RankMoments m = deprivation_rank_moments(least_to_most_deprived, t);
    return 2.0 * m.cov_rate_rank / m.mean_rate;
}

double erreygers_index(std::span<const GroupRate> least_to_most_deprived) {
    validate_groups(least_to_most_deprived);
    const Totals t = totals(least_to_most_deprived);
    if (t.populated < 2) return kNaN;
    const RankMoments m = deprivation_rank_moments(least_to_most_deprived, t);
    constexpr double lower = 0.0, upper = 1.0;  // bounds of a rate
    return 8.0 * m.cov_rate_rank / (upper - lower);
}

double gini(std::span<const GroupRate> areas) {
    validate_groups(areas, "area");
    const Totals t = totals(areas);
    if (t.populated == 0 || !(t.events > 0.0)) return kNaN;
    const double mean = t.events / t.population;
    // Covariance form on areas sorted by rate: G = 2 cov_w(r, F) / mean, F the fractional rank of
    // the area in the population ordered by rate; equal to the population-weighted mean absolute
    // difference sum_ij s_i s_j |r_i - r_j| / (2 mean). O(N log N).
    std::vector<std::size_t> order;
    order.reserve(areas.size());
    for (std::size_t i = 0; i < areas.size(); ++i) {
        if (areas[i].population > 0.0) order.push_back(i);
    }
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        const double ra = areas[a].rate(), rb = areas[b].rate();
        return ra < rb || (ra == rb && a < b);
    });
    double cumulative = 0.0, sum = 0.0;
    for (const std::size_t i : order) {
        const double share = areas[i].population / t.population;
        const double rank = cumulative + share / 2.0;
        cumulative += share;
        sum += share * (areas[i].rate() - mean) * (2.0 * rank - 1.0);
    }
    return sum / mean;
}

double theil_t(std::span<const GroupRate> areas) {
    validate_groups(areas, "area");
    const Totals t = totals(areas);
    if (t.populated == 0 || !(t.events > 0.0)) return kNaN;
    const double mean = t.events / t.population;
    double sum = 0.0;
    for (const GroupRate& a : areas) {
        if (a.population <= 0.0 || a.events <= 0.0) continue;  // q ln q -> 0 as q -> 0
        const double q = a.rate() / mean;
        sum += (a.population / t.population) * q * std::log(q);
    }
    return sum;
}

double coefficient_of_variation(std::span<const GroupRate> areas) {
    const AreaMoments m = area_moments(areas);
    if (!(m.mean > 0.0)) return kNaN;
    return std::sqrt(m.variance) / m.mean;
}

double max_rate(std::span<const GroupRate> areas) {
    validate_groups(areas, "area");
    double best = kNaN;
    for (const GroupRate& a : areas) {
        if (a.population > 0.0 && (std::isnan(best) || a.rate() > best)) best = a.rate();
    }
    return best;
}

double min_rate(std::span<const GroupRate> areas) {
    validate_groups(areas, "area");
    double worst = kNaN;
    for (const GroupRate& a : areas) {
        if (a.population > 0.0 && (std::isnan(worst) || a.rate() < worst)) worst = a.rate();
    }
    return worst;
}

double best_worst_ratio(std::span<const GroupRate> areas) {
    const double best = max_rate(areas), worst = min_rate(areas);
    if (!(worst > 0.0)) return kNaN;  // no populated area (NaN) or an area with rate 0
    return best / worst;
}

std::vector<double> rate_ratios_vs_reference(std::span<const GroupRate> groups, std::size_t reference) {
    validate_groups(groups);
    if (reference >= groups.size()) {
        throw Error("", "reference group " + std::to_string(reference),
                    "must be an index below the number of groups (" + std::to_string(groups.size()) + ")");
    }
    std::vector<double> ratios;
    ratios.reserve(groups.size());
    for (const GroupRate& g : groups) ratios.push_back(rate_ratio(g, groups[reference]));
    return ratios;
}

std::vector<std::pair<std::string, double>> EquitySummary::named() const {
    std::vector<std::pair<std::string, double>> out;
    out.reserve(kFields.size());
    for (const NamedField& f : kFields) out.emplace_back(std::string(f.name), this->*f.member);
    return out;
}

std::vector<std::string> EquitySummary::names() {
    std::vector<std::string> out;
    out.reserve(kFields.size());
    for (const NamedField& f : kFields) out.emplace_back(f.name);
    return out;
}

EquitySummary compute_equity(const EquityInput& input) {
    ProblemList problems;
    for (std::size_t i = 0; i < kQuintiles; ++i) {
        check_group(input.quintile[i], "quintile Q" + std::to_string(i + 1), problems);
    }
    constexpr std::array<std::string_view, kEthnicGroups> ethnic_names{"White", "South Asian", "Black", "Mixed/Other"};
    for (std::size_t i = 0; i < kEthnicGroups; ++i) {
        check_group(input.ethnic[i], "ethnic group " + std::string(ethnic_names[i]), problems);
    }
    check_groups(input.area, "area", problems);
    check_group(input.urban, "urban", problems);
    check_group(input.rural, "rural", problems);
    problems.throw_if_any();

    const std::array<GroupRate, 2> rurality{input.urban, input.rural};
    const Totals reference = totals(input.quintile);
    check_same_totals(reference, totals(input.ethnic), "ethnic groups", problems);
    check_same_totals(reference, totals(input.area), "areas", problems);
    check_same_totals(reference, totals(rurality), "urban + rural", problems);
    problems.throw_if_any();

    const std::span<const GroupRate> q(input.quintile);
    const std::span<const GroupRate> areas(input.area);
    EquitySummary s;
    s.rate_overall = overall_rate(q);
    s.rate_ratio_q5_q1 = rate_ratio(q[kQuintiles - 1], q[0]);
    s.rate_difference_q5_q1 = rate_difference(q[kQuintiles - 1], q[0]);
    s.sii = slope_index_of_inequality(q);
    s.rii = relative_index_of_inequality(q);
    s.rii_mean = relative_index_of_inequality_mean(q);
    s.concentration_index = concentration_index(q);
    s.erreygers_index = erreygers_index(q);
    s.gini_areas = gini(areas);
    s.theil_t_areas = theil_t(areas);
    s.cv_areas = coefficient_of_variation(areas);
    s.best_worst_ratio_areas = best_worst_ratio(areas);
    s.max_rate_areas = max_rate(areas);
    s.min_rate_areas = min_rate(areas);
    s.rate_ratio_south_asian_white = rate_ratio(input.ethnic[1], input.ethnic[0]);
    s.rate_ratio_black_white = rate_ratio(input.ethnic[2], input.ethnic[0]);
    s.rate_ratio_mixed_other_white = rate_ratio(input.ethnic[3], input.ethnic[0]);
    s.rural_urban_difference = rate_difference(input.rural, input.urban);
    s.rural_urban_ratio = rate_ratio(input.rural, input.urban);
    return s;
}

}  // namespace cpcsim
