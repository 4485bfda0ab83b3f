#include "model/staff_time.hpp"

#include <algorithm>

namespace cpcsim {

double visit_travel_minutes(const Scenario& sc, const StaffParams& staff, std::size_t area, std::size_t provider) {
    const Area& a = sc.areas[area];
    const double local =
        (1.0 - a.rural_share) * staff.local_travel_minutes[0] + a.rural_share * staff.local_travel_minutes[1];
    return local + (sc.providers[provider].area == a.code ? 0.0 : sc.travel(area, provider));
}

StaffTime staff_time_capacity(const Scenario& sc, const ModelParams& P, std::size_t provider) {
    const Provider& spec = sc.providers[provider];
    StaffTime out;
    if (spec.contacts_per_wte_day) {
        out.contacts_per_wte_day = *spec.contacts_per_wte_day;
        out.from_table = true;
    }
    if (spec.type != ProviderType::Sppc && spec.type != ProviderType::Ccn) return out;
    const auto& st = P.staff;
    const std::size_t t = spec.type == ProviderType::Sppc ? 0 : 1;
    double weight = 0, travel = 0;
    for (std::size_t a = 0; a < sc.areas.size(); ++a) {
        if (!catchment_holds(spec, sc.areas[a])) continue;
        weight += sc.areas[a].population_0_19;
        travel += sc.areas[a].population_0_19 * visit_travel_minutes(sc, st, a, provider);
    }
    out.travel_minutes_per_visit = weight > 0 ? travel / weight : 0.0;
    out.patient_minutes_per_wte_day = st.working_days[t] / 365.0 * st.hours_per_day * 60.0 * st.patient_time_share[t];
    out.minutes_per_contact = st.contact_minutes[t] + st.home_visit_share[t] * out.travel_minutes_per_visit;
    if (!out.from_table)
        out.contacts_per_wte_day =
            out.minutes_per_contact > 0 ? out.patient_minutes_per_wte_day / out.minutes_per_contact : 0.0;
    return out;
}

}  // namespace cpcsim
