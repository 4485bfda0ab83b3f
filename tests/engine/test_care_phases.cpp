// Unit tests of the care phases (care.cpp) on hand-built states: hospice beds by priority, waiting
// time and id; visits rationed to a team's capacity; fractional capacity carried over; admissions;
// the daily admission checks; the choice of place at the start of the dying phase.
#include "phase_test_support.hpp"

using namespace phase_test;

TEST_CASE("hospice beds: end-of-life beds to the dying, then general beds by priority, waiting time, id",
          "[unit][engine]") {
    HandBuilt w({hospice(2, 1)});
    const auto hosp = static_cast<std::size_t>(w.index_of(ProviderType::Hospice));
    const auto dying = w.add(kDying, kOnHospice);
    const auto symptom = w.add(kUnstable, kOnHospice);
    const auto late = w.add(kStable, kOnHospice);    // respite, asked on day 5
    const auto early = w.add(kStable, kOnHospice);   // respite, asked on day 2
    const auto early2 = w.add(kStable, kOnHospice);  // respite, asked on day 2, larger id
    w.request(dying, kEndOfLife, 3, 9, 10000);
    w.request(late, kRespite, 0, 5, 3);
    w.request(early2, kRespite, 0, 2, 3);
    w.request(symptom, kSymptom, 1, 9, 4);
    w.request(early, kRespite, 0, 2, 3);
    w.prov.state[hosp].capacity = 2;
    w.P.care.hospice_one_to_one_units = 1;  // the order only (staffing ratios: the next test)

    give_care(w.in(), w.pop, w.prov, w.rec);

    CHECK(w.pop.child(dying).place == kHospice);    // the end-of-life bed
    CHECK(w.pop.child(symptom).place == kHospice);  // priority 1 before respite
    CHECK(w.pop.child(early).place == kHospice);    // waited longest, smaller id
    CHECK(w.pop.child(early2).place == kHome);
    CHECK(w.pop.child(late).place == kHome);
    CHECK(w.monthly(MonthlyVar::eol_hospice_nights_needed) == 1);
    CHECK(w.monthly(MonthlyVar::eol_hospice_nights_received) == 1);
    CHECK(w.monthly(MonthlyVar::symptom_nights_received) == 1);
    CHECK(w.monthly(MonthlyVar::respite_nights_received) == 1);
    CHECK(w.rec.out.p(0, static_cast<int>(hosp), ProviderVar::units_given) == 3);
    // Nobody waiting has waited past the limit: every request still stands.
    CHECK(w.prov.state[hosp].beds.size() == 5);
}

TEST_CASE("hospice beds: a one-to-one child takes the staff of several short-break beds", "[unit][engine]") {
    // Three staffed beds (at the short-break ratio), no end-of-life beds: a dying child and a child
    // in a symptom stay need one-to-one care, two stable children a short break.
    auto run = [](double one_to_one) {
        HandBuilt w({hospice(3, 0)});
        const auto hosp = static_cast<std::size_t>(w.index_of(ProviderType::Hospice));
        const auto dying = w.add(kDying, kOnHospice);
        const auto symptom = w.add(kUnstable, kOnHospice);
        const auto first = w.add(kStable, kOnHospice);
        const auto second = w.add(kStable, kOnHospice);
        w.request(dying, kEndOfLife, 3, 9, 10000);
        w.request(symptom, kSymptom, 1, 9, 4);
        w.request(first, kRespite, 0, 2, 3);
        w.request(second, kRespite, 0, 3, 3);
        w.prov.state[hosp].capacity = 3;
        w.P.care.hospice_one_to_one_units = one_to_one;
        give_care(w.in(), w.pop, w.prov, w.rec);
        std::vector<int> where;
        for (auto c : {dying, symptom, first, second}) where.push_back(w.pop.child(c).place == kHospice ? 1 : 0);
        where.push_back(static_cast<int>(w.rec.out.p(0, static_cast<int>(hosp), ProviderVar::units_given)));
        return where;
    };
    // One bed each: three children by priority.
    CHECK(run(1) == std::vector<int>{1, 1, 1, 0, 3});
    // 1:1 against 1:2: the dying child takes two beds' staff; the symptom stay no longer fits, but
    // the staff left over still give the longest-waiting short break (a lower priority that fits).
    CHECK(run(2) == std::vector<int>{1, 0, 1, 0, 2});
    // 1.5: dying 1.5 + symptom 1.5 fill the three beds' staff; nobody else.
    CHECK(run(1.5) == std::vector<int>{1, 1, 0, 0, 2});
}

