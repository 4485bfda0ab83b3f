#include "metrics/calibration.hpp"
#include "metrics/summary.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <string>
#include <vector>

using namespace cpcsim;

namespace {

TargetSet default_targets() {
    return load_targets(std::string(CPCSIM_SOURCE_DIR) + "/scenarios/yorkshire-humber/targets.toml",
                        target_vocabulary());
}

/// Runs whose summaries are all `row` (the counters are empty: only summary measures are read).
std::vector<RunMeasures> runs_of(const std::vector<double>& row, std::size_t n) {
    return std::vector<RunMeasures>(n, RunMeasures{row, {}, {}});
}

}  // namespace

TEST_CASE("the default targets file gives the verdicts of MODEL.md §7", "[unit][metrics]") {
    const TargetSet targets = default_targets();
    REQUIRE(targets.targets.size() == 18);
    const auto& measures = summary_measures();
    std::vector<double> row(measures.size(), 0.0);
    auto set = [&](const std::string& name, double v) {
        for (std::size_t i = 0; i < measures.size(); ++i)
            if (measures[i].name == name) row[i] = v;
    };
    set("prevalence_per_10000", 70);
    set("prevalence_under1_per_10000", 226);
    set("ratio_south_asian_white", 1.8);
    set("ratio_black_white", 1.6);
    for (auto [q, v] : {std::pair{1, 60.0}, {2, 55.0}, {3, 62.0}, {4, 70.0}, {5, 90.0}})
        set("prevalence_q" + std::to_string(q), v);
    set("congenital_share", 0.41);
    set("deaths_per_year", 200);
    set("deaths_under1_share", 0.58);
    set("death_hospital_share", 0.75);
    set("death_home_share", 0.16);
    set("death_hospice_share", 0.06);
    set("phase_stable_share", 0.83);
    set("phase_unstable_share", 0.14);
    set("phase_deteriorating_share", 0.02);
    set("phase_dying_share", 0.01);
    set("hospice_statutory_share", 0.2);
    set("areas_24_7_share", 0.33);
    set("first_assessments_per_year", 200);
    const std::vector<RunOutputs> outputs(2);
    for (const auto& r : check_calibration(targets, outputs, runs_of(row, 2))) {
        INFO(r.target.id << " " << r.target.description);
        CHECK(r.pass);
    }
    // A monotone gradient (no inverse-J) fails C4; too many deaths fails C6.
    set("prevalence_q1", 50);
    set("prevalence_q2", 55);
    set("deaths_per_year", 300);
    int failed = 0;
    for (const auto& r : check_calibration(targets, outputs, runs_of(row, 2)))
        if (!r.pass) {
            ++failed;
            CHECK((r.target.id == "C4" || r.target.id == "C6"));
        }
    REQUIRE(failed == 2);
    // The range's ends belong to it (C6: 180-270), and C4 allows Q2 to tie Q3 but not Q1.
    set("prevalence_q1", 60);
    set("prevalence_q3", 55);
    set("deaths_per_year", 180);
    for (const auto& r : check_calibration(targets, outputs, runs_of(row, 2))) CHECK(r.pass);
    set("prevalence_q1", 55);
    for (const auto& r : check_calibration(targets, outputs, runs_of(row, 2))) CHECK(r.pass == (r.target.id != "C4"));
}

TEST_CASE("implausibility counts observation, discrepancy and run-to-run variance", "[unit][metrics]") {
    CalibrationTarget t;
    t.observed = 10;
    t.observation_sd = 3;
    t.discrepancy_sd = 0;
    CHECK(implausibility(t, 16, 16) == Approx(6.0 / 5.0));  // sqrt(9 + 0 + 16) = 5
    t.discrepancy_sd = 4;
    CHECK(implausibility(t, 4, 0) == Approx(6.0 / 5.0));
    CHECK(implausibility(t, 4, std::nan("")) == Approx(6.0 / 5.0));  // unknown noise: none
    t.observation_sd = t.discrepancy_sd = 0;
    CHECK(implausibility(t, 10, 0) == 0);
    CHECK(std::isinf(implausibility(t, 11, 0)));

    // From replicates: the variance across runs enters the denominator.
    const auto targets = parse_targets(R"([[target]]
id = "T"
name = "deaths"
description = "deaths"
measure = "deaths_per_year"
observed = 100
range = [90, 110]
observation_sd = 3
discrepancy_sd = 0
source = "test"
)",
                                       "t.toml", target_vocabulary());
    std::vector<double> row(summary_measures().size(), 0.0);
    std::size_t deaths = 0;
    while (summary_measures()[deaths].name != "deaths_per_year") ++deaths;
    auto runs = runs_of(row, 2);
    runs[0].summary[deaths] = 104;
    runs[1].summary[deaths] = 112;  // mean 108, variance 32
    const auto r = check_calibration(targets, std::vector<RunOutputs>(2), runs).at(0);
    CHECK(r.pass);
    CHECK(r.implausibility == Approx(8.0 / std::sqrt(9.0 + 32.0)));
}

TEST_CASE("a ratio of counters over the horizon equals the summary measure it restates", "[unit][metrics]") {
    const auto targets = parse_targets(R"([[target]]
id = "C8"
name = "hospital"
description = "hospital deaths"
ratio = { numerator = "annual.deaths_hospital", denominator = "annual.deaths" }
observed = 0.75
range = [0.68, 0.82]
observation_sd = 0.035
discrepancy_sd = 0.0175
source = "test"

[[target]]
id = "X"
name = "lost_per_100"
description = "referrals lost per 100 referrals"
ratio = { numerator = "monthly.referrals_lost", denominator = "monthly.referrals", scale = 100 }
observed = 5
range = [0, 10]
observation_sd = 1
discrepancy_sd = 0
source = "test"
)",
                                       "t.toml", target_vocabulary());
    RunOutputs run;
    run.resize(2, 1, 0);  // two years, one area, no providers
    run.a(0, 0, AnnualVar::deaths) = 10, run.a(1, 0, AnnualVar::deaths) = 30;
    run.a(0, 0, AnnualVar::deaths_hospital) = 7, run.a(1, 0, AnnualVar::deaths_hospital) = 23;
    run.add_monthly(3, 0, MonthlyVar::referrals, 50), run.add_monthly(5, 0, MonthlyVar::referrals_lost, 4);
    run.add_monthly(20, 0, MonthlyVar::referrals, 30);
    run.complete_monthly();
    const RunMeasures measures{std::vector<double>(summary_measures().size(), 0.0), {}, {}};
    CHECK(target_value(targets.targets.at(0), run, measures) == 30.0 / 40.0);
    CHECK(target_value(targets.targets.at(1), run, measures) == 100.0 * 4.0 / 80.0);
    run.a(0, 0, AnnualVar::deaths) = run.a(1, 0, AnnualVar::deaths) = 0;
    CHECK(std::isnan(target_value(targets.targets.at(0), run, measures)));  // no deaths: not defined
}
