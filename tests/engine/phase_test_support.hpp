// A small replicate state built by hand for the unit tests of single engine phases: a one-area
// region with the providers a test names, default parameters the test may change, and children
// added one by one. Every phase is then called directly and its exact effects asserted.
#pragma once

#include "engine/state.hpp"
#include "model/parameter_table.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace phase_test {

using namespace cpcsim;
using namespace cpcsim::engine;

inline Provider provider(ProviderType type, std::string id) {
    Provider p;
    p.id = std::move(id);
    p.name = p.id;
    p.type = type;
    p.area = "A1";
    p.catchment = {"*"};
    p.statutory_income_gbp = 100;
    p.charitable_income_gbp = 100;
    return p;
}
/// A hospice with `beds` general beds and `eol_beds` beds kept for end-of-life care.
inline Provider hospice(double beds, double eol_beds = 0) {
    Provider p = provider(ProviderType::Hospice, "hospice");
    p.beds = beds;
    p.eol_beds = eol_beds;
    p.staff_wte = 20;
    return p;
}
/// An SPPC or CCN team giving `wte` x `per_wte_day` contacts or visits a day at baseline.
inline Provider team(ProviderType type, double wte, double per_wte_day) {
    Provider p = provider(type, type == ProviderType::Sppc ? "sppc" : "ccn");
    p.staff_wte = wte;
    p.contacts_per_wte_day = per_wte_day;
    return p;
}

/// One area, the given providers, default parameters; today is `day` of a one-year run without
/// warm-up, so everything counted lands in report month 0 and report year 0.
struct HandBuilt {
    Scenario sc;
    ModelParams P;
    Population pop;
    Providers prov;
    Recorder rec;
    Handoffs h;

    explicit HandBuilt(std::vector<Provider> providers, int day = 10) {
        Area a;
        a.code = "A1";
        a.name = "Area 1";
        a.population_0_19 = 100000;
        a.quintile_share = {0.2, 0.2, 0.2, 0.2, 0.2};
        a.ethnic_share = {1, 0, 0, 0};
        sc.areas = {a};
        sc.providers = std::move(providers);
        sc.travel_minutes.assign(sc.providers.size(), 10.0);
        sc.params = ParamSet(model_parameters());  // every parameter at its declared default
        P = ModelParams::from(sc.params);
        pop.clock.warmup_days = 0;
        pop.clock.end_day = 365;
        pop.clock.day = day;
        pop.calendar.resize(366);
        pop.children_by_area.assign(1, {});
        rec.out.resize(1, 1, static_cast<int>(sc.providers.size()));
        rec.clock = &pop.clock;
        pop.alive_by_cell.assign(rec.out.cells, 0);
        setup_providers(in(), prov);
    }
    HandBuilt(const HandBuilt&) = delete;
    HandBuilt& operator=(const HandBuilt&) = delete;

    /// Inputs over the current scenario and parameters (tests may change P first).
    [[nodiscard]] Inputs in() const { return Inputs{sc, P, RandomKey(20261201, 0)}; }
    [[nodiscard]] int day() const { return pop.day(); }
    /// Index of the first provider of a type.
    [[nodiscard]] int index_of(ProviderType t) const {
        return prov.providers_by_type[static_cast<std::size_t>(t)].at(0);
    }

    /// Adds a living child (area 1, least deprived, White, urban, aged 5) in `phase` and returns its index.
    std::uint32_t add(std::uint8_t phase, std::uint8_t caseload = 0) {
        Child c;
        c.id = pop.next_id++;
        c.cell = static_cast<std::uint32_t>(cell_index(0, 0, 0, 0));
        c.phase = phase;
        c.caseload = caseload;
        c.home = prov.area_home[0];
        c.birth_day = day() - 5 * 365;
        c.entry_day = day() - 365;
        c.phase_end = 300;
        c.identified = true;
        ++pop.alive_by_cell[c.cell];
        return pop.add_child(c);
    }
    /// Adds a hospice bed request for child `ci`, as request_bed would.
    void request(std::uint32_t ci, BedKind kind, std::uint8_t priority, int since, int nights) {
        Child& c = pop.child(ci);
        c.bed_requested = true;
        const int hosp = index_of(ProviderType::Hospice);
        prov.state[static_cast<std::size_t>(hosp)].beds.push_back(
            BedRequest{ci, c.id, since, static_cast<std::int16_t>(nights), kind, priority, false,
                       static_cast<std::int16_t>(hosp)});
    }
    /// Count of a monthly counter in report month 0, summed over cells.
    [[nodiscard]] std::int64_t monthly(MonthlyVar v) const { return rec.out.monthly_total(0, 1, v); }
    [[nodiscard]] std::int64_t annual(AnnualVar v) const { return rec.out.annual_total(0, v); }
    /// Events of a type scheduled for child `ci` on day `d`.
    [[nodiscard]] int events_on(int d, std::uint32_t ci, EventType type) const {
        const auto& list = pop.calendar[static_cast<std::size_t>(d)];
        return static_cast<int>(
            std::count_if(list.begin(), list.end(), [&](const Event& e) { return e.child == ci && e.type == type; }));
    }
};

}  // namespace phase_test
