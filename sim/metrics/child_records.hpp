// Per-child records of one replicate (`--records`): one row per child alive on some day of the
// reported horizon, and one row per referral of those children. Plain data filled by the engine
// at the events it already handles; io lays it out (docs/hdf5-schema.md, "Per-child records").
#pragma once

#include "metrics/outcomes.hpp"

#include <array>
#include <cstdint>
#include <limits>
#include <vector>

namespace cpcsim {

/// A day that does not apply (not reached, still alive, not known).
inline constexpr std::int32_t kNoDay = std::numeric_limits<std::int32_t>::min();
/// A day before the simulation's first day (a child alive then: its prehistory is not recorded).
inline constexpr std::int32_t kBeforeStart = kNoDay + 1;

/// How a child left the model, or that it had not by the end of the horizon.
enum class ExitCause : std::uint8_t { death = 0, age = 1, cure = 2, none = 3 };
/// Where a child died, or kNoPlace.
inline constexpr std::uint8_t kNoPlace = 255;
/// What became of a referral.
enum class ReferralOutcome : std::uint8_t { pending = 0, lost = 1, refused = 2, accepted = 3 };

/// One child. Days count from the first day of the reported horizon (day 0 = 1 January of the
/// first reported year; negative in the warm-up and prehistory).
struct ChildRecord {
    std::uint32_t id = 0;
    std::uint32_t cell = 0;  ///< cell_index(area, quintile, ethnic, rural)
    std::uint16_t area = 0;
    std::uint8_t quintile = 0, ethnic = 0, rural = 0, female = 0, diagnosis = 0, category = 0;
    std::int32_t birth_day = 0, entry_day = 0;
    std::int32_t exit_day = kNoDay;  ///< kNoDay: alive at the end of the horizon
    ExitCause exit_cause = ExitCause::none;
    /// Days in each phase (stable, unstable, deteriorating, dying) within the reported horizon.
    std::array<std::int32_t, 4> phase_days{};
    /// First day in each phase (kNoDay: never; kBeforeStart: in it at the simulation's start).
    std::array<std::int32_t, 4> phase_first_day{{kNoDay, kNoDay, kNoDay, kNoDay}};
    /// First day the child became known to palliative care (kBeforeStart: known at the start).
    std::int32_t identified_day = kNoDay;
    /// Day the child joined each caseload (hospice, SPPC, CCN), which it keeps until it leaves.
    std::array<std::int32_t, kServices> caseload_from{{kNoDay, kNoDay, kNoDay}};
    std::uint8_t death_place = kNoPlace;  ///< 0 home, 1 hospice, 2 hospital
    std::uint8_t preferred_place = 0;     ///< the family's preferred place at exit or at the end
    std::uint8_t acp = 0;                 ///< an advance care plan at exit or at the end
    /// The child's share of each monthly counter, totalled over the reported horizon
    /// (MonthlyVar order; `prevalent` is always 0): care needed and received, admissions, ...
    std::array<std::int32_t, kMonthlyVars> totals{};
};

struct ReferralRecord {
    std::uint32_t child = 0;   ///< ChildRecord::id
    std::uint8_t service = 0;  ///< 0 hospice, 1 SPPC, 2 CCN
    ReferralOutcome outcome = ReferralOutcome::pending;
    std::int32_t sent_day = 0;
    std::int32_t decided_day = kNoDay;  ///< lost: the day sent; refused or accepted: the day it arrived
};

/// The records of one replicate, children and referrals in child-id order (referrals of a child
/// in the order they were sent).
struct ChildRecords {
    std::vector<ChildRecord> children;
    std::vector<ReferralRecord> referrals;
};

}  // namespace cpcsim
