// cpcsim sweep plan | expand | run | merge | summary: parameter sweeps (docs/sweeps.md).
#include "cli/commands.hpp"
#include "cli/output.hpp"

#include "core/error.hpp"
#include "io/atomic_file.hpp"
#include "sweep/hash.hpp"
#include "sweep/manifest.hpp"
#include "sweep/mpi_farm.hpp"
#include "sweep/runner.hpp"
#include "sweep/summary.hpp"
#include "sweep/sweep_file.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <iomanip>
#include <iostream>
#include <limits>
#include <sstream>
#include <thread>

namespace cpcsim::cli {

namespace {

namespace fs = std::filesystem;
using namespace cpcsim::sweep;

const char* kSweepUsage =
    "usage: cpcsim sweep SUBCOMMAND [options]   (cpcsim sweep SUBCOMMAND --help for each)\n\n"
    "subcommands:\n"
    "  plan       write the manifest of a sweep file: one row per run (validates every design point)\n"
    "  expand     add the runs of an enlarged sweep file to an existing manifest, keeping its rows\n"
    "  run        run a sweep (threads, one array task's share, or MPI ranks under mpirun/srun)\n"
    "  merge      join the task files of an array job into one results file\n"
    "  summary    per design point mean [95% interval]; Morris elementary effects\n\n"
    "A SWEEP is a sweep file (TOML) or a manifest written by plan/expand. See docs/sweeps.md.\n";

std::vector<std::string> sets_of(const po::variables_map& vm) {
    return vm.count("set") ? vm["set"].as<std::vector<std::string>>() : std::vector<std::string>{};
}

std::vector<std::string> split_list(const std::string& s) {
    std::vector<std::string> out;
    std::string item;
    std::istringstream is(s);
    while (std::getline(is, item, ','))
        if (!item.empty()) out.push_back(item);
    return out;
}

/// A sweep file (planned now) or a manifest (read back); --set only with a sweep file.
/// UsageError for a scenario file given where a sweep file or manifest belongs.
void require_sweep_file(const std::string& path) {
    if (file_kind(path) == "scenario")
        throw UsageError(path + " is a scenario file, not a sweep: run it with 'cpcsim run " + path +
                         "', or write a sweep file whose [sweep] scenario names it (docs/sweeps.md)");
}

/// The parameter uncertainty asked for on the command line, with the sweep's seed as the
/// default uncertainty seed.
UncertaintySettings sweep_uncertainty(const po::variables_map& vm, const SweepSpec& spec) {
    return uncertainty_settings(vm, spec.seed);
}

/// True when the command line gives any of the uncertainty options (a manifest then must agree).
bool uncertainty_given(const po::variables_map& vm) {
    for (const char* name : {"uncertainty", "uncertainty-seed", "replicates-per-draw"})
        if (vm.count(name) && !vm[name].defaulted()) return true;
    return false;
}

Manifest manifest_from(const std::string& sweep, const po::variables_map& vm, LoadedSweep& loaded) {
    require_sweep_file(sweep);
    const auto sets = sets_of(vm);
    if (is_manifest_file(sweep)) {
        if (!sets.empty())
            throw UsageError("--set applies to sweep files only; a manifest already records its overrides");
        Manifest m = read_manifest(sweep);
        if (uncertainty_given(vm)) {
            UncertaintySettings asked = uncertainty_settings(vm, m.seed);
            if (!asked.on) asked = {};
            if (uncertainty_text(asked) != uncertainty_text(m.uncertainty))
                throw UsageError(sweep + " was planned with parameter uncertainty " + uncertainty_text(m.uncertainty) +
                                 ", but the command line asks for " + uncertainty_text(asked) +
                                 ": drop the --uncertainty options (the manifest records them) or plan again");
        }
        loaded = load_sweep(m);
        return m;
    }
    const SweepSpec spec = read_sweep_file(sweep, sets);
    return plan(spec, &loaded, sweep_uncertainty(vm, spec));
}

void write_text_atomically(const fs::path& path, const std::string& text, const std::vector<fs::path>& inputs) {
    io::AtomicOutput out(path, inputs);
    {
        std::ofstream os(out.temp_path(), std::ios::binary | std::ios::trunc);
        os << text;
        os.close();
        if (!os) throw Error(path.string(), "", "cannot write the file");
    }
    out.commit();
}

std::string describe(const Manifest& m) {
    std::ostringstream os;
    os << "sweep '" << m.sweep_name << "' (" << m.design << "): " << m.points.size() << " design points, "
       << m.runs.size() << " runs, " << m.parameters.size() << " parameters; seed " << m.seed << "; manifest "
       << hex64(m.hash());
    if (m.uncertainty.on)
        os << "\nparameter uncertainty: " << uncertainty_text(m.uncertainty)
           << "; replicate k of every point uses the same draw, swept parameters keep their swept values";
    return os.str();
}

int sweep_plan(const std::vector<std::string>& args) {
    po::options_description opts("cpcsim sweep plan options");
    opts.add_options()("sweep", po::value<std::string>()->required(), "sweep file (TOML)")(
        "out,o", po::value<std::string>(), "manifest file to write (CSV); without it the manifest goes to stdout")(
        "set", po::value<std::vector<std::string>>()->composing(),
        "override a parameter of every point: --set key=value");
    add_uncertainty_options(opts);
    po::positional_options_description pos;
    pos.add("sweep", 1);
    po::variables_map vm;
    if (!parse(args, "cpcsim sweep plan SWEEP.toml [-o MANIFEST.csv] [--set k=v]... [--uncertainty prior]", opts, pos,
               vm))
        return 0;
    require_sweep_file(vm["sweep"].as<std::string>());
    const SweepSpec spec = read_sweep_file(vm["sweep"].as<std::string>(), sets_of(vm));
    if (vm.count("out")) io::check_output_path(vm["out"].as<std::string>(), {spec.file, spec.scenario});
    const Manifest m = plan(spec, nullptr, sweep_uncertainty(vm, spec));
    if (!vm.count("out")) {
        std::cout << to_csv(m, fs::current_path());
        return 0;
    }
    const fs::path out = vm["out"].as<std::string>();
    write_text_atomically(out, to_csv(m, out.parent_path().empty() ? fs::path(".") : out.parent_path()),
                          {spec.file, spec.scenario});
    std::cout << describe(m) << "\nwritten: " << out.string() << "\n";
    return 0;
}

int sweep_expand(const std::vector<std::string>& args) {
    po::options_description opts("cpcsim sweep expand options");
    opts.add_options()("sweep", po::value<std::string>()->required(), "the enlarged sweep file (TOML)")(
        "manifest,m", po::value<std::string>()->required(), "the existing manifest (CSV)")(
        "out,o", po::value<std::string>(), "manifest to write (default: replace --manifest)")(
        "set", po::value<std::vector<std::string>>()->composing(),
        "override a parameter of every point, as when planned");
    add_uncertainty_options(opts);
    po::positional_options_description pos;
    pos.add("sweep", 1);
    po::variables_map vm;
    if (!parse(args, "cpcsim sweep expand SWEEP.toml --manifest OLD.csv [-o NEW.csv] [--set k=v]...", opts, pos, vm))
        return 0;
    const Manifest old = read_manifest(vm["manifest"].as<std::string>());
    const SweepSpec spec = read_sweep_file(vm["sweep"].as<std::string>(), sets_of(vm));
    // The enlarged plan keeps the manifest's uncertainty unless the command line gives another
    // (which expand then refuses).
    const Manifest fresh = plan(spec, nullptr, uncertainty_given(vm) ? sweep_uncertainty(vm, spec) : old.uncertainty);
    int np = 0, nr = 0;
    const Manifest m = expand(old, fresh, &np, &nr);
    // Replacing --manifest is what expand is for (the default); never the sweep file or scenario.
    const fs::path out = vm.count("out") ? vm["out"].as<std::string>() : vm["manifest"].as<std::string>();
    write_text_atomically(out, to_csv(m, out.parent_path().empty() ? fs::path(".") : out.parent_path()),
                          {spec.file, spec.scenario});
    std::cout << "kept " << old.runs.size() << " runs (ids 0 to " << static_cast<long long>(old.runs.size()) - 1
              << ") and " << old.points.size() << " points unchanged; added " << np << " points and " << nr << " runs";
    if (nr > 0) std::cout << " (ids " << old.runs.size() << " to " << m.runs.size() - 1 << ")";
    std::cout << "\n" << describe(m) << "\nwritten: " << out.string() << "\n";
    return 0;
}

/// The hook behind the hidden --test-fail-runs and --test-delay-ms options, which only the sweep
/// shell tests use (a failing run on an MPI rank, a kill -9 that lands midway): listed runs throw
/// "injected failure", and every run sleeps `delay_ms` before its part file is committed.
std::function<void(std::int64_t)> test_hook(std::vector<std::int64_t> fail_runs, int delay_ms) {
    if (fail_runs.empty() && delay_ms <= 0) return {};
    return [fail_runs = std::move(fail_runs), delay_ms](std::int64_t run) {
        if (delay_ms > 0) std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms));
        if (std::find(fail_runs.begin(), fail_runs.end(), run) != fail_runs.end())
            throw Error("", "", "injected failure (--test-fail-runs)");
    };
}

