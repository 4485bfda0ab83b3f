// The layout of per-child records (`--records`, docs/hdf5-schema.md "Per-child records"): under
// `records/` of a run file or of each compare arm, one row per child per replicate and one row
// per referral, as columns (1-D datasets, or 2-D with one column per phase, service or counter).
#pragma once

#include "io/h5.hpp"
#include "metrics/outcomes.hpp"

#include <cstdint>
#include <span>
#include <vector>

namespace cpcsim::io {

/// Writes `records/` under `group` when the runs carry records (all of them, or none: else an
/// internal error); does nothing when none does. Run i is replicate replicate_ids[i].
void write_child_records(Group& group, std::span<const RunOutputs> runs,
                         const std::vector<std::int64_t>& replicate_ids);

}  // namespace cpcsim::io
