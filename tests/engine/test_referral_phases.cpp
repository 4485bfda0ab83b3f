// Unit tests of identification and referral (referral.cpp) on hand-built states: referrals sent
// on identification, lost referrals, acceptance by the provider's own criteria or the network's
// common standards, and the start of care that follows an accepted referral (care.cpp).
#include "phase_test_support.hpp"

using namespace phase_test;

namespace {

/// A region with one provider of each service.
std::vector<Provider> all_services() {
    return {hospice(4), team(ProviderType::Sppc, 2, 2), team(ProviderType::Ccn, 2, 4)};
}

/// A child in `phase` not yet known, who needs every service for certain; referrals lost with `loss`.
std::uint32_t unknown_needing_all(HandBuilt& w, std::uint8_t phase, double loss) {
    w.P.referral.need_by_phase[phase] = {1, 1, 1};
    w.P.referral.loss_prob = loss;
    const auto ci = w.add(phase);
    w.pop.child(ci).identified = false;
    return ci;
}

}  // namespace

TEST_CASE("identification sends a referral to every service needed; none lost, all pending", "[unit][engine]") {
    HandBuilt w(all_services());
    const auto ci = unknown_needing_all(w, kUnstable, 0);

    identify(w.in(), w.pop, w.prov, w.rec, ci);

    const Child& c = w.pop.child(ci);
    CHECK(c.identified);
    CHECK(c.referral_pending == 0b111);
    CHECK(w.monthly(MonthlyVar::identified) == 1);
    CHECK(w.monthly(MonthlyVar::referrals) == 3);
    CHECK(w.monthly(MonthlyVar::referrals_lost) == 0);
    int arriving = 0;
    for (int d = w.day(); d < 365; ++d) arriving += w.events_on(d, ci, kReferralArrive);
    CHECK(arriving == 3);
}

TEST_CASE("identification whose every referral is lost leaves the child to be identified again", "[unit][engine]") {
    HandBuilt w(all_services());
    const auto ci = unknown_needing_all(w, kUnstable, 1);
    const auto token = w.pop.child(ci).ident_token;

    identify(w.in(), w.pop, w.prov, w.rec, ci);

    const Child& c = w.pop.child(ci);
    CHECK_FALSE(c.identified);
    CHECK(c.referral_pending == 0);
    CHECK(w.monthly(MonthlyVar::referrals_lost) == 3);
    CHECK(c.ident_token == token + 1);  // a new identification time was drawn
}

TEST_CASE("identification needing no service keeps the child known without referrals", "[unit][engine]") {
    HandBuilt w(all_services());
    w.P.referral.need_by_phase[kStable] = {0, 0, 0};
    const auto ci = w.add(kStable);
    w.pop.child(ci).identified = false;
    identify(w.in(), w.pop, w.prov, w.rec, ci);
    CHECK(w.pop.child(ci).identified);
    CHECK(w.monthly(MonthlyVar::referrals) == 0);
}

TEST_CASE("a referral is accepted or refused by the provider's criteria for the child's category", "[unit][engine]") {
    HandBuilt w(all_services());
    const auto sppc = static_cast<std::size_t>(w.index_of(ProviderType::Sppc));
    w.sc.providers[sppc].accept = {1, 1, 1, 0};  // category 4 refused
    const auto cat1 = w.add(kUnstable);
    const auto cat4 = w.add(kUnstable);
    w.pop.child(cat4).category = 3;
    for (const auto ci : {cat1, cat4}) w.pop.child(ci).referral_pending = 1u << kToSppc;

    CHECK(referral_arrives(w.in(), w.pop, w.prov, w.rec, cat1, kToSppc));
    CHECK_FALSE(referral_arrives(w.in(), w.pop, w.prov, w.rec, cat4, kToSppc));

    CHECK(w.pop.child(cat1).caseload == kOnSppc);
    CHECK(w.pop.child(cat1).first_sppc_pending);
    CHECK(w.pop.child(cat1).sppc_accepted_day == w.day());
    CHECK(w.pop.child(cat4).caseload == 0);
    for (const auto ci : {cat1, cat4}) CHECK(w.pop.child(ci).referral_pending == 0);
    CHECK(w.monthly(MonthlyVar::referrals_accepted) == 1);
    CHECK(w.monthly(MonthlyVar::referrals_refused) == 1);
}

TEST_CASE("under common standards a fully engaged provider applies the network's criteria", "[unit][engine]") {
    HandBuilt w(all_services());
    const auto sppc = static_cast<std::size_t>(w.index_of(ProviderType::Sppc));
    w.sc.providers[sppc].accept = {0, 0, 0, 0};
    w.P.referral.standard_acceptance = {1, 1, 1, 1};
    w.P.network.common_standards = true;
    const auto ci = w.add(kUnstable);
    w.prov.state[sppc].engagement = 0;
    CHECK_FALSE(referral_arrives(w.in(), w.pop, w.prov, w.rec, ci, kToSppc));
    w.prov.state[sppc].engagement = 1;
    CHECK(referral_arrives(w.in(), w.pop, w.prov, w.rec, ci, kToSppc));
}