void print_report(const Manifest& m, const RunOptions& o, const RunReport& r) {
    const double rate = r.seconds > 0 ? static_cast<double>(r.simulated) / r.seconds : 0;
    std::cout << describe(m) << "\n";
    if (o.tasks > 0) std::cout << "task " << o.task << " of " << o.tasks << ": " << r.share << " runs\n";
    std::cout << r.simulated << " runs simulated";
    if (r.already_done > 0) std::cout << ", " << r.already_done << " already complete";
    std::cout << std::fixed << std::setprecision(1) << " in " << r.seconds << " s";
    if (r.simulated > 0) std::cout << " (" << std::setprecision(2) << rate << " runs/s)";
    std::cout << "\n";
    if (r.written) std::cout << "written: " << o.out.string() << "\n";
    if (!r.failures.empty()) {
        std::cerr << "cpcsim sweep run: " << r.failures.size() << " of " << r.share << " runs failed:\n";
        for (const auto& f : r.failures) {
            const auto& row = m.runs.at(static_cast<std::size_t>(f.run));
            std::cerr << "  run " << f.run << " (design point " << row.point << " '"
                      << m.points[static_cast<std::size_t>(row.point)].name << "', replicate " << row.replicate
                      << "): " << f.reason << "\n";
        }
        std::cerr << "the other runs are kept in " << parts_dir_of(o.out).string()
                  << "/; fix the cause and run the same command with --resume to finish\n";
    }
}

