// The layouts of sweep files (docs/hdf5-schema.md, "Results layout of a sweep"): part files (one
// run each, written as runs finish), and results and task files (the plan under /sweep, the
// labels, and every run's datasets under /runs with a leading run dimension, in run order).
// sim/sweep decides what goes in them (sweep::Manifest, which runs, from which sources) and
// passes plain data; only this file knows the group, dataset and attribute names.
#pragma once

#include "io/results_file.hpp"
#include "metrics/outcomes.hpp"
#include "metrics/run_measures.hpp"
#include "scenario/scenario.hpp"

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace cpcsim::io {

inline constexpr const char* kPartFormat = "cpcsim-sweep-part";

/// The identity of one sweep run, stored as root attributes of its part file.
struct PartHeader {
    std::int64_t run_id = 0, point = 0, replicate = 0;
    std::string run_hash, base_hash;   ///< 16 hex digits each
    StoredOutputs store;               ///< what the part stores
    std::string uncertainty = "none";  ///< the sweep's parameter uncertainty (an attribute unless "none")
};

/// Writes the part file of one run at `path` (write under a temporary name, then rename).
void write_part_file(const std::filesystem::path& path, const PartHeader& header, const RunOutputs& outputs,
                     const RunMeasures& measures);
/// True if `path` is a readable part file of run `run_id` with content hash `run_hash`; false
/// for anything else (another run, another plan, a truncated or foreign file).
[[nodiscard]] bool part_file_matches(const std::filesystem::path& path, std::int64_t run_id,
                                     const std::string& run_hash);
/// The parameter uncertainty a readable part file was made with ("none" when it has no
/// attribute); "" when the file cannot be read.
[[nodiscard]] std::string part_file_uncertainty(const std::filesystem::path& path);

/// The plan of a sweep as stored under /sweep: the design, its points and the runs of this file.
struct SweepPlan {
    std::string sweep_name, design, manifest_hash, base_hash;
    std::string manifest_csv;  ///< the manifest, verbatim
    std::uint64_t seed = 0, design_seed = 0;
    std::int64_t manifest_runs = 0;  ///< runs in the whole manifest (this file may hold fewer)
    int levels = 0, lhs_points = 0;  ///< stored when > 0
    std::vector<std::string> base_overrides;
    // The runs of this file, in order.
    std::vector<std::int64_t> run_id, point, replicate;
    std::vector<std::string> run_hash;
    // The design points and parameters.
    std::vector<std::string> point_names, point_settings, parameter_names;
    std::vector<double> point_values;          ///< [point][parameter], NaN where not one number
    std::vector<double> range_min, range_max;  ///< per parameter; stored when not empty
    bool morris = false;
    std::vector<std::int64_t> morris_trajectory, morris_changed;  ///< per point, when morris
    int task = -1, tasks = 0;                                     ///< a task file: its index and the task count
};

/// Where the labels and population of a results file come from: a scenario, or a file to copy them from.
struct SweepLabels {
    const Scenario* scenario = nullptr;
    std::filesystem::path copy_from;  ///< used when `scenario` is null
};

/// Where one run's rows are: source file index and row in that file's /runs datasets.
struct RowSource {
    std::size_t file = 0;
    std::uint64_t row = 0;
};

/// Writes a sweep results (or task) file at `path` (a temporary path; commit with AtomicOutput):
/// provenance, the plan, the labels, and /runs assembled from `rows[i]` (the source of run
/// plan.run_id[i]) in `sources`, part files or earlier results or task files. Every source must
/// hold the same /runs datasets with the same row shapes.
void write_sweep_results_file(const std::filesystem::path& path, const Provenance& provenance, const SweepPlan& plan,
                              const SweepLabels& labels, const std::vector<std::filesystem::path>& sources,
                              const std::vector<RowSource>& rows);

/// What merge and resume need from a sweep results or task file.
struct SweepFileHeader {
    std::string manifest_hash;
    std::string manifest_csv;
    int task = -1, tasks = 0;  ///< a task file's index and count; -1, 0 otherwise
    std::vector<std::int64_t> run_id;
    std::vector<std::string> run_hash;
};
/// Reads the header of a sweep results or task file. Errors: not a cpcsim results file; "not a
/// sweep task or results file (kind is '...')"; no /sweep/manifest.
[[nodiscard]] SweepFileHeader read_sweep_header(const std::filesystem::path& path);
/// The [point][parameter] values stored in a sweep results or task file.
[[nodiscard]] std::vector<double> read_sweep_point_values(const std::filesystem::path& path);

/// A sweep results file read back for summaries: its plan and each run's summary.
struct SweepSummaryData {
    SweepPlan plan;
    std::vector<std::string> measures, units;  ///< labels/summary_measures, labels/summary_units
    std::vector<double> summary;               ///< [run][measure]
};
/// Errors: "not a sweep results file (kind is '...'); use cpcsim info"; a /runs/summary shape
/// that does not match the runs and measures.
[[nodiscard]] SweepSummaryData read_sweep_summary(const std::filesystem::path& path);

}  // namespace cpcsim::io
