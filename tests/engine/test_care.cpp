// Care allocation (MODEL.md §4.4) through a run's outputs: ample capacity meets every visit,
// no capacity meets none, and time in hospital pauses visits without ending them.
#include "engine_test_support.hpp"

#include <tuple>

using namespace engine_test;

namespace {

/// The two-area region with CCN and SPPC teams and hospices `factor` times their size.
Scenario scaled_capacity(double factor, const std::vector<std::string>& opts) {
    auto sc = load(two_area(), opts);
    for (auto& p : sc.providers) {
        p.staff_wte *= factor;
        p.home_visits_per_day *= factor;
        p.beds *= factor;
    }
    return sc;
}

}  // namespace

TEST_CASE("with ample capacity every visit due is given the day it falls due", "[regression][engine]") {
    const auto sc = scaled_capacity(1000, short_run(2, 1, {"admission.rate_per_year=[0,0,0,0]"}));
    for (const auto& r : run(sc, 501, 2)) {
        for (const auto& [needed, received, unmet] :
             {std::tuple{MonthlyVar::ccn_visits_needed, MonthlyVar::ccn_visits_received, MonthlyVar::unmet_days_ccn},
              std::tuple{MonthlyVar::sppc_contacts_needed, MonthlyVar::sppc_contacts_received,
                         MonthlyVar::unmet_days_sppc},
              std::tuple{MonthlyVar::hospice_home_visits_needed, MonthlyVar::hospice_home_visits_received,
                         MonthlyVar::unmet_days_hospice_home}}) {
            INFO(name_of(needed) << " " << total(r, needed) << ", " << name_of(received) << " " << total(r, received));
            REQUIRE(total(r, needed) > 100);
            CHECK(total(r, unmet) == 0);
            // Only a child who dies on the day a visit falls due misses it.
            CHECK(total(r, received) >= total(r, needed) - total(r, MonthlyVar::deaths));
        }
        CHECK(total(r, MonthlyVar::unmet_nights_respite) == 0);
        CHECK(total(r, MonthlyVar::respite_nights_received) > 0);
    }
}

TEST_CASE("scarce capacity leaves visits unmet", "[regression][engine]") {
    const auto sc = scaled_capacity(0.2, short_run(2, 1));
    for (const auto& r : run(sc, 502, 1)) {
        CHECK(total(r, MonthlyVar::unmet_days_ccn) > 0);
        CHECK(total(r, MonthlyVar::unmet_days_sppc) > 0);
        CHECK(total(r, MonthlyVar::ccn_visits_received) < total(r, MonthlyVar::ccn_visits_needed));
    }
}

TEST_CASE("visits resume after a hospital stay", "[regression][engine]") {
    // Two scenarios with the same children and the same caseloads (admissions do not lead to
    // identification here): A has no unplanned admissions, B has many short ones. Time in hospital
    // is stationary, so the ratio of visits falling due in B to those in A must be the same in
    // every year. care.cpp serve_visits() drops a pending request of a child who is in hospital
    // (`c.place == kHospital) continue;`) and clears the queue without resetting
    // visit_pending_since[v]; visit_due() and on_phase_change_care() then refuse every later visit
    // of that kind because one is "pending". Each admission that meets a pending visit ends that
    // child's visits for good, so B's visits fall year after year.
    const std::vector<std::string> common = {"care.ccn_visit_interval_days=[1,1,1,1]",
                                             "identification.at_admission_prob=0",
                                             "admission.mean_stay_days=[1,1,1,1]"};
    auto opts_a = short_run(3, 0, common), opts_b = short_run(3, 0, common);
    opts_a.push_back("admission.rate_per_year=[0,0,0,0]");
    opts_b.push_back("admission.rate_per_year=[20,20,20,20]");
    const auto a = load(two_area(), opts_a), b = load(two_area(), opts_b);
    const auto ra = run(a, 503, 2), rb = run(b, 503, 2);
    for (std::size_t i = 0; i < ra.size(); ++i) {
        std::vector<double> ratio;
        for (int y = 0; y < 3; ++y)
            ratio.push_back(total(rb[i], MonthlyVar::ccn_visits_needed, 12 * y, 12 * y + 12) /
                            total(ra[i], MonthlyVar::ccn_visits_needed, 12 * y, 12 * y + 12));
        INFO("replicate " << i << ": visits due with admissions / without, by year: " << ratio[0] << ", " << ratio[1]
                          << ", " << ratio[2]);
        REQUIRE(total(rb[i], MonthlyVar::unplanned_admissions) > 1000);
        CHECK(ratio[2] / ratio[0] > 0.9);
        CHECK(ratio[2] / ratio[0] < 1.1);
    }
}