TEST_CASE("hospice beds: a closed hospice gives none, and a short break not started in time lapses", "[unit][engine]") {
    HandBuilt w({hospice(2, 1)});
    const auto hosp = static_cast<std::size_t>(w.index_of(ProviderType::Hospice));
    const auto waited = w.add(kStable, kOnHospice);
    const auto fresh = w.add(kStable, kOnHospice);
    const int limit = static_cast<int>(w.P.care.respite_max_wait_days);
    w.request(waited, kRespite, 0, w.day() - limit, 3);
    w.request(fresh, kRespite, 0, w.day(), 3);
    w.prov.state[hosp].capacity = 2;
    w.prov.state[hosp].closed = true;

    give_care(w.in(), w.pop, w.prov, w.rec);

    CHECK(w.pop.child(waited).place == kHome);
    CHECK(w.pop.child(fresh).place == kHome);
    CHECK(w.monthly(MonthlyVar::respite_nights_received) == 0);
    CHECK(w.monthly(MonthlyVar::unmet_nights_respite) == 3);  // the lapsed stay's nights
    CHECK_FALSE(w.pop.child(waited).bed_requested);
    REQUIRE(w.prov.state[hosp].beds.size() == 1);
    CHECK(w.prov.state[hosp].beds[0].child == fresh);
}

TEST_CASE("visits: a team's capacity goes to the most severe phases first, the rest wait", "[unit][engine]") {
    HandBuilt w({team(ProviderType::Ccn, 1, 2)});
    const auto ccn = static_cast<std::size_t>(w.index_of(ProviderType::Ccn));
    const int today = w.day();
    struct Due {
        std::uint8_t phase;
        int since;
    };
    std::vector<std::uint32_t> kids;
    for (const Due d : {Due{kStable, today}, Due{kDying, today}, Due{kDeteriorating, today}, Due{kStable, today - 7}}) {
        const auto ci = w.add(d.phase, kOnCcn);
        w.pop.child(ci).visit_pending_since[kCcnVisit] = d.since;
        w.prov.state[ccn].visit_queue.push_back(ci);
        kids.push_back(ci);
    }
    w.prov.state[ccn].capacity = 2;

    give_care(w.in(), w.pop, w.prov, w.rec);

    const auto& stable_new = w.pop.child(kids[0]);
    const auto& dying = w.pop.child(kids[1]);
    const auto& deteriorating = w.pop.child(kids[2]);
    const auto& stable_old = w.pop.child(kids[3]);
    CHECK(w.monthly(MonthlyVar::ccn_visits_received) == 2);
    CHECK(dying.visit_pending_since[kCcnVisit] == -1);
    CHECK(deteriorating.visit_pending_since[kCcnVisit] == -1);
    // The next visits fall due after the phase's interval.
    CHECK(dying.next_visit_due[kCcnVisit] == today + static_cast<int>(w.P.care.ccn_interval[kDying]));
    CHECK(deteriorating.next_visit_due[kCcnVisit] == today + static_cast<int>(w.P.care.ccn_interval[kDeteriorating]));
    // Both stable children wait (within the longest wait), each a day of unmet need.
    CHECK(w.monthly(MonthlyVar::unmet_days_ccn) == 2);
    CHECK(stable_new.visit_pending_since[kCcnVisit] == today);
    CHECK(stable_old.visit_pending_since[kCcnVisit] == today - 7);
    CHECK(stable_new.last_unmet_day == today);
    auto queue = w.prov.state[ccn].visit_queue;
    std::sort(queue.begin(), queue.end());
    CHECK(queue == std::vector<std::uint32_t>{kids[0], kids[3]});
}