int sweep_run(const std::vector<std::string>& args, const std::string& command_line) {
    po::options_description opts("cpcsim sweep run options");
    opts.add_options()("sweep", po::value<std::string>()->required(), "sweep file (TOML) or manifest (CSV)")(
        "out,o", po::value<std::string>()->required(),
        "results file (HDF5); with --task, this task's file ('{task}' is replaced by the task index)")(
        "threads,t", po::value<std::string>()->default_value("0"),
        "simulation threads (0 = all cores; under MPI: per rank, 0 = 1)")(
        "task", po::value<std::string>(), "run only the share of task I (run id % N == I): a job array task")(
        "tasks", po::value<std::string>(), "number of tasks N the runs are shared between")(
        "resume", "keep completed runs (in OUT.parts/, or rows of an existing OUT) and run only the missing ones")(
        "keep-parts", "keep OUT.parts/ (one file per run) after writing OUT")(
        "mpi", po::value<std::string>()->default_value("auto"),
        "auto: farm runs over MPI ranks when started by mpirun or srun --mpi; on; off")(
        "set", po::value<std::vector<std::string>>()->composing(),
        "override a parameter of every point (sweep files only)")("quiet,q", "no progress output");
    add_uncertainty_options(opts);
    po::positional_options_description pos;
    po::options_description testing("for tests only (not listed)");
    testing.add_options()("test-fail-runs", po::value<std::string>(), "these runs fail (comma-separated ids)")(
        "test-delay-ms", po::value<int>()->default_value(0), "every run sleeps this long before committing");
    pos.add("sweep", 1);
    po::variables_map vm;
    if (!parse(args,
               "cpcsim sweep run SWEEP --out FILE.h5 [--threads T] [--task I --tasks N] [--resume] [--keep-parts] "
               "[--set k=v]... [--uncertainty prior]\n       mpirun -np P cpcsim sweep run SWEEP --out FILE.h5",
               opts, pos, vm, &testing))
        return 0;
    RunOptions o;
    o.threads = threads_option(vm);
    if (vm.count("task") != vm.count("tasks")) throw UsageError("--task and --tasks go together");
    if (vm.count("tasks")) {
        o.tasks = static_cast<int>(whole_number_option(vm, "tasks", 1, std::numeric_limits<int>::max()));
        o.task = static_cast<int>(whole_number_option(vm, "task", 0, std::numeric_limits<int>::max()));
        if (o.tasks < 1) throw UsageError("--tasks must be 1 or more");
        if (o.task < 0 || o.task >= o.tasks)
            throw UsageError("--task must be between 0 and " + std::to_string(o.tasks - 1));
    }
    std::string out = vm["out"].as<std::string>();
    if (const auto at = out.find("{task}"); at != std::string::npos) {
        if (o.tasks == 0) throw UsageError("'{task}' in --out needs --task and --tasks");
        out.replace(at, 6, std::to_string(o.task));
    }
    o.out = out;
    // The sweep file or manifest (and, with --resume, OUT itself, which is read and replaced).
    io::check_output_path(o.out, {fs::path(vm["sweep"].as<std::string>())});
    o.resume = vm.count("resume") > 0;
    o.keep_parts = vm.count("keep-parts") > 0;
    o.command_line = command_line;
    std::vector<std::int64_t> fail_runs;
    if (vm.count("test-fail-runs"))
        for (const auto& item : split_list(vm["test-fail-runs"].as<std::string>()))
            fail_runs.push_back(std::stoll(item));
    o.before_commit = test_hook(std::move(fail_runs), vm["test-delay-ms"].as<int>());
    const bool quiet = vm.count("quiet") > 0;
    const std::string mode = vm["mpi"].as<std::string>();
    if (mode != "auto" && mode != "on" && mode != "off") throw UsageError("--mpi must be auto, on or off");
    const bool use_mpi = mode == "on" || (mode == "auto" && launched_by_mpi());
    if (!use_mpi && mode == "auto" && launched_by_mpi() && !mpi_built())
        throw Error("", "", "started by an MPI launcher, but this cpcsim was built without MPI");

    if (!use_mpi) {
        LoadedSweep loaded;
        const Manifest m = manifest_from(vm["sweep"].as<std::string>(), vm, loaded);
        Progress progress("sweep", !quiet);
        const auto report = run_sweep(m, loaded, o, [&](int done, int total) { progress.update(done, total); });
        progress.finish();
        print_report(m, o, report);
        return report.failures.empty() && report.written ? 0 : 1;
    }

    MpiSession session;
    LoadedSweep loaded;
    Manifest m;
    std::string error;
    try {
        m = manifest_from(vm["sweep"].as<std::string>(), vm, loaded);
    } catch (const std::exception& e) {
        error = e.what();
    }
    if (!session.all_ok(error.empty())) {
        if (session.rank() == 0) {
            if (error.empty()) error = "another MPI rank could not load the sweep";
            throw Error("", "", error);
        }
        return 1;
    }
    Progress progress("sweep", !quiet && session.rank() == 0);
    RunReport report;
    try {
        report = run_sweep_mpi(session, m, loaded, o, [&](int done, int total) { progress.update(done, total); });
    } catch (const Error& e) {
        if (session.rank() != 0 && std::string(e.what()).empty()) return 1;
        throw;
    }
    progress.finish();
    if (session.rank() != 0) return 0;
    std::cout << "MPI: " << session.size() << " ranks x " << (o.threads > 0 ? o.threads : 1) << " threads\n";
    print_report(m, o, report);
    return report.failures.empty() && report.written ? 0 : 1;
}

