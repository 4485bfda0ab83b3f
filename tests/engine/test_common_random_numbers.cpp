// Common random numbers (MODEL.md §6): two scenarios with the same seed and replicate index
// simulate the same children, as far as the scenario does not change them. The network and the
// funding change care, not illness (phase.care_survival_effect is 0 by default), so entries,
// deaths, exits and the demographic tables must be identical cell for cell, month for month.
#include "engine_test_support.hpp"

#include <algorithm>

using namespace engine_test;

namespace {

constexpr MonthlyVar kPopulationMonthly[] = {MonthlyVar::prevalent, MonthlyVar::entries, MonthlyVar::deaths,
                                             MonthlyVar::exits_age, MonthlyVar::exits_cure};
// Stable and unstable are counted from admissions (Jarvis 2017's definition), which care changes;
// deteriorating and dying are the illness phases.
constexpr AnnualVar kPopulationAnnual[] = {AnnualVar::children, AnnualVar::deaths, AnnualVar::max_phase_deteriorating,
                                           AnnualVar::max_phase_dying};

/// Number of (month, cell) or (year, cell) entries in which the population counters differ.
void require_same_children(const RunOutputs& a, const RunOutputs& b) {
    REQUIRE(a.cells == b.cells);
    REQUIRE(a.months == b.months);
    for (MonthlyVar v : kPopulationMonthly) {
        int differing = 0;
        for (int m = 0; m < a.months; ++m)
            for (std::size_t c = 0; c < a.cells; ++c) differing += monthly(a, m, c, v) != monthly(b, m, c, v);
        INFO("monthly " << name_of(v) << " (total " << total(a, v) << " vs " << total(b, v) << ")");
        CHECK(differing == 0);
    }
    for (AnnualVar v : kPopulationAnnual) {
        int differing = 0;
        for (int y = 0; y < a.years; ++y)
            for (std::size_t c = 0; c < a.cells; ++c) differing += annual(a, y, c, v) != annual(b, y, c, v);
        INFO("annual " << name_of(v));
        CHECK(differing == 0);
    }
    CHECK(a.children_by_age == b.children_by_age);
    CHECK(a.deaths_by_age == b.deaths_by_age);
    CHECK(a.children_by_diagnosis == b.children_by_diagnosis);
    CHECK(a.children_by_category == b.children_by_category);
    CHECK(a.children_simulated == b.children_simulated);
    CHECK(a.child_days == b.child_days);
}

void require_crn(const Scenario& a, const Scenario& b, MonthlyVar must_differ, int replicates = 2) {
    const auto ra = run(a, 2026, replicates);
    const auto rb = run(b, 2026, replicates);
    for (int i = 0; i < replicates; ++i) {
        INFO(a.name << " vs " << b.name << ", replicate " << i);
        REQUIRE(total(ra[static_cast<std::size_t>(i)], MonthlyVar::deaths) > 0);
        require_same_children(ra[static_cast<std::size_t>(i)], rb[static_cast<std::size_t>(i)]);
        // The comparison is not vacuous: the scenarios do change care.
        INFO("expected " << name_of(must_differ) << " to differ");
        CHECK(total(ra[static_cast<std::size_t>(i)], must_differ) !=
              total(rb[static_cast<std::size_t>(i)], must_differ));
    }
}

}  // namespace

TEST_CASE("no network and full network simulate the same children", "[regression][engine]") {
    const auto opts = short_run(2, 1);
    require_crn(load(yh("no-network.toml"), opts), load(yh("full-network.toml"), opts), MonthlyVar::referrals_lost);
}

TEST_CASE("a funding change leaves entries, deaths and exits unchanged", "[regression][engine]") {
    const auto opts = short_run(3, 1);
    const auto base = load(yh("no-network.toml"), opts);
    SECTION("statutory funding -20%") {
        require_crn(base, load(yh("funding-minus-20.toml"), opts), MonthlyVar::ccn_visits_received);
    }
    SECTION("a cut from year 3") {
        require_crn(base, load(yh("funding-cut-year-3.toml"), opts), MonthlyVar::ccn_visits_received);
    }
}

TEST_CASE("each network mechanism alone keeps the same children", "[regression][engine]") {
    // The small region, one mechanism at a time: none of them may touch the illness process.
    const auto base = load(two_area(), short_run(2, 1));
    const std::vector<std::pair<std::string, MonthlyVar>> mechanisms = {
        {"network.coordinator_wte=1", MonthlyVar::referral_delay_days},
        {"network.training=1", MonthlyVar::identified},
        {"network.common_standards=true", MonthlyVar::referrals_refused},
        {"network.shared_records=true", MonthlyVar::referrals_lost},
        {"network.pooled_capacity=true", MonthlyVar::pooled_services},
    };
    for (const auto& [setting, differs] : mechanisms) {
        INFO(setting);
        // Leadership gives every mechanism some engagement to act through.
        require_crn(
            base,
            load(two_area(), short_run(2, 1, {setting, "network.leadership=1", "network.initial_engagement=0.8"})),
            differs, 1);
    }
}

TEST_CASE("care_survival_effect is the one parameter that breaks common random numbers", "[regression][engine]") {
    // The converse: when care is allowed to change survival, deaths must change (so the tests
    // above would notice a leak of care into illness).
    const auto base = load(yh("no-network.toml"), short_run(2, 1));
    const auto survival = load(yh("no-network.toml"), short_run(2, 1, {"phase.care_survival_effect=0.9"}));
    const auto a = run(base, 2026, 1);
    const auto b = run(survival, 2026, 1);
    CHECK(a[0].monthly_total(0, 12, MonthlyVar::entries) == b[0].monthly_total(0, 12, MonthlyVar::entries));
    CHECK(total(b[0], MonthlyVar::deaths) < total(a[0], MonthlyVar::deaths));
}
