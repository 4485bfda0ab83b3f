// cpcsim compare A B: both scenarios on the same seeds and replicate indices, so replicate i of
// A and of B simulate the same children (common random numbers) and B - A is a paired difference.
#include "cli/commands.hpp"
#include "cli/output.hpp"

#include "core/error.hpp"
#include "io/atomic_file.hpp"
#include "io/compare_file.hpp"
#include "metrics/run_measures.hpp"
#include "metrics/summary.hpp"
#include "model/parameter_table.hpp"

#include <algorithm>
#include <cmath>
#include <iomanip>
#include <iostream>
#include <optional>

namespace cpcsim::cli {

namespace {

/// One row of the printed comparison: A, B, the paired difference and how much pairing narrows the interval.
std::vector<std::string> comparison_row(const std::string& name, const PairedComparison& c) {
    const std::string narrow =
        std::isnan(c.narrowing) ? "n/a" : std::to_string(static_cast<int>(std::lround(c.narrowing * 100))) + "%";
    return {name, format_interval(c.a.mean, c.a.low, c.a.high), format_interval(c.b.mean, c.b.low, c.b.high),
            format_interval(c.difference.mean, c.difference.low, c.difference.high), narrow};
}

}  // namespace

int cmd_compare(const std::vector<std::string>& args, const std::string& command_line) {
    po::options_description opts("cpcsim compare options");
    opts.add_options()("a", po::value<std::string>(), "scenario A (the reference)")("b", po::value<std::string>(),
                                                                                    "scenario B (the alternative)")(
        "out,o", po::value<std::string>()->default_value("compare.h5"), "results file to write (HDF5)")(
        "all", "print every summary measure, not only the key outcomes")(
        "records", "also write one record per simulated child and per referral in each arm (docs/hdf5-schema.md)");
    add_simulation_options(opts);
    add_uncertainty_options(opts);
    po::positional_options_description pos;
    pos.add("a", 1).add("b", 1);
    po::variables_map vm;
    if (!parse(args,
               "cpcsim compare A B [--replicates N] [--seed S] [--threads T] [--out FILE] [--records] [--set k=v]...",
               opts, pos, vm))
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
        a = load_scenario(vm["a"].as<std::string>(), o.overrides, model_parameters());
    } catch (const Error& e) {
        for (const auto& p : e.problems()) problems.add(p);
    }
    try {
        b = load_scenario(vm["b"].as<std::string>(), o.overrides, model_parameters());
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
    const UncertaintySettings u = uncertainty_settings(vm, o.seed);
    set_draws(a, u);
    set_draws(b, u);
    note_set_over_ensemble(a, vm["a"].as<std::string>());
    note_set_over_ensemble(b, vm["b"].as<std::string>());
    const auto runs_a = simulate(a, o, "A");
    const auto runs_b = simulate(b, o, "B");
    const auto ma = measure_runs(a, runs_a), mb = measure_runs(b, runs_b);
    const auto summary = compare_summaries(ma, mb);
    const auto pa = provenance("compare", a, o, command_line), pb = provenance("compare", b, o, command_line);
    io::write_compare_file(output.temp_path(), {a, pa, runs_a, ma}, {b, pb, runs_b, mb}, summary);
    std::optional<ComparisonUncertainty> uncertainty;
    std::vector<std::string> draw_columns;
    if (a.draws.on) {
        // Both arms share each draw: a parameter drawn in one arm and fixed in the other (the
        // arm sets its own value) appears only in the drawing arm's table.
        const auto da = draws_table(a, o.replicates), db = draws_table(b, o.replicates);
        io::write_draws(output.temp_path(), "/arms/A/uncertainty", da);
        io::write_draws(output.temp_path(), "/arms/B/uncertainty", db);
        draw_columns = da.columns;
        uncertainty = analyse_comparison(summaries_of(ma), summaries_of(mb), da.rows, a.draws.per_draw);
        io::write_comparison_uncertainty(output.temp_path(), *uncertainty, draw_columns);
    }
    output.commit();

    std::cout << "A: " << a.name << "\nB: " << b.name << "\n"
              << o.replicates << " paired replicates (same seed " << o.seed
              << ", same children); mean [95% interval]\n\n";
    // One row per measure; print_columns keeps long money values from running together.
    const std::vector<std::string> header = {"measure", "A", "B", "B - A (paired)", "interval narrower by pairing"};
    std::vector<std::vector<std::string>> rows = {header};
    const auto& measures = summary_measures();
    const auto& keys = key_measures();
    for (std::size_t m = 0; m < measures.size(); ++m)
        if (vm.count("all") || std::find(keys.begin(), keys.end(), measures[m].name) != keys.end())
            rows.push_back(comparison_row(measures[m].name, summary[m]));
    print_columns(std::cout, rows);
    // Every equity measure, for access and for deaths at the preferred place, over the horizon.
    const auto equity_names = EquitySummary::names();
    for (const bool place : {false, true}) {
        std::cout << "\n  equity of " << (place ? "deaths at the preferred place" : "access")
                  << " (over the horizon)\n";
        const auto c = compare_horizon_equity(ma, mb, place);
        std::vector<std::vector<std::string>> equity;
        for (std::size_t m = 0; m < c.size(); ++m) equity.push_back(comparison_row(equity_names[m], c[m]));
        print_columns(std::cout, equity);
    }
    if (uncertainty) print_comparison_uncertainty(std::cout, *uncertainty, draw_columns, a.draws.per_draw);
    std::cout << "\nwritten: " << output.final_path().string() << "\n";
    return 0;
}

}  // namespace cpcsim::cli
