// cpcsim calibration SCENARIO: each calibration target of a targets file (by default the
// targets.toml next to the scenario) against the simulated mean and its 95% interval, with its
// implausibility; exits 1 if any target fails.
#include "cli/commands.hpp"
#include "cli/output.hpp"

#include "metrics/calibration.hpp"
#include "metrics/run_measures.hpp"
#include "model/parameter_table.hpp"

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iomanip>
#include <iostream>

namespace cpcsim::cli {

namespace {

/// The targets file given, or the scenario folder's targets.toml.
std::filesystem::path targets_path(const po::variables_map& vm) {
    if (vm.count("targets")) return vm["targets"].as<std::string>();
    const auto scenario = std::filesystem::path(vm["scenario"].as<std::string>());
    const auto path = scenario.parent_path() / "targets.toml";
    std::error_code ec;
    if (!std::filesystem::exists(path, ec))
        throw UsageError("no targets file next to the scenario (looked for " + path.string() +
                         "); pass one with --targets FILE");
    return path;
}

std::string implausibility_text(double value) {
    if (std::isnan(value)) return "-";
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.2f", value);
    return buffer;
}

}  // namespace

int cmd_calibration(const std::vector<std::string>& args, const std::string&) {
    po::options_description opts("cpcsim calibration options");
    opts.add_options()("scenario", po::value<std::string>()->required(), "scenario file (TOML)")(
        "targets", po::value<std::string>(),
        "targets file (TOML, docs/calibration.md); default: targets.toml in the scenario's folder")(
        "markdown", "print the table as Markdown (docs/calibration.md)");
    add_simulation_options(opts);
    po::positional_options_description pos;
    pos.add("scenario", 1);
    po::variables_map vm;
    if (!parse(args,
               "cpcsim calibration SCENARIO [--targets FILE] [--replicates N] [--seed S] [--threads T] [--set k=v]...",
               opts, pos, vm))
        return 0;
    const auto o = simulation_options(vm);
    require_scenario_file(vm["scenario"].as<std::string>());
    const auto targets_file = targets_path(vm);
    const TargetSet targets = load_targets(targets_file, target_vocabulary());
    const Scenario sc = load_scenario(vm["scenario"].as<std::string>(), o.overrides, model_parameters());
    const auto runs = simulate(sc, o, "calibration");
    const auto results = check_calibration(targets, runs, measure_runs(sc, runs));
    const bool md = vm.count("markdown") > 0;
    std::cout << sc.name << ": " << o.replicates << " replicates, seed " << o.seed << "; targets "
              << targets_file.lexically_normal().string() << "\n\n";
    if (md)
        std::cout << "| # | target | published | simulated mean [95% interval] | implausibility | result |\n"
                     "|---|---|---|---|---|---|\n";
    int failed = 0;
    for (const auto& r : results) {
        failed += !r.pass;
        const bool shape = r.target.kind == CalibrationTarget::Kind::Order;
        const std::string sim = shape ? r.note : format_interval(r.simulated.mean, r.simulated.low, r.simulated.high);
        const std::string impl = implausibility_text(r.implausibility);
        if (md) {
            std::cout << "| " << r.target.id << " | " << r.target.description << " | " << r.target.published << " | "
                      << sim << " | " << impl << " | " << (r.pass ? "pass" : "**FAIL**") << " |\n";
        } else {
            std::cout << "  " << std::left << std::setw(4) << r.target.id << std::setw(48) << r.target.description
                      << " " << (r.pass ? "pass" : "FAIL") << "\n      target " << r.target.published << "; simulated "
                      << sim << (shape ? "" : "; implausibility " + impl) << "\n";
        }
    }
    std::cout << "\n" << results.size() - static_cast<std::size_t>(failed) << " passed, " << failed << " failed\n";
    return failed ? 1 : 0;
}

}  // namespace cpcsim::cli
