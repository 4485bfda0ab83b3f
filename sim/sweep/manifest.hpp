// The manifest of a sweep: one row per run (run id, design point, parameter values,
// replicate, seed, content hash). Planned from a sweep file, written as CSV (format in
// docs/sweeps.md), read back, and expanded without changing the rows that exist.
//
// Identity: run r of design point p, replicate k, is simulated with the point's scenario and
// the random key (seed, k): replicate k of every point uses the same random numbers (common
// random numbers). Its content hash covers the base scenario's content, the seed, k and the
// point's settings, so a results row can always be matched to the run that produced it.
//
// Parameter uncertainty (--uncertainty prior): replicate k of every point runs with parameter
// draw k / per_draw, the same draw at every point, so points stay paired. Swept parameters are
// fixed (the sweep's value wins). The choice and its seed enter the manifest and run hashes
// (only when on: a plan without uncertainty keeps its hashes).
#pragma once

#include "scenario/scenario.hpp"
#include "sweep/design.hpp"
#include "sweep/sweep_file.hpp"

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace cpcsim::sweep {

inline constexpr int kManifestFormat = 1;

struct Point {
    std::int64_t id = 0;
    std::string name;
    std::vector<std::string> values;  ///< canonical TOML text per parameter column; "" = not set
    int trajectory = -1;              ///< morris
    int changed = -1;                 ///< morris: column changed from the previous point
};

struct RunRow {
    std::int64_t id = 0;
    std::int64_t point = 0;
    std::int64_t replicate = 0;
    std::uint64_t hash = 0;
};

struct Manifest {
    std::string sweep_name;
    std::string sweep_file;          ///< as given when planned (information only)
    std::filesystem::path scenario;  ///< base scenario, absolute
    std::vector<std::string> base_overrides;
    std::uint64_t base_hash = 0;  ///< content of the base scenario after base_overrides
    std::uint64_t seed = 0;
    std::string design;
    std::uint64_t design_seed = 0;
    int levels = 0;                                 ///< morris
    int lhs_points = 0;                             ///< lhs: points per block
    std::vector<std::string> parameters;            ///< column keys
    std::vector<double> range_min, range_max;       ///< lhs, morris: per column; empty otherwise
    std::vector<Point> points;                      ///< points[i].id == i
    std::vector<RunRow> runs;                       ///< runs[i].id == i
    std::string store = "monthly,annual,provider";  ///< what each run stores (StoredOutputs::names)
    UncertaintySettings uncertainty;                ///< parameter draws per replicate (off by default)

    /// Content hash of the whole plan: design, points and runs (not names of files).
    [[nodiscard]] std::uint64_t hash() const;
    /// --set overrides of a point: base_overrides, then the point's settings.
    [[nodiscard]] std::vector<std::string> overrides(std::int64_t point) const;
    /// "key=value; key=value" of a point's settings.
    [[nodiscard]] std::string settings_text(std::int64_t point) const;
    [[nodiscard]] int replicates() const;  ///< 1 + largest replicate index
};

/// Content hash of a scenario: every parameter value, the funding schedule, the areas and
/// providers tables and the travel matrix (not its name or file paths).
std::uint64_t scenario_hash(const Scenario& scenario);

/// Content hash of one run; `uncertainty` enters it only when on.
std::uint64_t run_hash(std::uint64_t base_hash, std::uint64_t seed, std::int64_t replicate,
                       const std::vector<std::string>& parameters, const std::vector<std::string>& values,
                       const UncertaintySettings& uncertainty = {});

/// "none", or "prior (seed S, K replicates per draw)": the uncertainty choice in messages and files.
std::string uncertainty_text(const UncertaintySettings& u);

/// Sets a loaded point (or base) scenario of a sweep up for the manifest's uncertainty: its
/// draws settings, and every swept parameter (a column, or the array a "key.label" column is an
/// element of) fixed, so the sweep's value wins and every point draws the same parameters.
void apply_sweep_uncertainty(Scenario& scenario, const Manifest& m);

/// The scenarios of a manifest's design points, loaded and validated.
struct LoadedSweep {
    std::shared_ptr<const Scenario> base;
    std::vector<std::shared_ptr<const Scenario>> points;
    /// [point][parameter] numeric value of each column in each point's scenario (NaN when the
    /// column is not a number, e.g. a whole array).
    std::vector<double> point_values;
};

/// Loads the base scenario and every design point (in parallel) and checks that each loads; a
/// failure lists the problems of every failing point, each prefixed with the point. Checks the
/// base content hash against the manifest's unless `check_hash` is false.
LoadedSweep load_sweep(const Manifest& m, bool check_hash = true);

/// Plans a sweep: the design points and, point by point, replicates 0..R-1, with parameter
/// uncertainty as given. Loads every point (all problems reported at once). `loaded` receives
/// the loaded scenarios if not null.
Manifest plan(const SweepSpec& spec, LoadedSweep* loaded = nullptr, const UncertaintySettings& uncertainty = {});

/// The manifest as CSV; the base scenario path is written relative to `relative_to` (a folder)
/// when that is not empty, else absolute.
std::string to_csv(const Manifest& m, const std::filesystem::path& relative_to = {});
/// Reads a manifest written by to_csv; relative scenario paths are resolved against
/// `relative_to`. `label` names the file in errors. Checks the recorded manifest hash.
Manifest parse_manifest(const std::string& text, const std::string& label, const std::filesystem::path& relative_to);
Manifest read_manifest(const std::filesystem::path& file);
/// True if `file` starts like a manifest written by to_csv.
bool is_manifest_file(const std::filesystem::path& file);

/// `old` with every run of `fresh` it lacks appended (new points and runs get new ids after the
/// existing ones; existing rows are unchanged). Throws if the two cannot be combined (different
/// base scenario content, seed or design). `added_points`/`added_runs` receive the counts.
Manifest expand(const Manifest& old, const Manifest& fresh, int* added_points = nullptr, int* added_runs = nullptr);

/// The runs of task `task` of `tasks` (run id % tasks == task), in id order.
std::vector<std::int64_t> task_runs(const Manifest& m, int task, int tasks);

}  // namespace cpcsim::sweep
