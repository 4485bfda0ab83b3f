// Mechanisms of the model checked through a run's outputs, with tolerances from sampling error
// (Poisson or binomial, 4.5 standard deviations) or, where the mechanism is deterministic given
// the random draws, exactly: entries, attributes of entrants, the trend, the length of the dying
// phase, cure, place of death.
#include "engine_test_support.hpp"

#include <array>
#include <cmath>

using namespace engine_test;

namespace {

constexpr double kSd = 4.5;  // tolerance in standard deviations

/// Expected entries per year in each area at trend 1 (MODEL.md §4.1), computed here from the
/// published formula: the area's children x the age-band entry rates x the area's
/// deprivation/ethnicity mix relative to the region's population-weighted mean mix.
std::vector<double> expected_entries_per_year(const Scenario& sc) {
    const ModelParams mp = ModelParams::from(sc.params);
    const auto& pop = mp.population;
    double base = 0;  // entries per child per year, before the mix
    for (int b = 0; b < kAgeBands; ++b)
        base += kBandYears[static_cast<std::size_t>(b)] / 20.0 * pop.entry_rate_per_10000[static_cast<std::size_t>(b)] /
                10000.0;
    auto mix = [&](const Area& a) {
        double m = 0;
        for (std::size_t q = 0; q < kQuintiles; ++q)
            for (std::size_t e = 0; e < kEthnicGroups; ++e)
                m += a.quintile_share[q] * a.ethnic_share[e] * pop.deprivation_rate_ratio[q] *
                     pop.ethnicity_rate_ratio[e];
        return m;
    };
    double weighted = 0, children = 0;
    for (const auto& a : sc.areas) weighted += a.population_0_19 * mix(a), children += a.population_0_19;
    std::vector<double> out;
    for (const auto& a : sc.areas)
        out.push_back(a.population_0_19 * base * pop.prevalence_multiplier * mix(a) / (weighted / children));
    return out;
}

/// Entries summed over replicates and months, by area / quintile / ethnic group / rural.
struct EntryCounts {
    std::vector<double> area;
    std::vector<std::array<double, kQuintiles>> quintile;
    std::vector<std::array<double, kEthnicGroups>> ethnic;
    std::vector<double> rural;
    double all = 0;
};
EntryCounts count_entries(const std::vector<RunOutputs>& runs, int areas) {
    EntryCounts n{
        std::vector<double>(static_cast<std::size_t>(areas), 0.0),
        std::vector<std::array<double, kQuintiles>>(static_cast<std::size_t>(areas), std::array<double, kQuintiles>{}),
        std::vector<std::array<double, kEthnicGroups>>(static_cast<std::size_t>(areas),
                                                       std::array<double, kEthnicGroups>{}),
        std::vector<double>(static_cast<std::size_t>(areas), 0.0), 0.0};
    for (const auto& r : runs)
        for (int m = 0; m < r.months; ++m)
            for (int a = 0; a < areas; ++a)
                for (int q = 0; q < kQuintiles; ++q)
                    for (int e = 0; e < kEthnicGroups; ++e)
                        for (int ru = 0; ru < kRural; ++ru) {
                            const double k = monthly(r, m, cell_index(a, q, e, ru), MonthlyVar::entries);
                            const auto ai = static_cast<std::size_t>(a);
                            n.area[ai] += k;
                            n.quintile[ai][static_cast<std::size_t>(q)] += k;
                            n.ethnic[ai][static_cast<std::size_t>(e)] += k;
                            if (ru) n.rural[ai] += k;
                            n.all += k;
                        }
    return n;
}

/// |observed - expected| within kSd Poisson standard deviations.
void check_poisson(double observed, double expected, const std::string& what) {
    INFO(what << ": observed " << observed << ", expected " << expected << " +- " << kSd * std::sqrt(expected));
    CHECK(std::abs(observed - expected) <= kSd * std::sqrt(std::max(expected, 1.0)));
}
/// k of n within kSd binomial standard deviations of probability p.
void check_binomial(double k, double n, double p, const std::string& what) {
    const double sd = std::sqrt(n * p * (1 - p));
    INFO(what << ": " << k << " of " << n << " (" << k / n << "), expected share " << p << " +- " << kSd * sd / n);
    CHECK(std::abs(k - n * p) <= kSd * std::max(sd, 0.5));
}

}  // namespace