int sweep_merge(const std::vector<std::string>& args, const std::string& command_line) {
    po::options_description opts("cpcsim sweep merge options");
    opts.add_options()("files", po::value<std::vector<std::string>>()->required(), "task files (HDF5)")(
        "out,o", po::value<std::string>()->required(), "results file to write (HDF5)")(
        "manifest,m", po::value<std::string>(),
        "check that every task file was made for this manifest (CSV) or sweep file")(
        "remove-tasks", "delete the task files after writing the results");
    add_uncertainty_options(opts);  // with a sweep file for --manifest: as when it was run
    po::positional_options_description pos;
    pos.add("files", -1);
    po::variables_map vm;
    if (!parse(args, "cpcsim sweep merge --out RESULTS.h5 TASK.h5... [--manifest MANIFEST.csv|SWEEP.toml]", opts, pos,
               vm))
        return 0;
    std::vector<fs::path> files;
    for (const auto& f : vm["files"].as<std::vector<std::string>>()) files.emplace_back(f);
    MergeOptions mo;
    mo.command_line = command_line;
    Manifest expected;
    if (vm.count("manifest")) {
        const std::string p = vm["manifest"].as<std::string>();
        if (is_manifest_file(p)) {
            expected = read_manifest(p);
        } else {
            const SweepSpec spec = read_sweep_file(p);
            expected = plan(spec, nullptr, sweep_uncertainty(vm, spec));
        }
        mo.expected = &expected;
    }
    const fs::path out = vm["out"].as<std::string>();
    std::vector<fs::path> inputs = files;
    if (vm.count("manifest")) inputs.emplace_back(vm["manifest"].as<std::string>());
    // Before anything is read: the output must be none of the task files (which --remove-tasks
    // deletes afterwards) nor the manifest.
    io::check_output_path(out, inputs);
    merge(files, out, mo);
    std::cout << "merged " << files.size() << " task files\nwritten: " << out.string() << "\n";
    if (vm.count("remove-tasks")) {
        const fs::path written = io::output_target(out);
        for (const auto& f : files) {
            std::error_code ec;
            if (!fs::equivalent(f, written, ec)) fs::remove(f, ec);
        }
    }
    return 0;
}

