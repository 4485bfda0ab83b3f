// cpcsim compare A B: both scenarios on the same seeds and replicate indices, so replicate i of
// A and of B simulate the same children (common random numbers) and B - A is a paired difference.
#include "cli/commands.hpp"
#include "cli/output.hpp"

#include "core/error.hpp"
#include "io/atomic_file.hpp"
#include "io/run_output.hpp"
#include "metrics/paired.hpp"
#include "metrics/summary.hpp"

#include <algorithm>
#include <cmath>
#include <iomanip>
#include <iostream>

namespace cpcsim::cli {

namespace {

void write_arm(io::File& file, const std::string& arm, const Scenario& sc, const std::vector<RunOutputs>& runs,
               const io::Provenance& p, bool root_provenance) {
    auto group = file.require_group("arms/" + arm);
    if (root_provenance) {
        io::write_provenance(file, p, "/arms/" + arm + "/scenario");
        // The root names the comparison; each arm's scenario group names its own scenario.
        file.open_group("arms/" + arm + "/scenario").set_string_attr("scenario_name", sc.name);
    } else {
        io::write_scenario_inputs(file, "/arms/" + arm + "/scenario", p);
    }
    io::write_labels(group, sc);
    std::vector<std::int64_t> ids;
    for (std::size_t i = 0; i < runs.size(); ++i) ids.push_back(static_cast<std::int64_t>(i));
    io::write_runs(group, sc, runs, ids);
}

}  // namespace

int cmd_compare(const std::vector<std::string>& args, const std::string& command_line) {
    po::options_description opts("cpcsim compare options");
    opts.add_options()("a", po::value<std::string>(), "scenario A (the reference)")("b", po::value<std::string>(),
                                                                                    "scenario B (the alternative)")(
        "out,o", po::value<std::string>()->default_value("compare.h5"), "results file to write (HDF5)")(
        "all", "print every summary measure, not only the key outcomes");
    add_simulation_options(opts);
    po::positional_options_description pos;
    pos.add("a", 1).add("b", 1);
    po::variables_map vm;
    if (!parse(args, "cpcsim compare A B [--replicates N] [--seed S] [--threads T] [--out FILE] [--set k=v]...", opts,
               pos, vm))
        return 0;
    if (!vm.count("a") || !vm.count("b"))
        throw UsageError(std::string("compare needs two scenarios, A (the reference) and B (the alternative): ") +
                         "cpcsim compare A.toml B.toml" +
                         (vm.count("a") ? "; only one was given (" + vm["a"].as<std::string>() + ")" : ""));
    const auto o = simulation_options(vm);
    require_scenario_file(vm["a"].as<std::string>());
    require_scenario_file(vm["b"].as<std::string>());
    // Load both before simulating either, so a bad B is reported at once.
    ProblemList problems;
    Scenario a, b;
    try {
        a = load_scenario(vm["a"].as<std::string>(), o.overrides);
    } catch (const Error& e) {
        for (const auto& p : e.problems()) problems.add(p);
    }
    try {
        b = load_scenario(vm["b"].as<std::string>(), o.overrides);
    } catch (const Error& e) {
        for (const auto& p : e.problems()) problems.add(p);
    }
    problems.throw_if_any();
    if (a.areas_csv != b.areas_csv)
        throw Error(vm["b"].as<std::string>(), "scenario.areas",
                    "the two scenarios must share the same areas table to be compared child for child");
    auto inputs = scenario_inputs(a);
    for (const auto& p : scenario_inputs(b)) inputs.push_back(p);
    io::AtomicOutput output(vm["out"].as<std::string>(), inputs);
    const auto runs_a = simulate(a, o, "A");
    const auto runs_b = simulate(b, o, "B");
    auto pa = provenance("compare", a, o, command_line);
    pa.scenario_name = a.name + " vs " + b.name;
    const auto pb = provenance("compare", b, o, command_line);
    const auto sa = summaries(a, runs_a), sb = summaries(b, runs_b);
    const auto& measures = summary_measures();
    {
        auto file = io::File::create(output.temp_path());
        write_arm(file, "A", a, runs_a, pa, true);
        write_arm(file, "B", b, runs_b, pb, false);
        // The paired comparison of every summary measure.
        std::vector<double> table;
        for (std::size_t m = 0; m < measures.size(); ++m) {
            std::vector<double> va, vb;
            for (std::size_t r = 0; r < sa.size(); ++r) va.push_back(sa[r][m]), vb.push_back(sb[r][m]);
            const auto c = compare_paired(va, vb);
            for (double x : {c.a.mean, c.a.low, c.a.high, c.b.mean, c.b.low, c.b.high, c.difference.mean,
                             c.difference.low, c.difference.high, c.unpaired_low, c.unpaired_high, c.narrowing})
                table.push_back(x);
        }
        file.write_dataset("comparison/summary", table, {measures.size(), 12},
                           {.dims = {"summary_measure", "statistic"},
                            .description = "per measure: A mean, low, high; B mean, low, high; B-A paired mean, "
                                           "low, high; unpaired low, high; narrowing of the interval by pairing"});
        file.write_strings("comparison/statistics",
                           {"a_mean", "a_low", "a_high", "b_mean", "b_low", "b_high", "diff_mean", "diff_low",
                            "diff_high", "unpaired_low", "unpaired_high", "narrowing"});
        std::vector<std::string> names;
        for (const auto& m : measures) names.push_back(m.name);
        file.write_strings("comparison/summary_measures", names);
        file.close();
    }
    output.commit();

    std::cout << "A: " << a.name << "\nB: " << b.name << "\n"
              << o.replicates << " paired replicates (same seed " << o.seed
              << ", same children); mean [95% interval]\n\n";
    // One row per measure; print_columns keeps long money values from running together.
    auto row = [](const std::string& name, const std::vector<double>& va, const std::vector<double>& vb) {
        const auto c = compare_paired(va, vb);
        const std::string narrow =
            std::isnan(c.narrowing) ? "n/a" : std::to_string(static_cast<int>(std::lround(c.narrowing * 100))) + "%";
        return std::vector<std::string>{
            name, format_interval(c.a.mean, c.a.low, c.a.high), format_interval(c.b.mean, c.b.low, c.b.high),
            format_interval(c.difference.mean, c.difference.low, c.difference.high), narrow};
    };
    const std::vector<std::string> header = {"measure", "A", "B", "B - A (paired)", "interval narrower by pairing"};
    std::vector<std::vector<std::string>> rows = {header};
    const auto& keys = key_measures();
    for (std::size_t m = 0; m < measures.size(); ++m) {
        if (!vm.count("all") && std::find(keys.begin(), keys.end(), measures[m].name) == keys.end()) continue;
        std::vector<double> va, vb;
        for (std::size_t r = 0; r < sa.size(); ++r) va.push_back(sa[r][m]), vb.push_back(sb[r][m]);
        rows.push_back(row(measures[m].name, va, vb));
    }
    print_columns(std::cout, rows);
    // Every equity measure, for access and for deaths at the preferred place, over the horizon.
    for (bool place : {false, true}) {
        std::cout << "\n  equity of " << (place ? "deaths at the preferred place" : "access")
                  << " (over the horizon)\n";
        std::vector<std::vector<std::pair<std::string, double>>> ea, eb;
        for (const auto& r : runs_a) ea.push_back(access_equity(a, r, 0, r.years, place).named());
        for (const auto& r : runs_b) eb.push_back(access_equity(b, r, 0, r.years, place).named());
        std::vector<std::vector<std::string>> equity;
        for (std::size_t m = 0; m < ea.front().size(); ++m) {
            std::vector<double> va, vb;
            for (std::size_t r = 0; r < ea.size(); ++r) va.push_back(ea[r][m].second), vb.push_back(eb[r][m].second);
            equity.push_back(row(ea.front()[m].first, va, vb));
        }
        print_columns(std::cout, equity);
    }
    std::cout << "\nwritten: " << output.final_path().string() << "\n";
    return 0;
}

}  // namespace cpcsim::cli