TEST_CASE("a referral reaching a child who has died is dropped", "[unit][engine]") {
    HandBuilt w(all_services());
    const auto ci = w.add(kUnstable);
    w.pop.child(ci).alive = false;
    w.pop.child(ci).referral_pending = 1u << kToCcn;
    CHECK_FALSE(referral_arrives(w.in(), w.pop, w.prov, w.rec, ci, kToCcn));
    CHECK(w.pop.child(ci).referral_pending == 0);
    CHECK(w.monthly(MonthlyVar::referrals_accepted) + w.monthly(MonthlyVar::referrals_refused) == 0);
}

TEST_CASE("care starts after an accepted hospice referral: a first visit due today and short breaks",
          "[unit][engine]") {
    HandBuilt w(all_services());
    const auto hosp = static_cast<std::size_t>(w.index_of(ProviderType::Hospice));
    const auto ci = w.add(kStable, kOnHospice);

    start_care(w.in(), w.pop, w.prov, w.rec, ci, kToHospice);

    const Child& c = w.pop.child(ci);
    CHECK(c.visit_pending_since[kHospiceHomeVisit] == w.day());
    CHECK(w.prov.state[hosp].visit_queue == std::vector<std::uint32_t>{ci});
    // Need is counted when the visit or night is resolved (given or missed), not when requested.
    CHECK(w.monthly(MonthlyVar::hospice_home_visits_needed) == 0);
    REQUIRE(w.prov.state[hosp].beds.size() == 1);
    CHECK(w.prov.state[hosp].beds[0].kind == kRespite);
    CHECK(w.prov.state[hosp].beds[0].nights_left == static_cast<int>(w.P.care.respite_stay_nights));
    CHECK(w.monthly(MonthlyVar::respite_nights_needed) == 0);
}

TEST_CASE("short breaks fall due within the spread around the mean interval", "[unit][engine]") {
    HandBuilt w(all_services());
    const auto& care = w.P.care;
    const double mean = 365.0 * care.respite_stay_nights / care.respite_nights_per_year;
    for (int k = 0; k < 20; ++k) {
        const auto ci = w.add(kUnstable, kOnHospice);  // not stable: no request, only the next one due
        respite_due(w.in(), w.pop, w.prov, w.rec, ci);
        int due = -1;
        for (int d = w.day(); d < 365 && due < 0; ++d)
            if (w.events_on(d, ci, kRespiteDue) > 0) due = d;
        const int gap = due - w.day();
        CHECK(gap >= static_cast<int>(mean * (1.0 - care.respite_interval_spread)));
        CHECK(gap <= static_cast<int>(mean * (1.0 + care.respite_interval_spread)));
    }
    CHECK(w.prov.state[static_cast<std::size_t>(w.index_of(ProviderType::Hospice))].beds.empty());
}

TEST_CASE("care due while waiting for a caseload place counts as due and not given", "[unit][engine]") {
    HandBuilt w(all_services(), 200);
    w.P.care.ccn_interval = {30, 3, 3, 1};  // an unstable child is due a nursing visit every 3 days
    w.P.referral.waitlist_max_days = 90;
    const auto ccn = static_cast<std::size_t>(w.index_of(ProviderType::Ccn));
    auto& team = w.prov.state[ccn];
    auto arrive = [&](std::uint32_t ci, int waited) {
        w.pop.child(ci).referral_pending = 1u << kToCcn;
        return referral_arrives(w.in(), w.pop, w.prov, w.rec, ci, kToCcn,
                                waited > 0 ? static_cast<std::uint32_t>(w.day() - waited + 1) : 0u);
    };
    SECTION("a new referral taken at once has nothing missed") {
        team.caseload_limit = 10;
        const auto ci = w.add(kUnstable);
        CHECK(arrive(ci, 0));
        CHECK(w.pop.child(ci).year_due == 0);
    }
    SECTION("taken after 30 days on the waiting list: the 10 visits due meanwhile were not given") {
        team.caseload_limit = 10;
        const auto ci = w.add(kUnstable);
        CHECK(arrive(ci, 30));
        CHECK(w.pop.child(ci).year_due == 10);
        CHECK(w.pop.child(ci).year_given == 0);
    }
    SECTION("still waiting: nothing is counted until the referral is decided") {
        team.caseload_limit = 1;
        team.caseload_now = 1;
        const auto ci = w.add(kUnstable);
        CHECK_FALSE(arrive(ci, 30));
        CHECK(w.pop.child(ci).year_due == 0);
        CHECK(w.pop.child(ci).referral_pending == (1u << kToCcn));
    }
    SECTION("refused after the longest wait: the visits of the wait and the first one are missed") {
        team.caseload_limit = 1;
        team.caseload_now = 1;
        const auto ci = w.add(kUnstable);
        CHECK_FALSE(arrive(ci, 90));
        CHECK(w.pop.child(ci).year_due == 31);
        CHECK(w.monthly(MonthlyVar::referrals_lapsed_waiting) == 1);
    }
}