/// Three significant figures (whole numbers from 1000 up), "n/a" for NaN.
std::string number(double v) {
    if (std::isnan(v)) return "n/a";
    char buf[64];
    if (std::fabs(v) >= 1000)
        std::snprintf(buf, sizeof buf, "%.0f", v);
    else
        std::snprintf(buf, sizeof buf, "%.3g", v);
    return buf;
}

int sweep_summary(const std::vector<std::string>& args) {
    po::options_description opts("cpcsim sweep summary options");
    opts.add_options()("file", po::value<std::string>()->required(), "sweep results file (HDF5)")(
        "all", "every summary measure, not only the key outcomes")("measures", po::value<std::string>(),
                                                                   "comma-separated summary measures to show")(
        "outcomes", po::value<std::string>(),
        "Morris: comma-separated outcomes to rank the parameters by "
        "(default access_rate,preferred_place_rate,cost_total_per_year,access_sii)")(
        "csv", "print the per-point table as CSV (point_id,point_name,measure,unit,n,mean,low,high)");
    po::positional_options_description pos;
    pos.add("file", 1);
    po::variables_map vm;
    if (!parse(args, "cpcsim sweep summary RESULTS.h5 [--all | --measures a,b] [--outcomes a,b] [--csv]", opts, pos,
               vm))
        return 0;
    const auto outcomes =
        vm.count("outcomes") ? split_list(vm["outcomes"].as<std::string>()) : default_morris_outcomes();
    const SweepSummary s = summarise_sweep(vm["file"].as<std::string>(), outcomes);
    std::vector<std::string> wanted =
        vm.count("measures") ? split_list(vm["measures"].as<std::string>()) : key_measures();
    for (const auto& w : wanted)
        if (std::find(s.measures.begin(), s.measures.end(), w) == s.measures.end())
            throw UsageError("no summary measure named '" + w + "' (see the file's labels/summary_measures)");
    auto shown = [&](const std::string& name) {
        return vm.count("all") > 0 || std::find(wanted.begin(), wanted.end(), name) != wanted.end();
    };
    if (vm.count("csv")) {
        std::cout << "point_id,point_name,measure,unit,n,mean,low,high\n";
        std::cout << std::setprecision(17);
        for (const auto& p : s.points)
            for (std::size_t m = 0; m < s.measures.size(); ++m) {
                if (!shown(s.measures[m])) continue;
                const auto& ci = p.measures[m];
                std::string name = p.name;
                if (name.find_first_of(",\"") != std::string::npos) {
                    std::string q = "\"";
                    for (const char c : name) q += c == '"' ? std::string("\"\"") : std::string(1, c);
                    name = q + "\"";
                }
                std::cout << p.point << "," << name << "," << s.measures[m] << "," << s.units[m] << "," << ci.n << ","
                          << ci.mean << "," << ci.low << "," << ci.high << "\n";
            }
        return 0;
    }
    std::cout << "sweep '" << s.sweep_name << "' (" << s.design << "): " << s.points.size() << " design points, "
              << s.runs << " runs";
    if (s.runs != s.manifest_runs) std::cout << " (of " << s.manifest_runs << " in the manifest)";
    std::cout << "; mean [95% interval] over replicates\n";
    for (const auto& p : s.points) {
        std::cout << "\npoint " << p.point << ": " << p.name << " (" << p.runs << " runs)";
        std::string flat = p.settings;  // grid point names already list the settings
        for (std::size_t at; (at = flat.find("; ")) != std::string::npos;) flat.replace(at, 2, " ");
        if (!p.settings.empty() && flat != p.name) std::cout << "\n  " << p.settings;
        std::cout << "\n";
        for (std::size_t m = 0; m < s.measures.size(); ++m) {
            if (!shown(s.measures[m])) continue;
            const auto& ci = p.measures[m];
            std::cout << "  " << std::left << std::setw(34) << s.measures[m] << std::setw(28)
                      << format_interval(ci.mean, ci.low, ci.high) + " " << s.units[m] << "\n";
        }
    }
    if (!s.morris.empty()) {
        int trajectories = 0;
        for (const auto& e : s.morris.front().effects) trajectories = std::max(trajectories, e.n);
        std::cout
            << "\nMorris elementary effects: mu* = mean |effect| (importance), mu = mean effect (sign), sigma = SD\n"
               "(non-linearity or interactions); an effect is the change in the outcome per move of the parameter\n"
               "across its whole range, from up to "
            << trajectories << " trajectories, on each point's mean over its replicates\n";
        for (const auto& r : s.morris) {
            std::size_t w = 9;
            for (const auto& e : r.effects) w = std::max(w, e.parameter.size());
            std::cout << "\n"
                      << r.outcome << "\n  " << std::left << std::setw(6) << "rank"
                      << std::setw(static_cast<int>(w) + 2) << "parameter" << std::setw(14) << "mu*" << std::setw(14)
                      << "mu" << std::setw(14) << "sigma"
                      << "n\n";
            int rank = 1;
            for (const auto& e : r.effects)
                std::cout << "  " << std::setw(6) << rank++ << std::setw(static_cast<int>(w) + 2) << e.parameter
                          << std::setw(14) << number(e.mu_star) << std::setw(14) << number(e.mu) << std::setw(14)
                          << number(e.sigma) << e.n << "\n";
        }
    }
    return 0;
}

}  // namespace

int cmd_sweep(const std::vector<std::string>& args, const std::string& command_line) {
    if (args.empty()) {
        std::cerr << kSweepUsage;
        return 2;
    }
    const std::string sub = args.front();
    const std::vector<std::string> rest(args.begin() + 1, args.end());
    if (sub == "--help" || sub == "-h" || sub == "help") {
        std::cout << kSweepUsage;
        return 0;
    }
    if (sub == "plan") return sweep_plan(rest);
    if (sub == "expand") return sweep_expand(rest);
    if (sub == "run") return sweep_run(rest, command_line);
    if (sub == "merge") return sweep_merge(rest, command_line);
    if (sub == "summary") return sweep_summary(rest);
    throw UsageError("unknown sweep subcommand '" + sub + "'; expected plan, expand, run, merge or summary");
}

}  // namespace cpcsim::cli
