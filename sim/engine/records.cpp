#include "engine/records.hpp"

#include <algorithm>

namespace cpcsim::engine {

void record_count(RecordSink& sink, std::uint32_t id, MonthlyVar v, std::int32_t n) {
    sink.count(id, v, n);
}

ChildRecord& RecordSink::row(std::uint32_t id) {
    if (id >= rows_.size()) {
        rows_.resize(static_cast<std::size_t>(id) + 1);
        open_.resize(rows_.size());
    }
    return rows_[id];
}

void RecordSink::close_phase(std::uint32_t id, int day) {
    const Open& o = open_[id];
    const int from = std::max<int>(o.since, warmup_), to = std::min(day, end_);
    if (o.started && to > from) rows_[id].phase_days[o.phase] += to - from;
}

void RecordSink::phase(const Child& c, int day) {
    ChildRecord& r = row(c.id);
    Open& o = open_[c.id];
    const bool first = !o.started;
    close_phase(c.id, day);
    o = {day, std::min<std::uint8_t>(c.phase, 3), true};
    auto& first_day = r.phase_first_day[o.phase];
    if (first && c.entry_day < 0) {
        // Alive at the simulation's start: its phase, identification and caseloads date from before.
        first_day = kBeforeStart;
        if (c.identified) r.identified_day = kBeforeStart;
        for (int s = 0; s < kServices; ++s)
            if (c.caseload & (1u << s)) r.caseload_from[static_cast<std::size_t>(s)] = kBeforeStart;
    } else if (first_day == kNoDay) {
        first_day = day;
    }
}

void RecordSink::identified(const Child& c, int day) {
    auto& d = row(c.id).identified_day;
    if (d == kNoDay) d = day;
}

void RecordSink::referral_sent(const Child& c, int service, int day, bool lost) {
    (void)row(c.id);
    referrals_.push_back({c.id, static_cast<std::uint8_t>(service),
                          lost ? ReferralOutcome::lost : ReferralOutcome::pending, day, lost ? day : kNoDay});
    if (!lost) pending_[c.id * 4u + static_cast<std::uint32_t>(service)] = referrals_.size() - 1;
}

void RecordSink::referral_decided(const Child& c, int service, int day, bool accepted) {
    const auto it = pending_.find(c.id * 4u + static_cast<std::uint32_t>(service));
    if (it == pending_.end()) return;
    ReferralRecord& r = referrals_[it->second];
    r.outcome = accepted ? ReferralOutcome::accepted : ReferralOutcome::refused;
    r.decided_day = day;
    pending_.erase(it);
    auto& from = row(c.id).caseload_from[static_cast<std::size_t>(service)];
    if (accepted && from == kNoDay) from = day;
}

void RecordSink::exit(const Child& c, int day, int cause) {
    ChildRecord& r = row(c.id);
    close_phase(c.id, day);
    open_[c.id].started = false;
    r.exit_day = day;
    r.exit_cause = static_cast<ExitCause>(cause);
    if (cause == 0) r.death_place = c.place;
}

ChildRecords RecordSink::finish(const Population& pop) {
    ChildRecords out;
    std::vector<std::uint8_t> kept(rows_.size(), 0);
    for (const auto& area : pop.children_by_area)
        for (const Child& c : area) {
            if (c.id >= rows_.size()) continue;
            ChildRecord& r = rows_[c.id];
            // Alive on a reported day: left on or after its first day, or never left.
            if (c.alive) {
                close_phase(c.id, end_);
            } else if (r.exit_day < warmup_) {
                continue;
            }
            r.id = c.id;
            r.cell = c.cell;
            r.area = c.area;
            r.quintile = c.quintile, r.ethnic = c.ethnic, r.rural = c.rural;
            r.female = c.female, r.diagnosis = c.diagnosis, r.category = c.category;
            r.birth_day = c.birth_day, r.entry_day = c.entry_day;
            r.preferred_place = c.preferred;
            r.acp = c.acp ? 1 : 0;
            kept[c.id] = 1;
        }
    const auto shift = [&](std::int32_t& d) {
        if (d != kNoDay && d != kBeforeStart) d -= warmup_;
    };
    for (std::size_t id = 0; id < rows_.size(); ++id) {
        if (!kept[id]) continue;
        ChildRecord r = rows_[id];
        shift(r.birth_day), shift(r.entry_day), shift(r.exit_day), shift(r.identified_day);
        for (auto& d : r.phase_first_day) shift(d);
        for (auto& d : r.caseload_from) shift(d);
        out.children.push_back(r);
    }
    for (ReferralRecord r : referrals_) {
        if (r.child >= kept.size() || !kept[r.child]) continue;
        r.sent_day -= warmup_;
        if (r.decided_day != kNoDay) r.decided_day -= warmup_;
        out.referrals.push_back(r);
    }
    std::stable_sort(out.referrals.begin(), out.referrals.end(),
                     [](const ReferralRecord& a, const ReferralRecord& b) { return a.child < b.child; });
    return out;
}

}  // namespace cpcsim::engine
