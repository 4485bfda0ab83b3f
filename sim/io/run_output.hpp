// The output schema of a run (docs/hdf5-schema.md): labels, population denominators and, with a
// leading replicate dimension, every counter a replicate records, its summary and its equity
// measures. Written in one place so that run, compare and sweep files share the layout. The
// summary and equity measures are computed before writing (metrics/run_measures.hpp).
#pragma once

#include "io/h5.hpp"
#include "io/results_file.hpp"
#include "metrics/outcomes.hpp"
#include "metrics/run_measures.hpp"
#include "scenario/scenario.hpp"

#include <filesystem>
#include <span>
#include <string>
#include <vector>

namespace cpcsim::io {

/// Labels and denominators of a scenario under `group` ("labels/...", "population/...").
void write_labels(Group& group, const Scenario& scenario);

/// Every replicate's outputs and measures under `group` ("runs/..."), the leading dimension
/// named `leading_dim` (a sweep's part files use "run"); the ids go to runs/replicate.
/// `measures[i]` belongs to `runs[i]`. Only the groups of datasets in `store` are written (the
/// summary, equity measures and run sizes always are); a monthly table asked for must be kept.
void write_runs(Group& group, std::span<const RunOutputs> runs, std::span<const RunMeasures> measures,
                const std::vector<std::int64_t>& replicate_ids, const std::string& leading_dim = "replicate",
                const StoredOutputs& store = {});

/// A run results file (kind "run") at `path`: provenance, the labels of `scenario` and every
/// replicate's outputs and measures (replicate ids 0, 1, ...), those in provenance.stored_outputs.
/// Write to a temporary path and commit it (AtomicOutput).
void write_run_file(const std::filesystem::path& path, const Provenance& provenance, const Scenario& scenario,
                    const std::vector<RunOutputs>& runs, const std::vector<RunMeasures>& measures);

/// Provenance of a results file for `scenario`: program version and commit, the command line,
/// the time now, the resolved scenario and its tables, seed and replicate count.
Provenance provenance_for(const std::string& kind, const Scenario& scenario, const std::string& command_line,
                          std::uint64_t seed, std::int64_t replicates, const StoredOutputs& store = {});
/// The outputs a provenance says are stored.
StoredOutputs stored_outputs_of(const Provenance& provenance);

/// Names of the per-run equity measures stored in runs/equity_access and runs/equity_preferred_place.
std::vector<std::string> equity_measure_names();

}  // namespace cpcsim::io