TEST_CASE("visits: fractional daily capacity is carried to the next day", "[unit][engine]") {
    HandBuilt w({team(ProviderType::Sppc, 1, 1.5)});
    auto& ps = w.prov.state[static_cast<std::size_t>(w.index_of(ProviderType::Sppc))];
    ps.capacity = 1.5;
    give_care(w.in(), w.pop, w.prov, w.rec);
    CHECK(ps.units_today == 1);
    give_care(w.in(), w.pop, w.prov, w.rec);
    CHECK(ps.units_today == 2);
    give_care(w.in(), w.pop, w.prov, w.rec);
    CHECK(ps.units_today == 1);
}

TEST_CASE("admission: the child goes to hospital for its drawn stay and may be identified there", "[unit][engine]") {
    HandBuilt w({hospice(1)});
    w.P.admission.picu_prob = {1, 1, 1, 1};
    w.P.identification.at_admission_prob = 1;
    const auto known = w.add(kUnstable);
    const auto unknown = w.add(kUnstable);
    w.pop.child(unknown).identified = false;

    admit(w.in(), w.pop, w.rec, w.h, known);
    admit(w.in(), w.pop, w.rec, w.h, unknown);

    for (const auto ci : {known, unknown}) {
        const Child& c = w.pop.child(ci);
        CHECK(c.place == kHospital);
        REQUIRE(c.discharge_day > w.day());
        CHECK(w.events_on(c.discharge_day, ci, kDischarge) == 1);
    }
    const int los = (w.pop.child(known).discharge_day - w.day()) + (w.pop.child(unknown).discharge_day - w.day());
    CHECK(w.monthly(MonthlyVar::unplanned_admissions) == 2);
    CHECK(w.monthly(MonthlyVar::bed_days) == los);
    CHECK(w.monthly(MonthlyVar::picu_days) == los);
    // Only the child not yet known is handed to referral, to be identified.
    REQUIRE(w.h.size() == 1);
    CHECK(w.h[0].kind == Handoff::kIdentify);
    CHECK(w.h[0].child == unknown);
}

TEST_CASE("admission: a dying child stays in hospital; without the chance, nobody is identified", "[unit][engine]") {
    HandBuilt w({hospice(1)});
    w.P.identification.at_admission_prob = 0;
    const auto ci = w.add(kDying);
    w.pop.child(ci).identified = false;
    admit(w.in(), w.pop, w.rec, w.h, ci);
    CHECK(w.pop.child(ci).place == kHospital);
    CHECK(w.pop.child(ci).discharge_day == -1);
    CHECK(w.h.empty());
}

TEST_CASE("daily checks: certain admissions are returned in order, stable children leave the list", "[unit][engine]") {
    HandBuilt w({hospice(1)});
    w.P.admission.rate_per_year = {0, 1e9, 0, 1e9};  // unstable and dying: certain; deteriorating: never
    const auto unstable = w.add(kUnstable);
    const auto deteriorating = w.add(kDeteriorating);
    const auto calmed = w.add(kStable);  // was listed while unstable
    const auto dying = w.add(kDying);
    for (const auto ci : {unstable, deteriorating, calmed, dying}) {
        w.pop.child(ci).active_listed = true;
        w.pop.active.push_back(ci);
    }

    const auto admissions = daily_checks(w.in(), w.pop, w.prov, w.rec);

    CHECK(admissions == std::vector<std::uint32_t>{unstable, dying});
    CHECK(w.pop.active == std::vector<std::uint32_t>{unstable, deteriorating, dying});
    CHECK_FALSE(w.pop.child(calmed).active_listed);
    // The checks only decide: the admissions themselves are the step's next phase.
    CHECK(w.pop.child(unstable).place == kHome);
}

namespace {
/// Adds a dying inpatient whose family prefers home, listed for the daily checks.
std::uint32_t dying_inpatient(HandBuilt& w, std::uint8_t caseload, bool recognised, bool acp = true) {
    const auto ci = w.add(kDying, caseload);
    Child& c = w.pop.child(ci);
    c.place = kHospital;
    c.acp = acp;
    c.preferred = kHome;
    c.eol_recognised = recognised;
    c.active_listed = true;
    w.pop.active.push_back(ci);
    return ci;
}
}  // namespace

