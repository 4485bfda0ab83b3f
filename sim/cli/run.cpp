// cpcsim run / check / info / params.
#include "cli/commands.hpp"
#include "cli/output.hpp"

#include "core/version.hpp"
#include "engine/runner.hpp"
#include "io/atomic_file.hpp"
#include "io/digest.hpp"
#include "io/results_file.hpp"
#include "io/run_output.hpp"
#include "metrics/run_measures.hpp"
#include "model/parameter_table.hpp"
#include "scenario/scenario.hpp"

#include <iostream>

namespace cpcsim::cli {

namespace {
std::vector<std::string> overrides_of(const po::variables_map& vm) {
    return vm.count("set") ? vm["set"].as<std::vector<std::string>>() : std::vector<std::string>{};
}
}  // namespace

SimulationOptions simulation_options(const po::variables_map& vm) {
    SimulationOptions o;
    o.replicates = vm["replicates"].as<int>();
    o.seed = vm["seed"].as<std::uint64_t>();
    o.threads = vm["threads"].as<int>();
    o.overrides = overrides_of(vm);
    o.quiet = vm.count("quiet") > 0;
    if (o.replicates < 1 || o.replicates > 100000) throw UsageError("--replicates must be between 1 and 100000");
    if (o.threads < 0) throw UsageError("--threads must be 0 (all cores) or more");
    return o;
}

std::vector<RunOutputs> simulate(const Scenario& scenario, const SimulationOptions& o, const std::string& label) {
    Progress progress(label, !o.quiet);
    auto runs = run_replicates(scenario, o.seed, 0, o.replicates, o.threads,
                               [&](int done, int total) { progress.update(done, total); });
    progress.finish();
    return runs;
}

io::Provenance provenance(const std::string& kind, const Scenario& sc, const SimulationOptions& o,
                          const std::string& command_line) {
    return io::provenance_for(kind, sc, command_line, o.seed, o.replicates);
}

int cmd_run(const std::vector<std::string>& args, const std::string& command_line) {
    po::options_description opts("cpcsim run options");
    opts.add_options()("scenario", po::value<std::string>()->required(), "scenario file (TOML)")(
        "out,o", po::value<std::string>()->default_value("results.h5"), "results file to write (HDF5)")(
        "all", "print every summary measure, not only the key outcomes");
    add_simulation_options(opts);
    po::positional_options_description pos;
    pos.add("scenario", 1);
    po::variables_map vm;
    if (!parse(args, "cpcsim run SCENARIO [--replicates N] [--seed S] [--threads T] [--out FILE] [--set k=v]...", opts,
               pos, vm))
        return 0;
    const auto o = simulation_options(vm);
    const Scenario sc = load_scenario(vm["scenario"].as<std::string>(), o.overrides, model_parameters());
    io::AtomicOutput output(vm["out"].as<std::string>());  // fails now if the directory is not writable
    const auto runs = simulate(sc, o, "run");
    const auto measures = measure_runs(sc, runs);
    io::write_run_file(output.temp_path(), provenance("run", sc, o, command_line), sc, runs, measures);
    output.commit();
    std::cout << sc.name << "\n" << o.replicates << " replicates, seed " << o.seed << "; mean [95% interval]\n\n";
    print_summary_table(std::cout, summaries_of(measures), vm.count("all") > 0);
    std::cout << "\nwritten: " << output.final_path().string() << "\n";
    return 0;
}

int cmd_check(const std::vector<std::string>& args, const std::string&) {
    po::options_description opts("cpcsim check options");
    opts.add_options()("scenario", po::value<std::string>()->required(), "scenario file (TOML)")(
        "set", po::value<std::vector<std::string>>()->composing(), "override a parameter: --set key=value")(
        "print", "print the resolved scenario (every parameter) as TOML");
    po::positional_options_description pos;
    pos.add("scenario", 1);
    po::variables_map vm;
    if (!parse(args, "cpcsim check SCENARIO [--set k=v]... [--print]", opts, pos, vm)) return 0;
    const Scenario sc = load_scenario(vm["scenario"].as<std::string>(), overrides_of(vm), model_parameters());
    if (vm.count("print")) {
        std::cout << sc.resolved_toml();
        return 0;
    }
    double children = 0;
    for (const auto& a : sc.areas) children += a.population_0_19;
    std::cout << vm["scenario"].as<std::string>() << ": OK\n  " << sc.name << "\n  " << sc.areas.size() << " areas ("
              << static_cast<long long>(children) << " children aged 0-19), " << sc.providers.size() << " providers, "
              << sc.funding_changes.size() << " funding changes\n";
    return 0;
}

int cmd_info(const std::vector<std::string>& args, const std::string&) {
    po::options_description opts("cpcsim info options");
    opts.add_options()("file", po::value<std::string>()->required(), "results file (HDF5)")(
        "digest",
        "print one line per dataset instead: path, type, shape and SHA-256 of its values "
        "(attributes such as creation time and command line are left out)");
    po::positional_options_description pos;
    pos.add("file", 1);
    po::variables_map vm;
    if (!parse(args, "cpcsim info FILE.h5 [--digest]", opts, pos, vm)) return 0;
    const std::string file = vm["file"].as<std::string>();
    if (vm.count("digest"))
        std::cout << io::format_digest(io::digest_file(file));
    else
        std::cout << io::describe_results(file);
    return 0;
}

int cmd_params(const std::vector<std::string>& args, const std::string&) {
    po::options_description opts("cpcsim params options");
    opts.add_options()("markdown", "print the parameter table as Markdown (docs/parameters.md)");
    po::variables_map vm;
    if (!parse(args, "cpcsim params [--markdown]", opts, {}, vm)) return 0;
    print_parameter_table(std::cout, model_parameters(), vm.count("markdown") > 0);
    return 0;
}

}  // namespace cpcsim::cli
