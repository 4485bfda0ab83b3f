// Unit tests of the monthly update (funding.cpp) on hand-built states, with the random parts of
// funding switched off (no charitable volatility, no vacancy fluctuation, no vacancies) so that
// money -> staff -> capacity, closure, engagement and 24/7 cover have exact expected values.
#include "phase_test_support.hpp"

using namespace phase_test;

namespace {

/// Funding without randomness or vacancies: the staff ratio is the budget ratio exactly.
void steady_funding(ModelParams& P) {
    P.funding.charitable_volatility = 0;
    P.funding.vacancy_monthly_sd = 0;
    P.funding.vacancy_rate = {0, 0, 0, 0};
}

}  // namespace

TEST_CASE("funding -> staff -> capacity: a team's capacity follows its budget", "[unit][engine]") {
    HandBuilt w({hospice(10), team(ProviderType::Sppc, 4, 2)}, 0);
    steady_funding(w.P);
    w.P.funding.statutory_multiplier = 0.5;  // budget 50 + 100 of 200
    monthly_update(w.in(), w.pop.clock, w.prov, w.rec);
    const auto& sppc = w.prov.state[static_cast<std::size_t>(w.index_of(ProviderType::Sppc))];
    const auto& hosp = w.prov.state[static_cast<std::size_t>(w.index_of(ProviderType::Hospice))];
    CHECK(sppc.effective_staff_ratio == 0.75);
    CHECK(sppc.capacity == 4 * 2 * 0.75);
    CHECK(hosp.capacity == 10 * 0.75);
    CHECK_FALSE(hosp.closed);
    const int p = w.index_of(ProviderType::Sppc);
    CHECK(w.rec.out.p(0, p, ProviderVar::statutory_gbp) == Approx(50.0 * 31 / 365));
    CHECK(w.rec.out.p(0, p, ProviderVar::charitable_gbp) == Approx(100.0 * 31 / 365));
}

TEST_CASE("funding by provider type: a statutory lever for one type moves only that type", "[unit][engine]") {
    HandBuilt w({hospice(10), team(ProviderType::Sppc, 4, 2)}, 0);
    steady_funding(w.P);
    w.P.funding.statutory_multiplier = 0.8;
    w.P.funding.statutory_by_type[static_cast<std::size_t>(ProviderType::Sppc)] = 0.5;  // on top: 0.4 in all
    monthly_update(w.in(), w.pop.clock, w.prov, w.rec);
    const int s = w.index_of(ProviderType::Sppc), h = w.index_of(ProviderType::Hospice);
    const auto& sppc = w.prov.state[static_cast<std::size_t>(s)];
    const auto& hosp = w.prov.state[static_cast<std::size_t>(h)];
    CHECK(sppc.effective_staff_ratio == Approx((100.0 * 0.4 + 100.0) / 200.0));
    CHECK(hosp.effective_staff_ratio == Approx((100.0 * 0.8 + 100.0) / 200.0));
    CHECK(w.rec.out.p(0, s, ProviderVar::statutory_gbp) == Approx(40.0 * 31 / 365));
    CHECK(w.rec.out.p(0, h, ProviderVar::statutory_gbp) == Approx(80.0 * 31 / 365));
}

TEST_CASE("funding -> staff -> capacity: beds close below the staffing threshold and stop at the headroom",
          "[unit][engine]") {
    HandBuilt w({hospice(10)}, 0);
    steady_funding(w.P);
    const auto& hosp = w.prov.state[static_cast<std::size_t>(w.index_of(ProviderType::Hospice))];
    SECTION("below the threshold") {
        w.P.funding.statutory_multiplier = 0.2;  // 0.6 of the baseline budget < 0.65
        monthly_update(w.in(), w.pop.clock, w.prov, w.rec);
        CHECK(hosp.closed);
        CHECK(w.rec.out.p(0, 0, ProviderVar::closed_days) == 31);
    }
    SECTION("more money than beds") {
        w.P.funding.statutory_multiplier = 3;  // 2x the baseline budget
        monthly_update(w.in(), w.pop.clock, w.prov, w.rec);
        CHECK_FALSE(hosp.closed);
        CHECK(hosp.capacity == 10 * w.P.funding.bed_headroom);
    }
}

