// The layout of parameter uncertainty in results files (docs/hdf5-schema.md, "Parameter
// uncertainty"): each run group's draws table (/uncertainty in a run file, /arms/X/uncertainty in
// a comparison, /uncertainty in a sweep) and a comparison's analysis (/comparison/uncertainty).
// Written into a file that the run, compare or sweep writer has just made.
#pragma once

#include "metrics/uncertainty.hpp"
#include "scenario/scenario.hpp"

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace cpcsim::io {

/// The parameter draws of every replicate: row r is replicate r (replicates sharing a draw have
/// the same row).
struct DrawsTable {
    std::vector<std::string> columns;        ///< draw_column_names()
    std::vector<std::string> distributions;  ///< Distribution::describe() per column
    std::vector<std::vector<double>> rows;   ///< [replicate][column]
    std::uint64_t seed = 0;
    int per_draw = 1;
    std::vector<std::string> fixed_by_value;  ///< keys the scenario's own value fixed
};

/// The draws table of replicates [0, replicates) of a scenario with uncertainty on (run,
/// compare and sweep results files).
[[nodiscard]] DrawsTable draws_table(const Scenario& scenario, int replicates);

/// Adds `group`/draws, /parameters, /distributions (and attributes seed, per_draw) to `path`.
void write_draws(const std::filesystem::path& path, const std::string& group, const DrawsTable& draws);
/// Reads a draws table back (for re-analysis); Error naming the file and dataset if absent.
DrawsTable read_draws(const std::filesystem::path& path, const std::string& group);

/// Adds /comparison/uncertainty: per summary measure the interval over draws of A, B and B - A,
/// the noise share and P(> 0); per headline difference its interval and drivers; the
/// cost-effectiveness plane summary and acceptability curves.
void write_comparison_uncertainty(const std::filesystem::path& path, const ComparisonUncertainty& u,
                                  const std::vector<std::string>& draw_columns);

/// Names of the statistics columns of /comparison/uncertainty/summary (per arm block).
const std::vector<std::string>& uncertainty_statistics();

}  // namespace cpcsim::io