TEST_CASE("entries per year match the sum of the areas' entry rates", "[validation][engine]") {
    const auto sc = load(yh("no-network.toml"), short_run(2, 1));
    const auto runs = run(sc, 8, 4);
    const double exposure = 2.0 * static_cast<double>(runs.size());  // years x replicates
    const auto expected = expected_entries_per_year(sc);
    const auto n = count_entries(runs, static_cast<int>(sc.areas.size()));
    double all = 0;
    for (double e : expected) all += e;
    check_poisson(n.all, all * exposure, "all entries");
    for (std::size_t a = 0; a < sc.areas.size(); ++a)
        check_poisson(n.area[a], expected[a] * exposure, "entries in " + sc.areas[a].name);
}

TEST_CASE("entrants' deprivation, ethnicity and rurality follow the area's shares and rate ratios",
          "[validation][engine]") {
    // Within an area an entrant's quintile is drawn with weights share_q x deprivation ratio_q,
    // its ethnic group with share_e x ethnicity ratio_e, rural with the area's rural share.
    const auto sc = load(yh("no-network.toml"), short_run(2, 1));
    const ModelParams mp = ModelParams::from(sc.params);
    const auto runs = run(sc, 9, 4);
    const auto n = count_entries(runs, static_cast<int>(sc.areas.size()));
    // The largest areas have enough entrants to be decisive.
    for (std::size_t a = 0; a < sc.areas.size(); ++a) {
        if (n.area[a] < 500) continue;
        const auto& area = sc.areas[a];
        double wq = 0, we = 0;
        for (std::size_t q = 0; q < kQuintiles; ++q)
            wq += area.quintile_share[q] * mp.population.deprivation_rate_ratio[q];
        for (std::size_t e = 0; e < kEthnicGroups; ++e)
            we += area.ethnic_share[e] * mp.population.ethnicity_rate_ratio[e];
        for (std::size_t q = 0; q < kQuintiles; ++q)
            check_binomial(n.quintile[a][q], n.area[a],
                           area.quintile_share[q] * mp.population.deprivation_rate_ratio[q] / wq,
                           area.name + " quintile " + std::to_string(q + 1));
        for (std::size_t e = 0; e < kEthnicGroups; ++e)
            check_binomial(n.ethnic[a][e], n.area[a], area.ethnic_share[e] * mp.population.ethnicity_rate_ratio[e] / we,
                           area.name + " " + std::string(dims::ethnic_group.labels[e]));
        check_binomial(n.rural[a], n.area[a], area.rural_share, area.name + " rural");
    }
}

TEST_CASE("the entry trend compounds per year", "[validation][engine]") {
    const double trend = 0.1;
    const auto sc = load(yh("no-network.toml"), short_run(3, 1, {"population.trend_per_year=0.1"}));
    const auto runs = run(sc, 10, 4);
    double first = 0, third = 0;
    for (const auto& r : runs)
        first += total(r, MonthlyVar::entries, 0, 12), third += total(r, MonthlyVar::entries, 24, 36);
    const double ratio = third / first, expected = (1 + trend) * (1 + trend);
    const double se = ratio * std::sqrt(1 / first + 1 / third);
    INFO("entries year 3 / year 1 = " << ratio << ", expected " << expected << " +- " << kSd * se);
    CHECK(std::abs(ratio - expected) <= kSd * se);
    // The first year's level is the untrended rate grown over half a year on average.
    const auto rates = expected_entries_per_year(sc);
    double per_year = 0;
    for (double x : rates) per_year += x;
    const double year1 = per_year * trend / std::log1p(trend);  // integral of (1+t)^x over [0, 1)
    check_poisson(first, year1 * static_cast<double>(runs.size()), "entries in the first trended year");
}