TEST_CASE("funding: vacancies beyond the limit are clamped", "[unit][engine]") {
    HandBuilt w({team(ProviderType::Ccn, 10, 1)}, 0);
    steady_funding(w.P);
    w.P.funding.vacancy_rate = {0, 0, 0.5, 0};
    w.P.funding.vacancy_monthly_sd = 100;  // any draw but a tiny one leaves the clamp range
    w.P.funding.vacancy_max = 0.9;
    monthly_update(w.in(), w.pop.clock, w.prov, w.rec);
    const double ratio = w.prov.state[0].effective_staff_ratio;
    // Vacancy 0 gives 1 / 0.5 = 2; vacancy at the limit gives 0.1 / 0.5 = 0.2.
    CHECK((ratio == 2.0 || ratio == Approx(0.2)));
}

TEST_CASE("engagement rises with drive and decays without it", "[unit][engine]") {
    HandBuilt w({team(ProviderType::Sppc, 4, 2)}, 0);
    steady_funding(w.P);
    auto& n = w.P.network;
    n.training = 1;  // a network exists (and costs money) ...
    setup_providers(w.in(), w.prov);
    const double e0 = n.initial_engagement;
    REQUIRE(w.prov.state[0].engagement == e0);
    const double dt = 31.0 / 365.0;
    SECTION("no drive: decay under the leaderless stress, plus churn") {
        monthly_update(w.in(), w.pop.clock, w.prov, w.rec);
        const double de = -(n.decay_per_year * n.leaderless_stress + n.churn_per_year) * e0;
        CHECK(w.prov.state[0].engagement == Approx(e0 + de * dt).epsilon(1e-12));
        CHECK(w.prov.state[0].engagement < e0);
    }
    SECTION("a coordinator beyond saturation drives no more than one at saturation") {
        n.coordinator_wte = n.coordinator_saturation_wte;
        monthly_update(w.in(), w.pop.clock, w.prov, w.rec);
        const double at_saturation = w.prov.state[0].engagement;
        CHECK(at_saturation > e0);
        setup_providers(w.in(), w.prov);
        n.coordinator_wte = n.coordinator_saturation_wte * 3;
        monthly_update(w.in(), w.pop.clock, w.prov, w.rec);
        CHECK(w.prov.state[0].engagement == at_saturation);
    }
}

TEST_CASE("24/7 cover needs out-of-hours nursing and specialist advice serving the area", "[unit][engine]") {
    auto ccn = team(ProviderType::Ccn, 5, 2);
    ccn.out_of_hours = true;
    auto sppc = team(ProviderType::Sppc, 3, 2);
    SECTION("nursing without advice") {
        HandBuilt w({ccn, sppc}, 0);
        steady_funding(w.P);
        monthly_update(w.in(), w.pop.clock, w.prov, w.rec);
        CHECK(w.prov.area_cover[0] == 0);
    }
    SECTION("nursing and advice") {
        sppc.out_of_hours = true;
        HandBuilt w({ccn, sppc}, 0);
        steady_funding(w.P);
        monthly_update(w.in(), w.pop.clock, w.prov, w.rec);
        CHECK(w.prov.area_cover[0] == 1);
        CHECK(w.rec.out.area_cover_days[0] == 31);
    }
    SECTION("a 24/7 rota covers the share of nights its people can staff, at a cost in daytime capacity") {
        HandBuilt w({ccn, sppc}, 0);
        steady_funding(w.P);
        auto& n = w.P.network;
        n.rota_24_7 = true;
        n.rota_wte_per_person = 0.75;  // 3 SPPC WTE = 4 people: 1 consultant, 3 nurses
        n.rota_consultant_share = 0.25;
        n.rota_min_consultants = 2;  // 1 of 2: half the nights
        n.rota_min_nurses = 3;       // 3 of 3: every night
        n.rota_daytime_loss_wte = 0.1;
        setup_providers(w.in(), w.prov);
        for (auto& ps : w.prov.state) ps.engagement = 1;
        n.decay_per_year = 0;
        n.churn_per_year = 0;
        n.leaderless_stress = 0;
        monthly_update(w.in(), w.pop.clock, w.prov, w.rec);
        CHECK(w.prov.area_cover[0] == Approx(0.5));
        CHECK(w.rec.out.area_cover_days[0] == 16);  // 15.5 of 31 nights, rounded
        // 4 people fill 1 + 3 slots: 0.4 WTE of daytime work lost at 2 contacts per WTE-day.
        const auto s = static_cast<std::size_t>(w.index_of(ProviderType::Sppc));
        CHECK(w.prov.state[s].capacity == Approx(3 * 2 - 0.4 * 2));
        // One more consultant's worth of people covers every night.
        n.rota_adult_consultants = 1;
        monthly_update(w.in(), w.pop.clock, w.prov, w.rec);
        CHECK(w.prov.area_cover[0] == Approx(1.0));
    }
}

