// cpcsim run / check / info / params.
#include "cli/commands.hpp"
#include "cli/output.hpp"

#include "core/error.hpp"
#include "core/version.hpp"
#include "engine/runner.hpp"
#include "explorer/explorer.hpp"
#include "io/atomic_file.hpp"
#include "io/digest.hpp"
#include "io/results_file.hpp"
#include "io/run_output.hpp"
#include "metrics/run_measures.hpp"
#include "model/parameter_table.hpp"
#include "model/staff_time.hpp"
#include "scenario/ensemble.hpp"
#include "scenario/scenario.hpp"

#include <cmath>
#include <iomanip>
#include <iostream>
#include <limits>
#include <sstream>

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
    o.threads = threads_option(vm);
    o.overrides = overrides_of(vm);
    o.quiet = vm.count("quiet") > 0;
    o.records = vm.count("records") > 0;
    if (vm.count("store")) {
        try {
            o.store = StoredOutputs::parse(vm["store"].as<std::string>(), "", "--store");
        } catch (const Error& e) {
            throw UsageError("--store: " + e.problems().front().message);
        }
    }
    if (o.replicates < 1 || o.replicates > 100000) throw UsageError("--replicates must be between 1 and 100000");
    return o;
}

std::vector<RunOutputs> simulate(const Scenario& scenario, const SimulationOptions& o, const std::string& label) {
    Progress progress(label, !o.quiet);
    auto runs = run_replicates(
        scenario, o.seed, 0, o.replicates, o.threads, [&](int done, int total) { progress.update(done, total); },
        ReplicateOptions{o.store.monthly, o.records});
    progress.finish();
    return runs;
}

io::Provenance provenance(const std::string& kind, const Scenario& sc, const SimulationOptions& o,
                          const std::string& command_line) {
    return io::provenance_for(kind, sc, command_line, o.seed, o.replicates, o.store);
}

std::vector<std::filesystem::path> scenario_inputs(const Scenario& sc) {
    std::vector<std::filesystem::path> in = sc.chain;
    in.push_back(sc.file);
    for (const auto& p : {sc.areas_file, sc.providers_file, sc.travel_minutes_file})
        if (!p.empty()) in.push_back(p);
    return in;
}

int cmd_run(const std::vector<std::string>& args, const std::string& command_line) {
    po::options_description opts("cpcsim run options");
    opts.add_options()("scenario", po::value<std::string>()->required(), "scenario file (TOML)")(
        "out,o", po::value<std::string>()->default_value("results.h5"), "results file to write (HDF5)")(
        "all", "print every summary measure, not only the key outcomes")(
        "records", "also write one record per simulated child and per referral (docs/hdf5-schema.md)");
    add_simulation_options(opts);
    add_uncertainty_options(opts);
    po::positional_options_description pos;
    pos.add("scenario", 1);
    po::variables_map vm;
    if (!parse(args,
               "cpcsim run SCENARIO [--replicates N] [--seed S] [--threads T] [--out FILE] [--records] [--set k=v]... "
               "[--uncertainty prior|ENSEMBLE.h5]",
               opts, pos, vm))
        return 0;
    const auto o = simulation_options(vm);
    require_scenario_file(vm["scenario"].as<std::string>());
    Scenario sc = load_scenario(vm["scenario"].as<std::string>(), o.overrides, model_parameters());
    set_draws(sc, uncertainty_settings(vm, o.seed));
    note_set_over_ensemble(sc, vm["scenario"].as<std::string>());
    // Fails now if the path cannot be written or is one of the scenario's own files.
    io::AtomicOutput output(vm["out"].as<std::string>(), scenario_inputs(sc));
    const auto runs = simulate(sc, o, "run");
    const auto measures = measure_runs(sc, runs);
    io::write_run_file(output.temp_path(), provenance("run", sc, o, command_line), sc, runs, measures);
    if (sc.draws.on) io::write_draws(output.temp_path(), "/uncertainty", draws_table(sc, o.replicates));
    output.commit();
    std::cout << sc.name << "\n" << o.replicates << " replicates, seed " << o.seed;
    if (sc.draws.ensemble)
        std::cout << ", each " << sc.draws.per_draw << " sharing a parameter set of the calibrated ensemble "
                  << sc.draws.ensemble->file << " (" << sc.draws.ensemble->size()
                  << " sets): the intervals include the calibrated parameters' uncertainty";
    else if (sc.draws.on)
        std::cout << ", each " << sc.draws.per_draw << " sharing a parameter draw (uncertainty seed " << sc.draws.seed
                  << "): the intervals include parameter uncertainty";
    std::cout << "; mean [95% interval]\n\n";
    print_summary_table(std::cout, summaries_of(measures), vm.count("all") > 0);
    std::cout << "\nwritten: " << output.final_path().string() << "\n";
    return 0;
}

