// cpcsim run / check / info / params.
#include "cli/commands.hpp"
#include "cli/output.hpp"

#include "core/version.hpp"
#include "engine/runner.hpp"
#include "io/atomic_file.hpp"
#include "io/results_file.hpp"
#include "io/run_output.hpp"
#include "metrics/summary.hpp"
#include "scenario/scenario.hpp"

#include <iostream>
#include <limits>

namespace cpcsim::cli {

namespace {
std::vector<std::string> overrides_of(const po::variables_map& vm) {
    return vm.count("set") ? vm["set"].as<std::vector<std::string>>() : std::vector<std::string>{};
}
}  // namespace

SimulationOptions simulation_options(const po::variables_map& vm) {
    SimulationOptions o;
    o.replicates = static_cast<int>(whole_number_option(vm, "replicates", 1, 100000));
    o.seed = seed_option(vm);
    o.threads = static_cast<int>(whole_number_option(vm, "threads", 0, std::numeric_limits<int>::max()));
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

std::vector<std::vector<double>> summaries(const Scenario& sc, const std::vector<RunOutputs>& runs) {
    const ModelParams mp = ModelParams::from(sc.params);
    std::vector<std::vector<double>> out;
    for (const auto& r : runs) out.push_back(summarise(sc, mp, r));
    return out;
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
    const Scenario sc = load_scenario(vm["scenario"].as<std::string>(), o.overrides);
    io::AtomicOutput output(vm["out"].as<std::string>());  // fails now if the directory is not writable
    const auto runs = simulate(sc, o, "run");
    {
        auto file = io::File::create(output.temp_path());
        io::write_provenance(file, provenance("run", sc, o, command_line));
        io::write_labels(file, sc);
        std::vector<std::int64_t> ids;
        for (int i = 0; i < o.replicates; ++i) ids.push_back(i);
        io::write_runs(file, sc, runs, ids);
        file.close();
    }
    output.commit();
    std::cout << sc.name << "\n" << o.replicates << " replicates, seed " << o.seed << "; mean [95% interval]\n\n";
    print_summary_table(std::cout, summaries(sc, runs), vm.count("all") > 0);
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
    const Scenario sc = load_scenario(vm["scenario"].as<std::string>(), overrides_of(vm));
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
    opts.add_options()("file", po::value<std::string>()->required(), "results file (HDF5)");
    po::positional_options_description pos;
    pos.add("file", 1);
    po::variables_map vm;
    if (!parse(args, "cpcsim info FILE.h5", opts, pos, vm)) return 0;
    std::cout << io::describe_results(vm["file"].as<std::string>());
    return 0;
}

int cmd_params(const std::vector<std::string>& args, const std::string&) {
    po::options_description opts("cpcsim params options");
    opts.add_options()("markdown", "print the parameter table as Markdown (docs/parameters.md)");
    po::variables_map vm;
    if (!parse(args, "cpcsim params [--markdown]", opts, {}, vm)) return 0;
    print_parameter_table(std::cout, ParamRegistry::model(), vm.count("markdown") > 0);
    return 0;
}

}  // namespace cpcsim::cli
