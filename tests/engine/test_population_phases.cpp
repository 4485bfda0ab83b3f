// Unit tests of the population phases (population.cpp) on hand-built states: a death and where it
// is counted, an exit at the upper age, an escalation handed to referral, entrants started.
#include "phase_test_support.hpp"

using namespace phase_test;

TEST_CASE("a death is counted once, by place, against the preference, plan and cover", "[unit][engine]") {
    HandBuilt w({hospice(2)});
    const auto ci = w.add(kDying);
    Child& c = w.pop.child(ci);
    c.max_phase_year = kDying;
    c.next_phase = kGone;
    c.exit_cause = 0;
    c.place = kHome;
    c.preferred = kHome;
    c.acp = true;
    w.prov.area_cover[0] = 1;

    end_phase(w.in(), w.pop, w.prov, w.rec, w.h, ci);

    CHECK_FALSE(w.pop.child(ci).alive);
    CHECK(w.pop.child(ci).phase == kGone);
    CHECK(w.pop.alive_by_cell[w.pop.child(ci).cell] == 0);
    CHECK(w.monthly(MonthlyVar::deaths) == 1);
    CHECK(w.annual(AnnualVar::deaths) == 1);
    CHECK(w.annual(AnnualVar::deaths_home) == 1);
    CHECK(w.annual(AnnualVar::deaths_hospital) == 0);
    CHECK(w.annual(AnnualVar::deaths_preferred_place) == 1);
    CHECK(w.annual(AnnualVar::deaths_with_acp) == 1);
    CHECK(w.annual(AnnualVar::deaths_with_24_7) == 1);
    CHECK(w.annual(AnnualVar::children) == 1);
    CHECK(w.annual(AnnualVar::max_phase_dying) == 1);
    CHECK(w.rec.out.deaths_by_age[static_cast<std::size_t>(age_band(5 * 365))] == 1);
    CHECK(w.h.empty());
}

TEST_CASE("the phase mix is counted as Jarvis 2017 count it", "[unit][engine]") {
    HandBuilt w({hospice(2)});
    // Dying at the year's end: dying in that year too (every year the phase overlaps).
    const auto dying = w.add(kDying);
    w.pop.child(dying).max_phase_year = kDying;
    tally_year(w.rec, w.pop.child(dying), 0, false);
    CHECK(w.annual(AnnualVar::max_phase_dying) == 1);
    // Unstable is an emergency admission of 48 hours or more (or to PICU) in the year, not the
    // latent phase: a latent-unstable child never admitted is stable ...
    const auto calm = w.add(kUnstable);
    w.pop.child(calm).max_phase_year = kUnstable;
    tally_year(w.rec, w.pop.child(calm), 0, false);
    CHECK(w.annual(AnnualVar::max_phase_stable) == 1);
    CHECK(w.annual(AnnualVar::max_phase_unstable) == 0);
    // ... and a stable child admitted for three days is unstable; a one-day stay is not enough.
    w.P.admission.mean_stay_days = {1e-9, 1e-9, 1e-9, 1e-9};  // every stay one day
    w.P.admission.picu_prob = {0, 0, 0, 0};
    const auto short_stay = w.add(kStable);
    admit(w.in(), w.pop, w.rec, w.h, short_stay);
    tally_year(w.rec, w.pop.child(short_stay), 0, false);
    CHECK(w.annual(AnnualVar::max_phase_unstable) == 0);
    w.P.admission.mean_stay_days = {1e6, 1e6, 1e6, 1e6};  // stays far longer than two days
    const auto long_stay = w.add(kStable);
    admit(w.in(), w.pop, w.rec, w.h, long_stay);
    tally_year(w.rec, w.pop.child(long_stay), 0, false);
    CHECK(w.annual(AnnualVar::max_phase_unstable) == 1);
    CHECK(w.annual(AnnualVar::max_phase_stable) == 2);
}

TEST_CASE("an exit at the upper age is not a death", "[unit][engine]") {
    HandBuilt w({hospice(2)});
    const auto ci = w.add(kStable);
    w.pop.child(ci).next_phase = kGone;
    w.pop.child(ci).exit_cause = 1;
    end_phase(w.in(), w.pop, w.prov, w.rec, w.h, ci);
    CHECK_FALSE(w.pop.child(ci).alive);
    CHECK(w.monthly(MonthlyVar::exits_age) == 1);
    CHECK(w.monthly(MonthlyVar::deaths) == 0);
    CHECK(w.annual(AnnualVar::deaths) == 0);
    CHECK(w.annual(AnnualVar::max_phase_stable) == 1);
}

