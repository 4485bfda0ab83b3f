// The day loop: a step is a fixed, visible sequence of phases over three parts of the state
// (the population and its calendar, the providers, the recorder of outputs):
//   month start: close the month -> funding, staff, capacity, engagement, 24/7 cover
//   year start:  annual tallies -> identification times redrawn (network engagement changed)
//   entries -> due events (phase changes, identification, referrals, visits, admissions)
//   -> daily checks of unstable/deteriorating/dying children -> admissions -> care allocation
// Phases hand work to one another through Handoffs, taken in order right after the phase that
// raised them, so care and referral never call each other.
#include "engine/replicate.hpp"

#include "engine/records.hpp"
#include "engine/state.hpp"

#include <algorithm>
#include <optional>

namespace cpcsim {

namespace engine {
namespace {

/// Takes the handoffs raised so far, first in, first out.
void take_handoffs(const Inputs& in, Population& pop, const Providers& prov, Recorder& rec, Handoffs& h) {
    for (std::size_t i = 0; i < h.size(); ++i) {
        const Handoff x = h[i];
        switch (x.kind) {
            case Handoff::kIdentify:
                identify(in, pop, prov, rec, x.child);
                break;
            case Handoff::kEscalated:
                if (pop.child(x.child).identified) refer_missing(in, pop, prov, rec, x.child);
                break;
        }
    }
    h.clear();
}

/// Today's due events, each routed to its phase; events added for today while processing today
/// are handled too (index loop, not iterators).
void process_events(const Inputs& in, Population& pop, Providers& prov, Recorder& rec, Handoffs& h) {
    const auto day = static_cast<std::size_t>(pop.day());
    auto& today = pop.calendar[day];
    for (std::size_t i = 0; i < today.size(); ++i) {
        if (i + Population::kPrefetchAhead < today.size()) pop.prefetch(today[i + Population::kPrefetchAhead].child);
        const Event ev = today[i];
        Child& c = pop.child(ev.child);
        if (!c.alive) continue;
        switch (ev.type) {
            case kPhaseEnd:
                if (ev.token == c.phase_token) end_phase(in, pop, prov, rec, h, ev.child);
                break;
            case kIdentify:
                if (ev.token == c.ident_token) identify(in, pop, prov, rec, ev.child);
                break;
            case kReferralArrive: {
                const auto t = static_cast<Target>(ev.arg);
                if (referral_arrives(in, pop, prov, rec, ev.child, t, ev.token))
                    start_care(in, pop, prov, rec, ev.child, t);
                break;
            }
            case kVisitDue:
                if (ev.token == c.visit_token[ev.arg])
                    visit_due(in, pop, prov, rec, ev.child, static_cast<Visit>(ev.arg));
                break;
            case kRespiteDue:
                if (ev.token == c.respite_token) respite_due(in, pop, prov, rec, ev.child);
                break;
            case kStableAdmission:
                if (ev.token == c.admission_token && c.phase == kStable) {
                    if (c.place == kHome) admit(in, pop, rec, h, ev.child);
                    if (pop.child(ev.child).place != kHospital) schedule_stable_admission(in, pop, ev.child);
                }
                break;
            case kDischarge:
                discharge(in, pop, ev.child);
                break;
        }
        take_handoffs(in, pop, prov, rec, h);
    }
    pop.retire_day(day);
}

/// Counts the children alive at the end of the month whose last day is `last_day`.
void record_end_of_month(const Population& pop, Recorder& rec, int last_day) {
    if (last_day < pop.clock.warmup_days) return;
    for (std::size_t cl = 0; cl < pop.alive_by_cell.size(); ++cl)
        if (pop.alive_by_cell[cl] != 0)
            rec.out.add_monthly(rec.report_month(), cl, MonthlyVar::prevalent, pop.alive_by_cell[cl]);
}

}  // namespace
}  // namespace engine

RunOutputs simulate_replicate(const Scenario& scenario, const ModelParams& params, std::uint64_t seed,
                              std::uint32_t replicate, ReplicateOptions options) {
    using namespace engine;
    const Inputs in{scenario, params, RandomKey(seed, replicate)};
    Population pop;
    Providers prov;
    Recorder rec;
    Handoffs h;
    Clock& clock = pop.clock;
    rec.clock = &clock;
    rec.adequate_share = params.care.adequate_share;
    clock.warmup_days = params.run.warmup_years * 365;
    clock.end_day = clock.warmup_days + params.run.years * 365;
    rec.out.resize(params.run.years, static_cast<int>(scenario.areas.size()),
                   static_cast<int>(scenario.providers.size()));
    rec.out.keep_monthly = options.keep_monthly;
    std::optional<RecordSink> sink;
    if (options.records) rec.records = &sink.emplace(clock.warmup_days, clock.end_day);
    pop.arena = std::make_unique<HugePageArena>();
    pop.calendar.assign(static_cast<std::size_t>(clock.end_day) + 1,
                        Population::DayEvents(PooledArenaAllocator<Event>(pop.arena.get())));
    pop.alive_by_cell.assign(rec.out.cells, 0);
    pop.children_by_area.assign(scenario.areas.size(), {});
    pop.living_by_area.assign(scenario.areas.size(), {});
    setup_providers(in, prov);
    clock.day = 0;
    clock.month_index = 0;
    monthly_update(in, clock, prov, rec);
    // The children live in huge-page memory (Population::arena), reserved before the prehistory
    // for all of them, so they are never copied as the areas fill.
    reserve_children(in, pop);
    build_initial_population(in, pop, prov);
    count_caseloads(in, pop, prov);  // day 0: also cuts the seeded caseloads to their limits
    pop.for_each_child([&](std::uint32_t ci, Child&) {
        start_initial_child(in, pop, prov, rec, h, ci);
        take_handoffs(in, pop, prov, rec, h);
        resume_short_breaks(in, pop, ci);
    });

    for (clock.day = 0; clock.day < clock.end_day; ++clock.day) {
        const int day_in_year = clock.day % 365;
        if (is_month_start(day_in_year) && clock.day > 0) {  // day 0's update ran before the population was seeded
            record_end_of_month(pop, rec, clock.day - 1);    // month_index still names the month that ended
            clock.month_index = clock.reporting() ? clock.compute_report_month() : 0;
            monthly_update(in, clock, prov, rec);
            count_caseloads(in, pop, prov);
        }
        if (day_in_year == 0 && clock.day >= clock.warmup_days) year_start(pop, rec);
        if (day_in_year == 0 && clock.day > 0 && in.networks.any) redraw_identification(in, pop, prov);
        for (const Child& entrant : draw_entries(in, pop, prov)) {
            start_entrant(in, pop, prov, rec, h, entrant);
            take_handoffs(in, pop, prov, rec, h);
        }
        process_events(in, pop, prov, rec, h);
        for (std::uint32_t ci : daily_checks(in, pop, prov, rec)) {
            admit(in, pop, rec, h, ci);
            take_handoffs(in, pop, prov, rec, h);
        }
        give_care(in, pop, prov, rec);
    }

    // Close the last month and year.
    --clock.day;
    record_end_of_month(pop, rec, clock.day);  // month_index still names the last month
    rec.out.complete_monthly();
    const int last = rec.out.years - 1;
    rec.out.children_simulated = pop.child_count();
    pop.for_each_child([&](std::uint32_t, Child& c) {
        if (c.alive) tally_year(rec, c, last, false);
        const int from = std::max(c.entry_day, 0);
        const int to = c.alive ? clock.end_day : c.phase_end;
        if (to > from) rec.out.child_days += to - from;
    });
    if (sink) rec.out.records = std::make_shared<const ChildRecords>(sink->finish(pop));
    return std::move(rec.out);
}

}  // namespace cpcsim