TEST_CASE("every death ends a dying phase of exactly phase.dying_days", "[regression][engine]") {
    // With no newborn entering in the dying phase, a child who dies on day t entered the dying
    // phase on day t - dying_days; the illness path before that does not depend on dying_days
    // (common random numbers). Lengthening the phase by 31 days therefore moves every death 31
    // days later. A 31-day shift maps month blocks onto month blocks one month later: Jan-Feb to
    // Feb-Mar, Mar-Apr to Apr-May, May-Jun to Jun-Jul, Jul to Aug, Aug-Sep to Sep-Oct, Oct-Nov to
    // Nov-Dec and Dec to the next Jan. Deaths in each block must match cell by cell.
    const std::vector<std::string> common = {"phase.at_birth_entry_phase=[0.8,0.15,0.05,0]"};
    auto opts28 = short_run(3, 1, common), opts59 = short_run(3, 1, common);
    opts28.push_back("phase.dying_days=28");
    opts59.push_back("phase.dying_days=59");
    const auto sc28 = load(two_area(), opts28);
    const auto sc59 = load(two_area(), opts59);
    const auto r28 = run(sc28, 12, 2), r59 = run(sc59, 12, 2);
    const std::vector<std::vector<int>> blocks = {{0, 1}, {2, 3}, {4, 5}, {6}, {7, 8}, {9, 10}, {11}};
    for (std::size_t i = 0; i < r28.size(); ++i) {
        const auto& a = r28[i];
        const auto& b = r59[i];
        REQUIRE(total(a, MonthlyVar::deaths) > 20);
        int compared = 0, differing = 0;
        std::string first;
        for (int y = 0; y < a.years; ++y)
            for (const auto& block : blocks) {
                if (12 * y + block.back() + 1 >= a.months) continue;
                for (std::size_t c = 0; c < a.cells; ++c) {
                    int before = 0, after = 0;
                    for (int m : block)
                        before += monthly(a, 12 * y + m, c, MonthlyVar::deaths),
                            after += monthly(b, 12 * y + m + 1, c, MonthlyVar::deaths);
                    compared += before;
                    if (before != after && differing++ == 0)
                        first = "year " + std::to_string(y) + " month " + std::to_string(block.front()) + ", cell " +
                                std::to_string(c) + ": " + std::to_string(before) + " vs " + std::to_string(after);
                }
            }
        INFO("replicate " << i << ": " << compared << " deaths compared; first difference " << first);
        CHECK(compared > 20);
        CHECK(differing == 0);
        // Entries are untouched; the longer phase only keeps dying children alive longer.
        CHECK(a.monthly_total(0, a.months, MonthlyVar::entries) == b.monthly_total(0, b.months, MonthlyVar::entries));
        CHECK(total(b, MonthlyVar::prevalent) > total(a, MonthlyVar::prevalent));
    }
}

TEST_CASE("newborns entering in the dying phase die within phase.dying_days", "[regression][engine]") {
    // Every newborn enters dying and no other child ever leaves the stable phase, so every death
    // is a newborn's, within dying_days (28) of birth: all deaths are under one year old.
    const auto sc =
        load(two_area(), short_run(1, 1,
                                   {"phase.at_birth_entry_phase=[0,0,0,1]", "phase.stable_to_unstable_per_year=0",
                                    "phase.stable_to_deteriorating_per_year=[0,0,0,0]", "phase.dying_days=28",
                                    "admission.rate_per_year=[0,0,0,0]"}));
    for (const auto& r : run(sc, 13, 2)) {
        REQUIRE(total(r, AnnualVar::deaths) > 0);
        CHECK(r.annual_total(0, AnnualVar::deaths) == r.deaths_by_age[0]);
        CHECK(r.annual_total(0, AnnualVar::max_phase_unstable) == 0);  // no admissions: nobody unstable
        CHECK(r.annual_total(0, AnnualVar::max_phase_deteriorating) == 0);
        // Every death is a newborn's dying phase (counted in every year it overlaps).
        CHECK(r.annual_total(0, AnnualVar::max_phase_dying) >= r.annual_total(0, AnnualVar::deaths));
        CHECK(r.annual_total(0, AnnualVar::max_phase_dying) <= r.children_by_age[0]);
    }
}

TEST_CASE("cure exits happen only for category 1 children", "[regression][engine]") {
    SECTION("with category-1 children, some are cured") {
        const auto sc = load(two_area(), short_run(2, 1));
        for (const auto& r : run(sc, 14, 2)) {
            CHECK(total(r, MonthlyVar::exits_cure) > 0);
            CHECK(r.children_by_category[0] > 0);
        }
    }
    SECTION("no category-1 children, no cures") {
        std::vector<std::string> opts;
        for (std::string_view d : dims::diagnosis.keys)
            opts.push_back("population.category_by_diagnosis." + std::string(d) + "={cat1=0}");
        const auto sc = load(two_area(), short_run(2, 1, opts));
        for (const auto& r : run(sc, 14, 2)) {
            REQUIRE(total(r, AnnualVar::children) > 0);
            CHECK(total(r, MonthlyVar::exits_cure) == 0);
            for (int y = 0; y < r.years; ++y)
                CHECK(r.children_by_category[static_cast<std::size_t>(y) * kCategories] == 0);
        }
    }
    SECTION("cure rate 0, no cures") {
        const auto sc = load(two_area(), short_run(2, 1, {"population.cure_rate_per_year=[0,0,0,0,0]"}));
        for (const auto& r : run(sc, 14, 2)) CHECK(total(r, MonthlyVar::exits_cure) == 0);
    }
}