TEST_CASE("an escalation lists the child as active and hands referral of missing services on", "[unit][engine]") {
    HandBuilt w({hospice(2), team(ProviderType::Sppc, 1, 2), team(ProviderType::Ccn, 1, 2)});
    const auto ci = w.add(kUnstable);
    w.pop.child(ci).next_phase = kDeteriorating;

    end_phase(w.in(), w.pop, w.prov, w.rec, w.h, ci);

    const Child& c = w.pop.child(ci);
    CHECK(c.phase == kDeteriorating);
    CHECK(c.phase_start == w.day());
    CHECK(c.max_phase_year == kDeteriorating);
    CHECK(c.active_listed);
    CHECK(w.pop.active == std::vector<std::uint32_t>{ci});
    CHECK(c.phase_end > w.day());
    // end_phase only leaves the work: referral takes it after the phase (in the step).
    REQUIRE(w.h.size() == 1);
    CHECK(w.h[0].kind == Handoff::kEscalated);
    CHECK(w.h[0].child == ci);
    CHECK(w.monthly(MonthlyVar::referrals) == 0);
}

TEST_CASE("a calmer phase hands nothing on", "[unit][engine]") {
    HandBuilt w({hospice(2)});
    const auto ci = w.add(kUnstable);
    w.pop.child(ci).next_phase = kStable;
    end_phase(w.in(), w.pop, w.prov, w.rec, w.h, ci);
    CHECK(w.pop.child(ci).phase == kStable);
    CHECK(w.h.empty());
}

TEST_CASE("an entrant joins its area with its home providers, counted once", "[unit][engine]") {
    HandBuilt w({hospice(2), team(ProviderType::Sppc, 1, 2), team(ProviderType::Ccn, 1, 2)});
    Child entrant;
    entrant.id = w.pop.next_id++;
    entrant.cell = static_cast<std::uint32_t>(cell_index(0, 4, 0, 1));
    entrant.quintile = 4;
    entrant.rural = 1;
    entrant.birth_day = w.day();
    entrant.entry_day = w.day();
    entrant.phase = kStable;

    start_entrant(w.in(), w.pop, w.prov, w.rec, w.h, entrant);

    REQUIRE(w.pop.child_count() == 1);
    const Child& c = w.pop.children_by_area[0][0];
    CHECK(c.home == w.prov.area_home[0]);
    CHECK(c.home[kToHospice] == w.index_of(ProviderType::Hospice));
    CHECK(w.pop.alive_by_cell[entrant.cell] == 1);
    CHECK(w.monthly(MonthlyVar::entries) == 1);
    CHECK(c.phase_end > w.day());
    CHECK_FALSE(c.active_listed);
}

TEST_CASE("the scans of the living visit living children in order and forget the dead", "[unit][engine]") {
    HandBuilt w({hospice(2)});
    const auto first = w.add(kStable), second = w.add(kStable), third = w.add(kStable);
    w.pop.child(second).alive = false;
    std::vector<std::uint32_t> seen;
    w.pop.for_each_living([&](std::uint32_t ci, Child&) { seen.push_back(ci); });
    CHECK(seen == std::vector<std::uint32_t>{first, third});
    CHECK(w.pop.living_by_area.at(0).size() == 2);
    const auto fourth = w.add(kStable);  // added after a scan: visited after the others
    seen.clear();
    w.pop.for_each_living([&](std::uint32_t ci, Child&) { seen.push_back(ci); });
    CHECK(seen == std::vector<std::uint32_t>{first, third, fourth});
}

TEST_CASE("a monthly caseload recount counts the living on each caseload, not the dead", "[unit][engine]") {
    HandBuilt w({team(ProviderType::Ccn, 10, 4)});  // day 10: a recount after day 0
    const int ccn = w.index_of(ProviderType::Ccn);
    w.add(kStable, kOnCcn);
    const auto gone = w.add(kUnstable, kOnCcn);
    w.add(kStable);  // on no caseload
    w.add(kDeteriorating, kOnCcn);
    w.pop.child(gone).alive = false;
    count_caseloads(w.in(), w.pop, w.prov);
    CHECK(w.prov.state[static_cast<std::size_t>(ccn)].caseload_now == 2);
    CHECK(w.pop.on_caseload.size() == 2);  // the dead child is dropped from the list
    count_caseloads(w.in(), w.pop, w.prov);
    CHECK(w.prov.state[static_cast<std::size_t>(ccn)].caseload_now == 2);
}