namespace {

/// Each SPPC and CCN team's staff time and what it gives at baseline funding (no vacancies).
void print_staff_time(const Scenario& sc, std::ostream& os) {
    const ModelParams P = ModelParams::from(sc.params);
    os << "\ncapacity from staff time (patient minutes per WTE per calendar day / minutes per contact, of which "
          "travel per home visit):\n"
       << "  " << std::left << std::setw(34) << "team" << std::right << std::setw(8) << "WTE" << std::setw(14)
       << "patient min" << std::setw(12) << "travel min" << std::setw(13) << "min/contact" << std::setw(14)
       << "per WTE-day" << std::setw(12) << "per day" << '\n';
    for (std::size_t p = 0; p < sc.providers.size(); ++p) {
        const auto& spec = sc.providers[p];
        if (spec.type != ProviderType::Sppc && spec.type != ProviderType::Ccn) continue;
        const StaffTime t = staff_time_capacity(sc, P, p);
        os << "  " << std::left << std::setw(34) << spec.id << std::right << std::fixed << std::setprecision(2)
           << std::setw(8) << spec.staff_wte << std::setprecision(1) << std::setw(14) << t.patient_minutes_per_wte_day
           << std::setw(12) << t.travel_minutes_per_visit << std::setw(13) << t.minutes_per_contact
           << std::setprecision(2) << std::setw(14) << t.contacts_per_wte_day << std::setw(12)
           << t.contacts_per_wte_day * spec.staff_wte << (t.from_table ? "  (providers table)" : "") << '\n';
    }
    os.unsetf(std::ios::floatfield);
}

}  // namespace

int cmd_check(const std::vector<std::string>& args, const std::string&) {
    po::options_description opts("cpcsim check options");
    opts.add_options()("scenario", po::value<std::string>()->required(), "scenario file (TOML)")(
        "set", po::value<std::vector<std::string>>()->composing(), "override a parameter: --set key=value")(
        "print", "print the resolved scenario (every parameter) as TOML")(
        "capacity", "print each SPPC and CCN team's capacity from staff time (docs/model.md)");
    po::positional_options_description pos;
    pos.add("scenario", 1);
    po::variables_map vm;
    if (!parse(args, "cpcsim check SCENARIO [--set k=v]... [--print] [--capacity]", opts, pos, vm)) return 0;
    require_scenario_file(vm["scenario"].as<std::string>());
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
    if (vm.count("capacity")) print_staff_time(sc, std::cout);
    return 0;
}

namespace {

/// The groups and datasets each kind of results file must hold (docs/hdf5-conventions.md);
/// every problem found, each naming the missing or inconsistent object.
std::vector<std::string> layout_problems(const io::File& f) {
    std::vector<std::string> problems;
    std::string kind;
    try {
        kind = f.string_attr("kind");
    } catch (const Error& e) {
        return {e.what()};
    }
    std::vector<std::string> runs_groups;
    std::vector<std::string> required;
    if (kind == "run") {
        runs_groups = {"/runs"};
        required = {"/labels"};
    } else if (kind == "compare") {
        runs_groups = {"/arms/A/runs", "/arms/B/runs"};
        required = {"/arms/A/labels", "/arms/B/labels", "/comparison/summary"};
    } else if (kind == "sweep") {
        runs_groups = {"/runs"};
        required = {"/labels", "/sweep/run_id", "/sweep/manifest"};
    } else {
        return {"root attribute 'kind' is \"" + kind + "\"; expected \"run\", \"compare\" or \"sweep\""};
    }
    for (const auto& p : required)
        if (!f.exists(p)) problems.push_back(p + " is missing (every " + kind + " file has it)");
    for (const auto& g : runs_groups) {
        if (!f.is_group(g)) {
            problems.push_back(g + " is missing (every " + kind + " file has it)");
            continue;
        }
        if (!f.is_dataset(g + "/summary")) {
            problems.push_back(g + "/summary is missing");
            continue;
        }
        // One row per run in every dataset of the group.
        const auto rows = f.open_dataset(g + "/summary").shape();
        for (const auto& name : f.open_group(g).children()) {
            const std::string p = g + "/" + name;
            if (!f.is_dataset(p)) continue;
            const auto shape = f.open_dataset(p).shape();
            if (shape.empty() || rows.empty() || shape[0] != rows[0])
                problems.push_back(p + " has " + io::shape_to_string(shape) + ", not one row per run like " + g +
                                   "/summary " + io::shape_to_string(rows));
        }
    }
    return problems;
}

}  // namespace