TEST_CASE("exits at the upper age follow run.max_age_years", "[regression][engine]") {
    // Nobody older than the upper age is ever counted, and with a higher upper age more children
    // are alive (same children: entries are drawn up to the upper age).
    const auto young = load(two_area(), short_run(2, 1, {"run.max_age_years=16"}));
    const auto old = load(two_area(), short_run(2, 1, {"run.max_age_years=25"}));
    const auto ry = run(young, 15, 2), ro = run(old, 15, 2);
    for (std::size_t i = 0; i < ry.size(); ++i) {
        CHECK(total(ry[i], MonthlyVar::exits_age) > 0);
        CHECK(total(ro[i], AnnualVar::children) > total(ry[i], AnnualVar::children));
    }
}

TEST_CASE("a family preferring home, with no admissions, dies at home", "[regression][engine]") {
    const auto sc = load(
        two_area(),
        short_run(2, 1,
                  {"eol.preference=[1,0,0]", "eol.unidentified_hospital_prob=0", "eol.served_no_acp_hospital_prob=0",
                   "eol.neonatal_hospital_prob=0", "admission.rate_per_year=[0,0,0,0]", "eol.achievement_prob=[1,1]",
                   "eol.achievement_quintile_ratio=[1,1,1,1,1]", "eol.achievement_ethnicity_ratio=[1,1,1,1]"}));
    for (const auto& r : run(sc, 16, 2)) {
        const double deaths = total(r, AnnualVar::deaths);
        REQUIRE(deaths > 20);
        CHECK(total(r, AnnualVar::deaths_home) == deaths);
        CHECK(total(r, AnnualVar::deaths_preferred_place) == deaths);
        CHECK(total(r, AnnualVar::deaths_hospital) == 0);
        CHECK(total(r, MonthlyVar::unplanned_admissions) == 0);
    }
}

TEST_CASE("preferred places are drawn from eol.preference", "[validation][engine]") {
    // With no ACP anywhere and every child without one in hospital at the end, everyone dies in
    // hospital; the deaths at the preferred place are then exactly those preferring hospital,
    // whose share must be the normalised eol.preference weight (modifiers set to 1).
    const auto sc =
        load(yh("no-network.toml"),
             short_run(2, 1,
                       {"eol.preference=[0.5,0.2,0.3]", "eol.preference_cancer_ratio=[1,1,1]",
                        "eol.preference_neonate_ratio=[1,1,1]", "eol.preference_q5_ratio=[1,1,1]",
                        "eol.preference_minority_ratio=[1,1,1]", "eol.unidentified_hospital_prob=1",
                        "eol.served_no_acp_hospital_prob=1", "eol.neonatal_hospital_prob=1",
                        "care.acp_prob_per_contact=0", "care.acp_prob_stable_contact=0", "eol.inpatient_acp_prob=0"}));
    const auto runs = run(sc, 17, 4);
    double deaths = 0, preferred = 0;
    for (const auto& r : runs) {
        CHECK(total(r, AnnualVar::deaths_with_acp) == 0);
        CHECK(total(r, AnnualVar::deaths_hospital) == total(r, AnnualVar::deaths));
        deaths += total(r, AnnualVar::deaths);
        preferred += total(r, AnnualVar::deaths_preferred_place);
    }
    REQUIRE(deaths > 200);
    check_binomial(preferred, deaths, 0.3, "deaths at the preferred place (hospital preferred)");
}

TEST_CASE("a hospital preference is always met when every dying child goes to hospital", "[regression][engine]") {
    // Converse of the test above: every family prefers hospital and every dying child is taken
    // there (with an ACP because of the preference, without one by the hospital probabilities).
    const auto sc = load(two_area(), short_run(2, 1,
                                               {"eol.preference=[0,0,1]", "eol.unidentified_hospital_prob=1",
                                                "eol.served_no_acp_hospital_prob=1", "eol.neonatal_hospital_prob=1",
                                                "care.acp_prob_per_contact=1"}));
    for (const auto& r : run(sc, 18, 2)) {
        REQUIRE(total(r, AnnualVar::deaths) > 0);
        CHECK(total(r, AnnualVar::deaths_hospital) == total(r, AnnualVar::deaths));
        CHECK(total(r, AnnualVar::deaths_preferred_place) == total(r, AnnualVar::deaths));
    }
}
