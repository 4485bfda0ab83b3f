// The layout of a comparison results file (kind "compare", docs/hdf5-schema.md): each arm's
// scenario, labels and runs under /arms/A and /arms/B, and the paired comparison of every
// summary measure under /comparison. The comparison is computed before writing
// (metrics/run_measures.hpp, compare_summaries).
#pragma once

#include "io/results_file.hpp"
#include "metrics/outcomes.hpp"
#include "metrics/paired.hpp"
#include "metrics/run_measures.hpp"
#include "scenario/scenario.hpp"

#include <filesystem>
#include <string>
#include <vector>

namespace cpcsim::io {

/// One arm of a comparison: its scenario, provenance (kind "compare") and runs with their measures.
struct CompareArm {
    const Scenario& scenario;
    const Provenance& provenance;
    const std::vector<RunOutputs>& runs;
    const std::vector<RunMeasures>& measures;
};

/// Names of the columns of /comparison/summary, in order.
[[nodiscard]] const std::vector<std::string>& comparison_statistics();

/// Writes a comparison file at `path` (a temporary path; commit it with AtomicOutput). The root
/// attributes are A's provenance with scenario_name "<A> vs <B>"; `summary[m]` compares
/// summary measure m (summary_measures() order).
void write_compare_file(const std::filesystem::path& path, const CompareArm& a, const CompareArm& b,
                        const std::vector<PairedComparison>& summary);

}  // namespace cpcsim::io