int cmd_info(const std::vector<std::string>& args, const std::string&) {
    po::options_description opts("cpcsim info options");
    opts.add_options()("file", po::value<std::string>()->required(), "results file (HDF5)")(
        "digest",
        "print one line per dataset instead: path, type, shape and SHA-256 of its values "
        "(attributes such as creation time and command line are left out)")(
        "verify", "also read every dataset in full through HDF5's checksums and decompression; exit 1 on damage");
    po::positional_options_description pos;
    pos.add("file", 1);
    po::variables_map vm;
    if (!parse(args, "cpcsim info FILE.h5 [--digest] [--verify]", opts, pos, vm)) return 0;
    const std::string path = vm["file"].as<std::string>();
    if (vm.count("digest") && !vm.count("verify")) {  // any HDF5 file, not only results files
        std::cout << io::format_digest(io::digest_file(path));
        return 0;
    }
    std::cout << io::describe_results(path);
    const io::File f = io::open_results(path);
    ProblemList problems;
    for (const auto& p : layout_problems(f)) problems.add({path, "", p});
    if (vm.count("verify")) {
        const io::Verification v = io::verify_datasets(f);
        for (const auto& d : v.damaged) problems.add({path, "", "damaged: " + d});
        if (v.damaged.empty())
            std::cout << "\nverified: every one of " << v.datasets
                      << " datasets read in full (checksums and decompression pass)\n";
    }
    problems.throw_if_any();
    return 0;
}

namespace {

/// The uncertain parameters of a scenario and their priors as JSON (one object per parameter):
/// the space `cpcsim calibrate --space prior` searches (analysis/calibrate.py).
void print_priors_json(std::ostream& os, const Scenario& sc) {
    const auto& specs = sc.params.registry().specs();
    const auto num = [](double v) {
        if (!std::isfinite(v)) return std::string("null");
        std::ostringstream s;
        s.precision(17);
        s << v;
        return s.str();
    };
    const auto list = [&](const std::vector<double>& v) {
        std::string out = "[";
        for (std::size_t k = 0; k < v.size(); ++k) out += (k ? ", " : "") + num(v[k]);
        return out + "]";
    };
    os << "[\n";
    bool first = true;
    for (const std::size_t i : uncertain_parameters(sc)) {
        const ParamSpec& spec = specs[i];
        const Distribution& d = sc.uncertainty[i];
        std::vector<double> q;
        for (const double u : {0.05, 0.5, 0.95}) q.push_back(d.quantile(u));
        std::string labels = "[";
        if (d.family == Family::Dirichlet)
            for (std::size_t k = 0; k < spec.labels.size(); ++k)
                labels += (k ? ", " : "") + explorer::json_string(spec.labels[k]);
        labels += "]";
        os << (first ? "" : ",\n") << "{\"key\": " << explorer::json_string(spec.key)
           << ", \"family\": " << explorer::json_string(family_name(d.family))
           << ", \"applies\": " << explorer::json_string(applies_name(d.applies)) << ", \"a\": " << num(d.a)
           << ", \"b\": " << num(d.b) << ", \"c\": " << num(d.c)
           << ", \"lower\": " << num(d.lower > -1e300 ? d.lower : std::nan(""))
           << ", \"upper\": " << num(d.upper < 1e300 ? d.upper : std::nan("")) << ", \"element\": " << d.element
           << ", \"quantiles\": " << quantile_count(d, spec, sc.params.values(i).size()) << ", \"columns\": " << labels
           << ", \"rows\": " << std::max<std::size_t>(1, spec.row_labels.size())
           << ", \"values\": " << list(sc.params.values(i)) << ", \"q05_50_95\": " << list(q)
           << ", \"describe\": " << explorer::json_string(d.describe()) << ", \"why\": " << explorer::json_string(d.why)
           << "}";
        first = false;
    }
    os << "\n]\n";
}

}  // namespace

int cmd_params(const std::vector<std::string>& args, const std::string&) {
    po::options_description opts("cpcsim params options");
    opts.add_options()("markdown", "print the parameter table as Markdown (docs/parameters.md)")(
        "priors", po::value<std::string>(),
        "SCENARIO: print the scenario's uncertain parameters and their priors as JSON (the prior space of "
        "`cpcsim calibrate`)")("set", po::value<std::vector<std::string>>()->composing(),
                               "with --priors: override a parameter (KEY=VALUE), repeatable");
    po::variables_map vm;
    if (!parse(args, "cpcsim params [--markdown] [--priors SCENARIO [--set KEY=VALUE]...]", opts, {}, vm)) return 0;
    if (vm.count("priors")) {
        const auto sets = vm.count("set") ? vm["set"].as<std::vector<std::string>>() : std::vector<std::string>{};
        const Scenario sc = load_scenario(vm["priors"].as<std::string>(), sets, model_parameters());
        print_priors_json(std::cout, sc);
        return 0;
    }
    print_parameter_table(std::cout, model_parameters(), vm.count("markdown") > 0);
    return 0;
}

}  // namespace cpcsim::cli
