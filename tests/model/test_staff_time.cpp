// Capacity from staff time (model/staff_time.cpp; docs/model.md "Capacity from staff time"):
// the formula by hand on the default region, rurality and distance cost visits, a measured figure
// in the providers table wins, and the engine's capacity follows the staff-time parameters.
#include "../engine/engine_test_support.hpp"

#include "model/staff_time.hpp"

using namespace engine_test;

namespace {

std::size_t provider_named(const Scenario& sc, const std::string& id) {
    for (std::size_t p = 0; p < sc.providers.size(); ++p)
        if (sc.providers[p].id == id) return p;
    FAIL("no provider " << id);
    return 0;
}

std::size_t area_named(const Scenario& sc, const std::string& code) {
    for (std::size_t a = 0; a < sc.areas.size(); ++a)
        if (sc.areas[a].code == code) return a;
    FAIL("no area " << code);
    return 0;
}

}  // namespace

TEST_CASE("staff time gives a CCN team's visits per WTE by hand", "[unit][model]") {
    const auto sc = load(yh("no-network.toml"));
    const auto P = ModelParams::from(sc.params);
    const auto leeds = provider_named(sc, "ccn-leeds");
    const double rural = sc.areas[area_named(sc, "E08000035")].rural_share;
    // A team inside one area: travel is the within-area time, urban 20 and rural 45 minutes mixed.
    const double travel = (1 - rural) * 20 + rural * 45;
    const double patient = 207.0 / 365.0 * 7.5 * 60 * 0.60;  // minutes per WTE per calendar day
    const StaffTime t = staff_time_capacity(sc, P, leeds);
    CHECK_FALSE(t.from_table);
    CHECK(t.travel_minutes_per_visit == Approx(travel).epsilon(1e-12));
    CHECK(t.patient_minutes_per_wte_day == Approx(patient).epsilon(1e-12));
    CHECK(t.minutes_per_contact == Approx(60 + travel).epsilon(1e-12));
    CHECK(t.contacts_per_wte_day == Approx(patient / (60 + travel)).epsilon(1e-12));
    // Evidence-capacity-costs.md §1.3: about 3.4 urban and 2.6 rural visits per working day.
    const double per_working_day = t.contacts_per_wte_day * 365 / 207;
    CHECK(per_working_day > 2.6);
    CHECK(per_working_day < 3.6);
}

TEST_CASE("staff time: rural areas and distant catchments cost visits", "[unit][model]") {
    const auto sc = load(yh("no-network.toml"));
    const auto P = ModelParams::from(sc.params);
    const auto leeds = staff_time_capacity(sc, P, provider_named(sc, "ccn-leeds"));
    const auto north = staff_time_capacity(sc, P, provider_named(sc, "ccn-north-yorkshire"));
    const auto east = staff_time_capacity(sc, P, provider_named(sc, "ccn-east-riding-of-yorkshire"));
    INFO("Leeds " << leeds.contacts_per_wte_day << ", North Yorkshire " << north.contacts_per_wte_day
                  << ", East Riding " << east.contacts_per_wte_day);
    CHECK(north.travel_minutes_per_visit > leeds.travel_minutes_per_visit + 5);
    CHECK(north.contacts_per_wte_day < 0.9 * leeds.contacts_per_wte_day);
    CHECK(east.contacts_per_wte_day < 0.95 * leeds.contacts_per_wte_day);
    // A regional SPPC team drives to the areas it serves beyond its own: its mean travel is more
    // than the within-area time of its home area, weighted by the children of each area.
    const auto sppc = provider_named(sc, "sppc-leeds");
    const auto t = staff_time_capacity(sc, P, sppc);
    double weight = 0, sum = 0;
    for (std::size_t a = 0; a < sc.areas.size(); ++a) {
        const auto& c = sc.providers[sppc].catchment;
        if (std::find(c.begin(), c.end(), sc.areas[a].code) == c.end()) continue;
        const double r = sc.areas[a].rural_share;
        const double local = (1 - r) * 20 + r * 45;
        const double drive = sc.areas[a].code == sc.providers[sppc].area ? 0.0 : sc.travel(a, sppc);
        weight += sc.areas[a].population_0_19;
        sum += sc.areas[a].population_0_19 * (local + drive);
    }
    CHECK(t.travel_minutes_per_visit == Approx(sum / weight).epsilon(1e-12));
    CHECK(t.travel_minutes_per_visit > leeds.travel_minutes_per_visit + 10);
    CHECK(t.minutes_per_contact == Approx(60 + 0.5 * t.travel_minutes_per_visit).epsilon(1e-12));
    // Hospices and hospitals have no staff-time contacts.
    CHECK(staff_time_capacity(sc, P, provider_named(sc, "martin-house")).contacts_per_wte_day == 0);
}

TEST_CASE("a measured figure in the providers table is used as given", "[unit][model]") {
    const auto sc = load(two_area());
    const auto P = ModelParams::from(sc.params);
    bool seen = false;
    for (std::size_t p = 0; p < sc.providers.size(); ++p) {
        const auto& spec = sc.providers[p];
        if (spec.type != ProviderType::Ccn && spec.type != ProviderType::Sppc) continue;
        REQUIRE(spec.contacts_per_wte_day);
        const auto t = staff_time_capacity(sc, P, p);
        CHECK(t.from_table);
        CHECK(t.contacts_per_wte_day == *spec.contacts_per_wte_day);
        seen = true;
    }
    CHECK(seen);
}

TEST_CASE("the engine's team capacity follows staff time", "[regression][model]") {
    // Halving the minutes a contact takes (travel included) doubles every team's contacts a day.
    const auto base = load(yh("no-network.toml"), short_run(2, 1));
    const auto fast =
        load(yh("no-network.toml"),
             short_run(2, 1, {"staff.contact_minutes=[30, 30]", "staff.local_travel_minutes=[10, 22.5]"}));
    const auto rb = run(base, 7, 1, 1);
    const auto rf = run(fast, 7, 1, 1);
    const auto P = ModelParams::from(base.params);
    for (std::size_t p = 0; p < base.providers.size(); ++p) {
        const auto type = base.providers[p].type;
        if (type != ProviderType::Ccn && type != ProviderType::Sppc) continue;
        INFO(base.providers[p].id);
        const double per_wte = staff_time_capacity(base, P, p).contacts_per_wte_day;
        // Year 0, before any rota: capacity = WTE x contacts per WTE-day x the same staffing draws.
        const double b = provider(rb[0], 0, static_cast<int>(p), ProviderVar::capacity_per_day);
        const double f = provider(rf[0], 0, static_cast<int>(p), ProviderVar::capacity_per_day);
        CHECK(b > 0);
        CHECK(b <= base.providers[p].staff_wte * per_wte * 1.2);
        if (type == ProviderType::Ccn) CHECK(f == Approx(2 * b).epsilon(1e-9));
    }
}
