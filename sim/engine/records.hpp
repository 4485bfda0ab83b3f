// The per-child records sink (`--records`): filled at events the engine already handles (phase
// changes, identification, referrals, exits, and every monthly count), so that a replicate run
// without records does no extra work beyond one null-pointer test at those events.
#pragma once

#include "engine/state.hpp"
#include "metrics/child_records.hpp"

#include <cstdint>
#include <unordered_map>
#include <vector>

namespace cpcsim::engine {

class RecordSink {
public:
    /// Records of the horizon [warmup_days, end_day) of the simulation's days.
    RecordSink(int warmup_days, int end_day) : warmup_(warmup_days), end_(end_day) {}

    /// A monthly counter of child `id` (reported days only: called from Recorder::count).
    void count(std::uint32_t id, MonthlyVar v, std::int32_t n) { row(id).totals[static_cast<std::size_t>(v)] += n; }
    /// The child has just entered phase c.phase (or, at its first call, started in it).
    void phase(const Child& c, int day);
    /// The child has just become known to palliative care.
    void identified(const Child& c, int day);
    void referral_sent(const Child& c, int service, int day, bool lost);
    void referral_decided(const Child& c, int service, int day, bool accepted);
    /// The child leaves today (cause 0 death, 1 age, 2 cure) from c.place.
    void exit(const Child& c, int day, int cause);
    /// Every child alive on a reported day, in id order, with its referrals.
    [[nodiscard]] ChildRecords finish(const Population& pop);

private:
    struct Open {
        std::int32_t since = 0;
        std::uint8_t phase = 0;
        bool started = false;
    };
    ChildRecord& row(std::uint32_t id);
    void close_phase(std::uint32_t id, int day);

    int warmup_, end_;
    std::vector<ChildRecord> rows_;  // by child id (ids are dense)
    std::vector<Open> open_;         // by child id: the phase running and since when
    std::vector<ReferralRecord> referrals_;
    std::unordered_map<std::uint32_t, std::size_t> pending_;  // (id * 4 + service) -> referrals_ index
};

}  // namespace cpcsim::engine