TEST_CASE("daily checks: a dying child on a ward with an SPPC team and a plan for home goes home under 24/7 cover",
          "[unit][engine]") {
    HandBuilt w({hospice(1)});
    w.P.eol.rapid_transfer_prob = 1;
    const auto covered = dying_inpatient(w, kOnSppc, true);
    const auto no_team = dying_inpatient(w, 0, true);  // no SPPC team serves the area: nobody can bring them home
    const auto unseen = dying_inpatient(w, kOnSppc, false);
    w.prov.area_cover[0] = 0;
    daily_checks(w.in(), w.pop, w.prov, w.rec);
    CHECK(w.pop.child(covered).place == kHospital);  // no cover: stays
    CHECK(w.pop.child(covered).eol_hospital_assessed);
    w.prov.area_cover[0] = 1;
    daily_checks(w.in(), w.pop, w.prov, w.rec);
    CHECK(w.pop.child(covered).place == kHome);
    CHECK(w.pop.child(no_team).place == kHospital);
    CHECK(w.pop.child(unseen).place == kHospital);  // dying not recognised: nothing is done
    CHECK_FALSE(w.pop.child(unseen).eol_hospital_assessed);
}

TEST_CASE("daily checks: intensive care decides a transfer home once", "[unit][engine]") {
    HandBuilt w({hospice(1)});
    w.P.eol.picu_transfer_prob = 0;
    w.P.eol.rapid_transfer_prob = 1;
    w.prov.area_cover[0] = 1;
    const auto ci = dying_inpatient(w, kOnSppc, true);
    w.pop.child(ci).in_picu = true;
    for (int k = 0; k < 3; ++k) daily_checks(w.in(), w.pop, w.prov, w.rec);
    CHECK(w.pop.child(ci).place == kHospital);  // the ward's daily transfer does not apply
}

TEST_CASE("daily checks: in intensive care a withdrawal decision recognises dying", "[unit][engine]") {
    HandBuilt w({hospice(1)});
    w.P.eol.inpatient_acp_prob = 1;
    const auto ward = dying_inpatient(w, kOnSppc, false, false);
    const auto picu = dying_inpatient(w, kOnSppc, false, false);
    w.pop.child(picu).in_picu = true;
    w.P.eol.picu_withdrawal_prob = 0;
    daily_checks(w.in(), w.pop, w.prov, w.rec);
    CHECK_FALSE(w.pop.child(picu).eol_hospital_assessed);
    w.P.eol.picu_withdrawal_prob = 1;
    daily_checks(w.in(), w.pop, w.prov, w.rec);
    CHECK(w.pop.child(picu).eol_hospital_assessed);
    CHECK(w.pop.child(picu).acp);
    CHECK_FALSE(w.pop.child(ward).eol_hospital_assessed);  // on a ward, unrecognised dying stays unrecognised
}

TEST_CASE("daily checks: an SPPC team seeing a dying inpatient makes a plan", "[unit][engine]") {
    HandBuilt w({hospice(1)});
    w.P.eol.inpatient_acp_prob = 1;
    const auto ci = dying_inpatient(w, kOnSppc, true, false);
    daily_checks(w.in(), w.pop, w.prov, w.rec);
    CHECK(w.pop.child(ci).acp);
    CHECK(w.monthly(MonthlyVar::acp_completed) == 1);
}

