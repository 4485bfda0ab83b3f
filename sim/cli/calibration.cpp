// cpcsim calibration SCENARIO: each calibration target (MODEL.md §7) against the simulated mean
// and its 95% interval; exits 1 if any target fails.
#include "cli/commands.hpp"
#include "cli/output.hpp"

#include "metrics/calibration.hpp"
#include "metrics/run_measures.hpp"
#include "model/parameter_table.hpp"

#include <iomanip>
#include <iostream>

namespace cpcsim::cli {

int cmd_calibration(const std::vector<std::string>& args, const std::string&) {
    po::options_description opts("cpcsim calibration options");
    opts.add_options()("scenario", po::value<std::string>()->required(), "scenario file (TOML)")(
        "markdown", "print the table as Markdown (docs/calibration.md)");
    add_simulation_options(opts);
    po::positional_options_description pos;
    pos.add("scenario", 1);
    po::variables_map vm;
    if (!parse(args, "cpcsim calibration SCENARIO [--replicates N] [--seed S] [--threads T] [--set k=v]...", opts, pos,
               vm))
        return 0;
    const auto o = simulation_options(vm);
    require_scenario_file(vm["scenario"].as<std::string>());
    const Scenario sc = load_scenario(vm["scenario"].as<std::string>(), o.overrides, model_parameters());
    const auto results = check_calibration(summaries_of(measure_runs(sc, simulate(sc, o, "calibration"))));
    const bool md = vm.count("markdown") > 0;
    std::cout << sc.name << ": " << o.replicates << " replicates, seed " << o.seed << "\n\n";
    if (md) std::cout << "| # | target | published | simulated mean [95% interval] | result |\n|---|---|---|---|---|\n";
    int failed = 0;
    for (const auto& r : results) {
        failed += !r.pass;
        const std::string sim = format_interval(r.simulated.mean, r.simulated.low, r.simulated.high) +
                                (r.note.empty() ? "" : " (" + r.note + ")");
        if (md) {
            std::cout << "| " << r.target.id << " | " << r.target.what << " | " << r.target.target << " | " << sim
                      << " | " << (r.pass ? "pass" : "**FAIL**") << " |\n";
        } else {
            std::cout << "  " << std::left << std::setw(4) << r.target.id << std::setw(48) << r.target.what << " "
                      << (r.pass ? "pass" : "FAIL") << "\n      target " << r.target.target << "; simulated " << sim
                      << "\n";
        }
    }
    std::cout << "\n" << results.size() - static_cast<std::size_t>(failed) << " passed, " << failed << " failed\n";
    return failed ? 1 : 0;
}

}  // namespace cpcsim::cli
