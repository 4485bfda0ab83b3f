// Capacity from staff time (issue 10 item 1; docs/model.md, "Capacity from staff time"): an SPPC
// or CCN team's contacts per WTE per calendar day from working days, hours, the share of working
// time that is patient time, the length of a contact and the travel to the children it serves.
#pragma once

#include "model/model_params.hpp"
#include "scenario/scenario.hpp"

#include <cstddef>

namespace cpcsim {

/// How one team's staff time becomes contacts.
struct StaffTime {
    double patient_minutes_per_wte_day = 0;  ///< contact + travel time per WTE per calendar day
    double travel_minutes_per_visit = 0;     ///< one-way travel per home visit, mean over the areas served
    double minutes_per_contact = 0;          ///< contact time + home-visit share x travel
    double contacts_per_wte_day = 0;         ///< what the engine uses (the table's figure if it gives one)
    bool from_table = false;                 ///< the providers table gave a measured figure
};

/// Travel minutes from team `provider` for one home visit in `area`: the time to move between
/// children within the area (urban and rural minutes mixed by the area's rural share) plus, for
/// an area other than the one the team stands in, the drive from its base (a round trip shared
/// by two chained visits, i.e. the one-way time).
[[nodiscard]] double visit_travel_minutes(const Scenario& sc, const StaffParams& staff, std::size_t area,
                                          std::size_t provider);

/// The staff-time capacity of provider `provider` (an SPPC or CCN team; other types give zeros
/// unless the table names a figure). Travel is the mean over the areas of its catchment weighted
/// by their children aged 0-19.
[[nodiscard]] StaffTime staff_time_capacity(const Scenario& sc, const ModelParams& P, std::size_t provider);

}  // namespace cpcsim