TEST_CASE("daily checks: an SPPC assessment of a dying inpatient is a contact from the team's day", "[unit][engine]") {
    HandBuilt w({hospice(1), team(ProviderType::Sppc, 2, 2)});  // 4 contacts a day
    const auto sppc = static_cast<std::size_t>(w.index_of(ProviderType::Sppc));
    w.prov.state[sppc].capacity = 4;
    w.P.eol.inpatient_acp_prob = 0;
    const auto ci = dying_inpatient(w, kOnSppc, true, false);
    daily_checks(w.in(), w.pop, w.prov, w.rec);
    CHECK(w.monthly(MonthlyVar::sppc_contacts_received) == 1);
    CHECK(w.monthly(MonthlyVar::sppc_contacts_needed) == 1);
    CHECK((w.pop.child(ci).year_flags & kReached) != 0);
    CHECK(w.rec.out.p(0, static_cast<int>(sppc), ProviderVar::units_given) == 1);
    give_care(w.in(), w.pop, w.prov, w.rec);
    CHECK(w.prov.state[sppc].units_today == 3);  // one of the day's four went to the ward
    CHECK(w.prov.state[sppc].inpatient_contacts == 0);
    // The assessment is made once: a second day takes nothing more.
    daily_checks(w.in(), w.pop, w.prov, w.rec);
    give_care(w.in(), w.pop, w.prov, w.rec);
    CHECK(w.prov.state[sppc].units_today == 4);
    CHECK(w.monthly(MonthlyVar::sppc_contacts_received) == 1);
}

TEST_CASE("daily checks: an SPPC consult makes an unknown dying inpatient known, if the team has staff",
          "[unit][engine]") {
    HandBuilt w({hospice(1), team(ProviderType::Sppc, 2, 2)});
    const auto sppc = static_cast<std::size_t>(w.index_of(ProviderType::Sppc));
    w.P.eol.inpatient_sppc_consult_prob = 1;
    w.P.eol.inpatient_acp_prob = 1;
    SECTION("a staffed team: seen, known, a contact and a plan") {
        w.prov.state[sppc].capacity = 4;
        const auto ci = dying_inpatient(w, 0, true, false);
        w.pop.child(ci).identified = false;
        daily_checks(w.in(), w.pop, w.prov, w.rec);
        const Child& c = w.pop.child(ci);
        CHECK(c.eol_sppc);
        CHECK(c.identified);
        CHECK((c.year_flags & kKnown) != 0);
        CHECK((c.year_flags & kReached) != 0);
        CHECK(w.monthly(MonthlyVar::identified) == 1);
        CHECK(w.monthly(MonthlyVar::sppc_contacts_received) == 1);
        CHECK(c.acp);
        CHECK(w.h.empty());  // no referrals follow
    }
    SECTION("a team without staff this month sees nobody") {
        w.prov.state[sppc].capacity = 0;
        const auto ci = dying_inpatient(w, 0, true, false);
        w.pop.child(ci).identified = false;
        daily_checks(w.in(), w.pop, w.prov, w.rec);
        const Child& c = w.pop.child(ci);
        CHECK_FALSE(c.eol_sppc);
        CHECK_FALSE(c.identified);
        CHECK_FALSE(c.acp);
        CHECK(w.monthly(MonthlyVar::identified) == 0);
        CHECK(w.monthly(MonthlyVar::sppc_contacts_received) == 0);
    }
}