TEST_CASE("out-of-hours cover added by a funding change gives cover and costs its rota; cover in the table is free",
          "[unit][engine]") {
    auto ccn = team(ProviderType::Ccn, 5, 2);
    auto sppc = team(ProviderType::Sppc, 3, 2);
    sppc.out_of_hours = true;  // advice already commissioned (inside its budget)
    FundingChange added;
    added.target = "ccn";
    added.income = "statutory";
    added.out_of_hours = true;
    HandBuilt w({ccn, sppc}, 0);
    steady_funding(w.P);
    const int c = w.index_of(ProviderType::Ccn), s = w.index_of(ProviderType::Sppc);
    monthly_update(w.in(), w.pop.clock, w.prov, w.rec);
    REQUIRE(w.prov.area_cover[0] == 0);  // no out-of-hours nursing yet
    const double capacity = w.prov.state[static_cast<std::size_t>(c)].capacity;
    const double stat_before = w.rec.out.p(0, c, ProviderVar::statutory_gbp);
    const double sppc_before = w.rec.out.p(0, s, ProviderVar::statutory_gbp);

    added.target = "all";  // the SPPC team is flagged already: it pays nothing more
    w.sc.funding_changes = {added};
    w.P.funding.out_of_hours_cost = {7000, 9000, 36500, 0};
    monthly_update(w.in(), w.pop.clock, w.prov, w.rec);
    CHECK(w.prov.area_cover[0] == 1);
    CHECK(w.prov.state[static_cast<std::size_t>(c)].out_of_hours);
    // Its own rota: daytime staff and capacity unchanged, the cost on top of the budget.
    CHECK(w.prov.state[static_cast<std::size_t>(c)].capacity == capacity);
    CHECK(w.rec.out.p(0, c, ProviderVar::statutory_gbp) - 2 * stat_before == Approx(36500.0 * 31 / 365));
    CHECK(w.rec.out.p(0, s, ProviderVar::statutory_gbp) == Approx(2 * sppc_before));

    SECTION("paid from charitable income when named") {
        w.sc.funding_changes[0].income = "charitable";
        const double charity = w.rec.out.p(0, c, ProviderVar::charitable_gbp);
        monthly_update(w.in(), w.pop.clock, w.prov, w.rec);
        CHECK(w.rec.out.p(0, c, ProviderVar::charitable_gbp) - charity ==
              Approx(100.0 * 31 / 365 + 36500.0 * 31 / 365));
    }
    SECTION("not before its year") {
        w.sc.funding_changes[0].year = 1;
        monthly_update(w.in(), w.pop.clock, w.prov, w.rec);
        CHECK(w.prov.area_cover[0] == 0);
    }
}
