#include "metrics/calibration.hpp"
#include "metrics/summary.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using namespace cpcsim;

TEST_CASE("calibration check passes and fails on the target ranges", "[unit][metrics]") {
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
    std::vector<std::vector<double>> runs{row, row};
    for (const auto& r : check_calibration(runs)) {
        INFO(r.target.id << " " << r.target.what);
        CHECK(r.pass);
    }
    // A monotone gradient (no inverse-J) fails C4; too many deaths fails C6.
    set("prevalence_q1", 50);
    set("prevalence_q2", 55);
    set("deaths_per_year", 300);
    runs = {row, row};
    int failed = 0;
    for (const auto& r : check_calibration(runs))
        if (!r.pass) {
            ++failed;
            CHECK((r.target.id == "C4" || r.target.id == "C6"));
        }
    REQUIRE(failed == 2);
}