TEST_CASE("end of life: the place follows the preference, identification, the plan and the neonatal period",
          "[unit][engine]") {
    HandBuilt w({hospice(2), team(ProviderType::Sppc, 1, 2), team(ProviderType::Ccn, 1, 2)});
    const auto hosp = static_cast<std::size_t>(w.index_of(ProviderType::Hospice));
    auto dying_now = [&](std::uint32_t ci) {
        w.pop.child(ci).phase = kDying;
        on_phase_change_care(w.in(), w.pop, w.prov, w.rec, w.h, ci);
    };
    w.P.eol.recognition_prob = {1, 1, 1, 1};
    w.P.eol.achievement_prob = {1, 1};
    /// A known child on the hospice caseload, with a plan, whose family prefers `place` for certain.
    auto planned = [&](std::uint8_t place) {
        w.P.eol.preference = {0, 0, 0};
        w.P.eol.preference[place] = 1;
        const auto ci = w.add(kDeteriorating, kOnHospice);
        w.pop.child(ci).acp = true;
        return ci;
    };
    SECTION("a known child with a plan and a hospice preference asks for an end-of-life bed") {
        const auto ci = planned(kHospice);
        dying_now(ci);
        CHECK(w.pop.child(ci).preferred == kHospice);
        CHECK(w.pop.child(ci).place == kHome);
        REQUIRE(w.prov.state[hosp].beds.size() == 1);
        CHECK(w.prov.state[hosp].beds[0].kind == kEndOfLife);
        CHECK(w.prov.state[hosp].beds[0].priority == 3);
        CHECK(w.h.empty());
    }
    SECTION("a short break under way becomes end-of-life care") {
        const auto ci = planned(kHospice);
        w.request(ci, kRespite, 0, w.day() - 1, 3);
        dying_now(ci);
        REQUIRE(w.prov.state[hosp].beds.size() == 1);
        CHECK(w.prov.state[hosp].beds[0].kind == kEndOfLife);
        CHECK(w.prov.state[hosp].beds[0].nights_left == 10000);
    }
    SECTION("a known child with a plan and a home preference stays home, without a bed") {
        const auto ci = planned(kHome);
        dying_now(ci);
        CHECK(w.pop.child(ci).preferred == kHome);
        CHECK(w.pop.child(ci).place == kHome);
        CHECK(w.prov.state[hosp].beds.empty());
    }
    SECTION("a known child with a plan and a hospital preference is admitted") {
        const auto ci = planned(kHospital);
        dying_now(ci);
        CHECK(w.pop.child(ci).place == kHospital);
        CHECK(w.monthly(MonthlyVar::unplanned_admissions) == 1);
    }
    SECTION("without a plan the child's place is drawn: certain hospital, or certain not") {
        w.P.eol.preference = {1, 0, 0};
        w.P.eol.served_no_acp_hospital_prob = 1;
        const auto no_plan = w.add(kDeteriorating, kOnHospice);
        dying_now(no_plan);
        CHECK(w.pop.child(no_plan).place == kHospital);
        w.P.eol.served_no_acp_hospital_prob = 0;
        const auto other = w.add(kDeteriorating, kOnHospice);
        dying_now(other);
        CHECK(w.pop.child(other).place == kHome);
    }
    SECTION("being known without a service, or dying unrecognised, changes nothing") {
        w.P.eol.unidentified_hospital_prob = 1;
        w.P.eol.served_no_acp_hospital_prob = 0;
        const auto known = w.add(kDeteriorating);  // identified, on no caseload
        dying_now(known);
        CHECK(w.pop.child(known).place == kHospital);
        w.P.eol.recognition_prob = {0, 0, 0, 0};
        const auto unrecognised = planned(kHome);
        dying_now(unrecognised);
        CHECK(w.pop.child(unrecognised).place == kHospital);
    }
    SECTION("with a plan for home, achievement depends on 24/7 cover") {
        w.P.eol.achievement_prob = {1, 0};
        w.prov.area_cover[0] = 0;
        const auto uncovered = planned(kHome);
        dying_now(uncovered);
        CHECK(w.pop.child(uncovered).place == kHospital);
        w.prov.area_cover[0] = 1;
        const auto covered = planned(kHome);
        dying_now(covered);
        CHECK(w.pop.child(covered).place == kHome);
    }
    SECTION("an unknown child is in hospital as often as unidentified_hospital_prob says") {
        w.P.eol.unidentified_hospital_prob = 1;
        w.P.identification.at_admission_prob = 1;
        const auto ci = w.add(kDeteriorating);
        w.pop.child(ci).identified = false;
        dying_now(ci);
        CHECK(w.pop.child(ci).place == kHospital);
        REQUIRE(w.h.size() == 1);  // the admission may identify the child: handed to referral
        CHECK(w.h[0].kind == Handoff::kIdentify);
    }
    SECTION("a neonate dies in hospital as often as neonatal_hospital_prob says, even with a plan for home") {
        w.P.eol.preference = {1, 0, 0};
        w.P.eol.neonatal_hospital_prob = 1;
        const auto ci = w.add(kDeteriorating);
        w.pop.child(ci).acp = true;
        w.pop.child(ci).birth_day = w.day() - static_cast<int>(w.P.eol.neonatal_days) + 1;
        dying_now(ci);
        CHECK(w.pop.child(ci).place == kHospital);
    }
}
