// The output schema of a run (docs/hdf5-schema.md): labels, population denominators and, with a
// leading replicate dimension, every counter a replicate records, its summary and its equity
// measures. Written in one place so that run, compare and sweep files share the layout.
#pragma once

#include "io/h5.hpp"
#include "io/results_file.hpp"
#include "metrics/outcomes.hpp"
#include "scenario/scenario.hpp"

#include <string>
#include <vector>

namespace cpcsim::io {

/// Labels and denominators of a scenario under `group` ("labels/...", "population/...").
void write_labels(Group& group, const Scenario& scenario);

/// Every replicate's outputs under `group` ("runs/..."), replicate index first.
void write_runs(Group& group, const Scenario& scenario, const std::vector<RunOutputs>& runs,
                const std::vector<std::int64_t>& replicate_ids);
/// The same with the leading dimension named `leading_dim` (a sweep's per-run files use "run");
/// the ids go to runs/replicate as above.
void write_runs(Group& group, const Scenario& scenario, const std::vector<RunOutputs>& runs,
                const std::vector<std::int64_t>& replicate_ids, const std::string& leading_dim);

/// Provenance of a results file for `scenario`: program version and commit, the command line,
/// the time now, the resolved scenario and its tables, seed and replicate count.
Provenance provenance_for(const std::string& kind, const Scenario& scenario, const std::string& command_line,
                          std::uint64_t seed, std::int64_t replicates);

/// Names of the per-run equity measures stored in runs/equity_access and runs/equity_preferred_place.
std::vector<std::string> equity_measure_names();

}  // namespace cpcsim::io
