// Shared pieces of the simulating commands: options, simulation with progress, provenance and
// printed tables.
#pragma once

#include "cli/commands.hpp"
#include "io/results_file.hpp"
#include "io/uncertainty_file.hpp"
#include "metrics/outcomes.hpp"
#include "metrics/uncertainty.hpp"
#include "scenario/scenario.hpp"

#include <ostream>

namespace cpcsim::cli {

struct SimulationOptions {
    int replicates = 10;
    std::uint64_t seed = 0;
    int threads = 0;
    std::vector<std::string> overrides;
    bool quiet = false;
    bool records = false;  ///< --records (run and compare): per-child records in the results file
    StoredOutputs store;   ///< --store
};
SimulationOptions simulation_options(const po::variables_map& vm);
std::vector<RunOutputs> simulate(const Scenario& scenario, const SimulationOptions& o, const std::string& label);
io::Provenance provenance(const std::string& kind, const Scenario& sc, const SimulationOptions& o,
                          const std::string& command_line);
/// Every file a scenario was read from (its extends chain and tables): inputs that an output
/// path must never be.
std::vector<std::filesystem::path> scenario_inputs(const Scenario& sc);
/// A text table: every column as wide as its widest cell plus two spaces, so long money
/// values ("55912345 [55000000, 56800000]") never run into the next column.
void print_columns(std::ostream& os, const std::vector<std::vector<std::string>>& rows,
                   const std::string& indent = "  ");
/// Mean [95% interval] of each summary measure (key outcomes only unless `all`).
void print_summary_table(std::ostream& os, const std::vector<std::vector<double>>& per_run, bool all);
/// The parameter table, plain or Markdown.
void print_parameter_table(std::ostream& os, const ParamRegistry& registry, bool markdown);
/// The measures printed by default.
const std::vector<std::string>& key_measures();

/// --uncertainty, --uncertainty-seed and --replicates-per-draw (run, compare, sweep).
void add_uncertainty_options(po::options_description& options);
/// Parameter uncertainty as given on the command line (off unless --uncertainty prior); the
/// draws' seed defaults to `seed`.
UncertaintySettings uncertainty_settings(const po::variables_map& vm, std::uint64_t seed);
/// The draws table of replicates [0, replicates) of a scenario with uncertainty on.
using io::draws_table;
/// The analysis of a comparison with uncertainty, printed: headline differences with their
/// interval over draws, noise share, P(B better) and main drivers; cost-effectiveness.
void print_comparison_uncertainty(std::ostream& os, const ComparisonUncertainty& u,
                                  const std::vector<std::string>& draw_columns, int per_draw);

}  // namespace cpcsim::cli
