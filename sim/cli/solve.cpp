// cpcsim solve SCENARIO --target 'MEASURE >= VALUE' --lever KEY=LO:HI [--lever ...]
// [--minimise MEASURE] [--confidence P] [--baseline FILE] [--out FILE.json|.csv]: the setting of
// the levers that meets the target in at least a share P of replicates at the least cost
// (docs/explorer.md, "cpcsim solve"; issue 15 item 3). One lever and no --minimise: bisection
// along the lever (assumed monotone). Otherwise a design, a surrogate, refinement and a
// verification on fresh replicates (sim/solve/search.hpp). Every evaluation runs the same
// replicates on the same seed (common random numbers).
#include "cli/commands.hpp"
#include "cli/output.hpp"

#include "core/error.hpp"
#include "io/atomic_file.hpp"
#include "metrics/summary.hpp"
#include "model/parameter_table.hpp"
#include "solve/search.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>

namespace cpcsim::cli {

namespace {

/// The library's parse errors are usage errors here (exit status 2, the usage line).
template <typename F>
auto as_usage(F&& f) {
    try {
        return f();
    } catch (const Error& e) {
        const auto& p = e.problems().front();
        throw UsageError(p.file + " '" + p.where + "': " + p.message);
    }
}

std::string percent(double share) {
    return std::to_string(static_cast<int>(std::lround(share * 100))) + "%";
}

std::string number(double x) {
    std::ostringstream o;
    o.precision(6);
    o << x;
    return o.str();
}

std::string setting(const std::vector<solve::Lever>& levers, const std::vector<double>& x) {
    std::string s;
    for (std::size_t j = 0; j < levers.size(); ++j) s += (j ? ", " : "") + levers[j].key + " = " + number(x[j]);
    return s;
}

void write_output(io::AtomicOutput& out, const std::string& text) {
    {
        std::ofstream f(out.temp_path(), std::ios::binary | std::ios::trunc);
        f << text;
        f.close();
        if (!f) throw Error(out.final_path().string(), "", "could not write the file");
    }
    out.commit();
}

/// One lever, no objective: today's bisection and its output.
int print_bisection(const solve::Bisection& b, const solve::Lever& lever, const solve::Target& target,
                    const solve::Settings& s, const SimulationOptions& o, long long runs) {
    std::cout << "target: " << target.text() << " in at least " << s.confidence * 100 << "% of " << o.replicates
              << " replicates (seed " << o.seed << ", the same children at every value)\n";
    std::cout << "lever: " << lever.key << " in [" << lever.low << ", " << lever.high << "]\n\n";
    auto points = b.result.points;
    std::sort(points.begin(), points.end(), [](const auto& p, const auto& q) { return p.x[0] < q.x[0]; });
    std::vector<std::vector<std::string>> rows = {{lever.key, target.measure + " mean [95% interval]", "share met"}};
    for (const auto& p : points)
        rows.push_back(
            {std::to_string(p.x[0]), format_interval(p.target.mean, p.target.low, p.target.high), percent(p.share())});
    std::cout << "response curve (" << points.size() << " values, " << runs << " runs):\n";
    print_columns(std::cout, rows);
    std::cout << "\n";
    if (!b.result.answer) {
        std::cout << "answer: none; the target is not met at " << lever.key << " = " << lever.high
                  << " (the high end) in " << s.confidence * 100 << "% of replicates\n";
        return 1;
    }
    const auto& a = b.result.points[*b.result.answer];
    if (a.x[0] == lever.low) {
        std::cout << "answer: " << lever.key << " = " << lever.low << " (the target is already met at the low end)\n";
        return 0;
    }
    std::cout << "answer: " << lever.key << " = " << a.x[0] << " (met in " << std::lround(a.share() * 100)
              << "% of replicates there, not at " << b.bracket_low << ": the threshold lies in [" << b.bracket_low
              << ", " << a.x[0] << "])\n";
    return 0;
}

int print_search(const solve::Result& r, const std::vector<solve::Lever>& levers, const solve::Target& target,
                 const solve::Settings& s, const SimulationOptions& o, const std::string& objective, long long runs) {
    std::cout << "target: " << target.text() << " in at least " << s.confidence * 100 << "% of " << o.replicates
              << " replicates (seed " << o.seed << ", the same children at every setting)\n";
    for (const auto& l : levers) std::cout << "lever: " << l.key << " in [" << l.low << ", " << l.high << "]\n";
    std::cout << "minimise: " << objective << "\n\n";
    std::vector<std::string> head = {"stage"};
    for (const auto& l : levers) head.push_back(l.key);
    head.push_back("share met");
    head.push_back(target.measure + (target.difference ? " change" : "") + " mean [95% interval]");
    head.push_back("objective mean [95% interval]");
    head.push_back("surrogate's share");
    std::vector<std::vector<std::string>> rows = {head};
    for (const auto& p : r.points) {
        std::vector<std::string> row = {p.stage};
        for (double x : p.x) row.push_back(number(x));
        row.push_back(percent(p.share()) + " of " + std::to_string(p.replicates));
        row.push_back(format_interval(p.target.mean, p.target.low, p.target.high));
        row.push_back(format_interval(p.objective.mean, p.objective.low, p.objective.high));
        row.push_back(p.predicted_share < 0 ? "" : percent(p.predicted_share));
        rows.push_back(row);
    }
    std::cout << "settings tried (" << r.points.size() << ", " << runs << " runs):\n";
    print_columns(std::cout, rows);
    std::cout << "\nsurrogate: " << (r.quadratic ? "quadratic" : "linear")
              << " in the levers, fitted to every replicate; R^2 of the target's mean " << number(r.surrogate_r2_target)
              << ", of the objective's " << number(r.surrogate_r2_objective) << "\n\n";
    if (!r.answer) {
        std::cout << "answer: none; no setting tried met the target in " << s.confidence * 100 << "% of replicates\n";
        return 1;
    }
    const auto& a = r.points[*r.answer];
    const std::string quantity = target.measure + (target.difference ? " change" : "");
    std::cout << "answer: " << setting(levers, a.x) << "\n  search (replicates 0-" << s.replicates - 1 << "): met in "
              << percent(a.share()) << "; " << quantity << " "
              << format_interval(a.target.mean, a.target.low, a.target.high) << "; objective "
              << format_interval(a.objective.mean, a.objective.low, a.objective.high) << "\n";
    if (r.verification) {
        const auto& v = *r.verification;
        const auto& w = r.verified_share;
        std::cout << "  verified on " << v.replicates << " fresh replicates (" << v.first << "-"
                  << v.first + v.replicates - 1 << "): met in " << percent(w.share) << " [95% interval "
                  << percent(w.low) << ", " << percent(w.high) << "]; " << quantity << " "
                  << format_interval(v.target.mean, v.target.low, v.target.high) << "; objective "
                  << format_interval(v.objective.mean, v.objective.low, v.objective.high) << "\n";
        if (w.share < s.confidence)
            std::cout << "  note: on fresh replicates the target is met less often than the " << s.confidence * 100
                      << "% asked (the search's share is optimistic for the setting it picked); a setting a "
                         "little above this one, or more --replicates, is safer\n";
    }
    return 0;
}

}  // namespace

int cmd_solve(const std::vector<std::string>& args, const std::string&) {
    po::options_description opts("cpcsim solve options");
    opts.add_options()("scenario", po::value<std::string>(), "scenario file (TOML)")(
        "target", po::value<std::string>(),
        "the target: 'MEASURE >= VALUE', 'MEASURE <= VALUE', or 'diff MEASURE >= VALUE' (the change from the "
        "baseline, per replicate)")("lever", po::value<std::vector<std::string>>()->composing(),
                                    "a lever and its range, e.g. funding.statutory_multiplier=0.5:2 (repeatable)")(
        "minimise", po::value<std::string>(), "the summary measure whose mean to minimise, e.g. cost_total_per_year")(
        "confidence", po::value<double>()->default_value(0.8), "least share of replicates that must meet the target")(
        "baseline", po::value<std::string>(), "baseline scenario of a diff target (default: the scenario itself)")(
        "out", po::value<std::string>(), "also write the settings tried and the answer to FILE.json or FILE.csv")(
        "tolerance", po::value<double>()->default_value(0.01),
        "one lever without --minimise: stop when the bracket is this share of the range")(
        "verify-replicates", po::value<std::string>(),
        "fresh replicates that verify the answer (default: 4 x --replicates)")(
        "design-points", po::value<std::string>(), "points of the first design (default: 2 x the surrogate's terms)")(
        "refine-points", po::value<std::string>(), "points of the refinement design (default: the surrogate's terms)");
    add_simulation_options(opts, false);
    po::positional_options_description pos;
    pos.add("scenario", 1);
    po::variables_map vm;
    if (!parse(args,
               "cpcsim solve SCENARIO --target 'MEASURE >= VALUE' --lever KEY=LOW:HIGH [--lever ...] "
               "[--minimise MEASURE] [--confidence P] [--baseline FILE] [--out FILE.json] [--replicates N] [--seed S]",
               opts, pos, vm))
        return 0;
    if (!vm.count("scenario") || !vm.count("target") || !vm.count("lever"))
        throw UsageError("solve needs a scenario, --target and --lever");
    const auto scenario = vm["scenario"].as<std::string>();
    require_scenario_file(scenario);
    const auto target = as_usage([&] { return solve::parse_target(vm["target"].as<std::string>()); });
    std::vector<solve::Lever> levers;
    for (const auto& text : vm["lever"].as<std::vector<std::string>>()) {
        levers.push_back(as_usage([&] { return solve::parse_lever(text, model_parameters()); }));
        for (std::size_t j = 0; j + 1 < levers.size(); ++j)
            if (levers[j].key == levers.back().key)
                throw UsageError("--lever '" + text + "': that lever is given twice");
    }
    std::optional<std::size_t> objective;
    if (vm.count("minimise"))
        objective = as_usage([&] { return solve::measure_index(vm["minimise"].as<std::string>(), "--minimise"); });
    solve::Settings s;
    s.confidence = vm["confidence"].as<double>();
    const double tolerance = vm["tolerance"].as<double>();
    if (!(s.confidence > 0 && s.confidence <= 1)) throw UsageError("--confidence must be in (0, 1]");
    if (!(tolerance > 0 && tolerance < 1)) throw UsageError("--tolerance must be in (0, 1)");
    if (vm.count("baseline") && !target.difference)
        throw UsageError("--baseline is for a target on a difference ('diff MEASURE >= VALUE')");
    auto o = simulation_options(vm);
    s.replicates = o.replicates;
    s.minimise = objective.has_value();
    s.verify_replicates = vm.count("verify-replicates")
                              ? static_cast<int>(whole_number_option(vm, "verify-replicates", 0, 100000))
                              : 4 * o.replicates;
    if (vm.count("design-points"))
        s.design_points = static_cast<int>(whole_number_option(vm, "design-points", 2, 10000));
    if (vm.count("refine-points"))
        s.refine_points = static_cast<int>(whole_number_option(vm, "refine-points", 1, 10000));
    s.design_seed = o.seed;
    std::optional<io::AtomicOutput> out;
    if (vm.count("out")) {
        const std::string path = vm["out"].as<std::string>();
        const auto ext = std::filesystem::path(path).extension();
        if (ext != ".json" && ext != ".csv") throw UsageError("--out '" + path + "': expected a .json or .csv file");
        std::vector<std::filesystem::path> inputs = {scenario};
        if (vm.count("baseline")) inputs.emplace_back(vm["baseline"].as<std::string>());
        out.emplace(path, inputs);  // fails now if the path cannot be written
    }
    const bool quiet = o.quiet;

    solve::ScenarioEvaluator::Options eo;
    eo.scenario = scenario;
    if (vm.count("baseline")) {
        eo.baseline_file = vm["baseline"].as<std::string>();
        require_scenario_file(eo.baseline_file.string());
    }
    eo.overrides = o.overrides;
    eo.seed = o.seed;
    eo.threads = o.threads;
    eo.objective = objective;
    solve::ScenarioEvaluator evaluator(levers, target, eo);
    const solve::Evaluate evaluate = [&](const std::vector<double>& x, int first, int count) {
        return evaluator(x, first, count);
    };
    s.on_point = [&](const std::vector<solve::Point>& points) {
        if (quiet) return;
        const auto& p = points.back();
        std::cerr << "solve: " << p.stage << " " << setting(levers, p.x) << ": met in " << percent(p.share()) << " of "
                  << p.replicates << "\n";
    };
    const std::string objective_name = objective ? vm["minimise"].as<std::string>() : "levers";

    int status = 0;
    solve::Result result;
    if (levers.size() == 1 && !objective) {
        const auto b = solve::bisect(levers.front(), target, s, tolerance, evaluate);
        result = b.result;
        status = print_bisection(b, levers.front(), target, s, o, evaluator.runs());
    } else {
        result = solve::search(levers, target, s, evaluate);
        status = print_search(result, levers, target, s, o,
                              objective ? objective_name + " (the mean over replicates)"
                                        : "the levers (the sum of their positions in their ranges, 0 at LOW and 1 at "
                                          "HIGH; --minimise a cost measure to weigh them by cost)",
                              evaluator.runs());
    }
    if (out) {
        const bool json = out->final_path().extension() == ".json";
        write_output(*out, json ? solve::result_json(result, levers, target, s, objective_name)
                                : solve::result_csv(result, levers));
        std::cout << "\nwritten: " << out->final_path().string() << "\n";
    }
    return status;
}

}  // namespace cpcsim::cli
