// The day loop: a step is a fixed sequence of phases.
//   month start: funding -> capacity, engagement, 24/7 cover
//   year start:  annual tallies
//   entries -> due events (phase changes, identification, referrals, visits, admissions)
//   -> daily checks of unstable/deteriorating/dying children -> care allocation -> records
#include "engine/replicate.hpp"

#include "engine/state.hpp"

#include <algorithm>

namespace cpcsim {

namespace engine {
bool is_month_start(int day_in_year);

namespace {

void process_events(State& s) {
    // Events added for today while processing today are handled too (index loop, not iterators).
    auto& today = s.calendar[static_cast<std::size_t>(s.day)];
    for (std::size_t i = 0; i < today.size(); ++i) {
        const Event ev = today[i];
        Child& c = s.child(ev.child);
        if (!c.alive) continue;
        switch (ev.type) {
            case kPhaseEnd:
                if (ev.token == c.phase_token) end_phase(s, ev.child);
                break;
            case kIdentify:
                if (ev.token == c.ident_token) identify(s, ev.child);
                break;
            case kReferralArrive:
                referral_arrives(s, ev.child, static_cast<Target>(ev.arg));
                break;
            case kVisitDue:
                if (ev.token == c.visit_token[ev.arg]) visit_due(s, ev.child, static_cast<Visit>(ev.arg));
                break;
            case kRespiteDue:
                if (ev.token == c.respite_token) respite_due(s, ev.child);
                break;
            case kStableAdmission:
                if (ev.token == c.admission_token && c.phase == kStable) {
                    if (c.place == kHome) admit(s, ev.child);
                    if (s.child(ev.child).place != kHospital) schedule_stable_admission(s, ev.child);
                }
                break;
            case kDischarge:
                discharge(s, ev.child);
                break;
        }
    }
    std::vector<Event>().swap(today);  // free the day's memory
}

/// Counts the children alive at the end of the month whose last day is `last_day`.
void record_end_of_month(State& s, int last_day) {
    if (last_day < s.warmup_days) return;
    for (std::size_t cl = 0; cl < s.alive_by_cell.size(); ++cl)
        s.out.m(s.report_month(), cl, MonthlyVar::prevalent) = s.alive_by_cell[cl];
}

}  // namespace
}  // namespace engine

RunOutputs simulate_replicate(const Scenario& scenario, const ModelParams& params, std::uint64_t seed,
                              std::uint32_t replicate) {
    using namespace engine;
    State s(scenario, params, RandomKey(seed, replicate));
    s.warmup_days = params.run.warmup_years * 365;
    s.end_day = s.warmup_days + params.run.years * 365;
    s.out.resize(params.run.years, static_cast<int>(scenario.areas.size()),
                 static_cast<int>(scenario.providers.size()));
    s.calendar.resize(static_cast<std::size_t>(s.end_day) + 1);
    setup_providers(s);
    s.alive_by_cell.assign(s.out.cells, 0);
    s.children_by_area.assign(scenario.areas.size(), {});
    s.day = 0;
    s.month_index = 0;
    monthly_update(s);
    seed_population(s);
    for (s.day = 0; s.day < s.end_day; ++s.day) {
        const int day_in_year = s.day % 365;
        if (is_month_start(day_in_year) && s.day > 0) {  // day 0's update ran before the population was seeded
            record_end_of_month(s, s.day - 1);           // month_index still names the month that ended
            s.month_index = s.reporting() ? s.compute_report_month() : 0;
            monthly_update(s);
        }
        if (day_in_year == 0 && s.day >= s.warmup_days) year_start(s);
        if (day_in_year == 0 && s.day > 0 && s.P.network.any()) redraw_identification(s);
        enter_new_children(s);
        process_events(s);
        daily_active(s);
        give_care(s);
    }
    // Close the last month and year.
    --s.day;
    record_end_of_month(s, s.day);  // month_index still names the last month
    const int last = s.out.years - 1;
    s.out.children_simulated = s.child_count();
    s.for_each_child([&](std::uint32_t, Child& c) {
        if (c.alive) tally_year(s, c, last, false);
        const int from = std::max(c.entry_day, 0);
        const int to = c.alive ? s.end_day : c.phase_end;
        if (to > from) s.out.child_days += to - from;
    });
    return std::move(s.out);
}

}  // namespace cpcsim
