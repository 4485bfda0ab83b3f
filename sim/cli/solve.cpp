// cpcsim solve SCENARIO --target 'MEASURE >= VALUE' --lever KEY=LO:HI [--confidence P]: the
// smallest value of one lever at which the target is met in at least a share P of replicates,
// by bisection along the lever (assumed monotone: more of it never makes the target less likely).
// Every evaluation runs the same replicates on the same seed (common random numbers), so the
// comparison between two lever values is not blurred by different children. Issue 15 item 3, a
// first part: one lever (docs/explorer.md, "cpcsim solve").
#include "cli/commands.hpp"
#include "cli/output.hpp"

#include "core/error.hpp"
#include "metrics/run_measures.hpp"
#include "metrics/summary.hpp"
#include "model/parameter_table.hpp"

#include <algorithm>
#include <cmath>
#include <iostream>
#include <map>
#include <regex>
#include <sstream>

namespace cpcsim::cli {

namespace {

struct Target {
    std::size_t measure = 0;
    std::string name;
    bool at_least = true;
    double value = 0;
    [[nodiscard]] bool met(double v) const { return std::isfinite(v) && (at_least ? v >= value : v <= value); }
};

Target parse_target(const std::string& text) {
    static const std::regex form(R"(^\s*([a-z0-9_]+)\s*(>=|<=)\s*([-+]?[0-9]*\.?[0-9]+([eE][-+]?[0-9]+)?)\s*$)");
    std::smatch m;
    if (!std::regex_match(text, m, form))
        throw UsageError("--target '" + text +
                         "': expected MEASURE >= VALUE or MEASURE <= VALUE, e.g. 'access_rate >= 0.27'");
    Target t;
    t.name = m[1];
    t.at_least = m[2] == ">=";
    t.value = std::stod(m[3]);
    const auto& measures = summary_measures();
    const auto it = std::find_if(measures.begin(), measures.end(), [&](const Measure& x) { return x.name == t.name; });
    if (it == measures.end())
        throw UsageError("--target: '" + t.name + "' is not a summary measure (cpcsim run --all lists them)");
    t.measure = static_cast<std::size_t>(it - measures.begin());
    return t;
}

struct Lever {
    std::string key;
    double low = 0, high = 0;
};

Lever parse_lever(const std::string& text) {
    static const std::regex form(R"(^([a-z0-9_.]+)=([-+0-9.eE]+):([-+0-9.eE]+)$)");
    std::smatch m;
    if (!std::regex_match(text, m, form))
        throw UsageError("--lever '" + text + "': expected KEY=LOW:HIGH, e.g. funding.statutory_multiplier=0.5:2");
    Lever l{m[1], 0, 0};
    try {
        l.low = std::stod(m[2]);
        l.high = std::stod(m[3]);
    } catch (const std::exception&) {
        throw UsageError("--lever '" + text + "': LOW and HIGH must be numbers");
    }
    const auto* spec = model_parameters().find(l.key);
    if (!spec || !spec->is_scalar() || spec->kind == ParamKind::Boolean)
        throw UsageError("--lever: '" + l.key + "' is not a numeric scalar parameter (cpcsim params lists them)");
    if (!(l.low < l.high)) throw UsageError("--lever '" + text + "': LOW must be below HIGH");
    return l;
}

struct Point {
    double x = 0;
    Interval outcome;
    double share_met = 0;  ///< share of replicates meeting the target
};

}  // namespace

int cmd_solve(const std::vector<std::string>& args, const std::string&) {
    po::options_description opts("cpcsim solve options");
    opts.add_options()("scenario", po::value<std::string>(), "scenario file (TOML)")(
        "target", po::value<std::string>(), "the target, e.g. 'access_rate >= 0.27'")(
        "lever", po::value<std::string>(), "the lever and its range, e.g. funding.statutory_multiplier=0.5:2")(
        "confidence", po::value<double>()->default_value(0.8), "least share of replicates that must meet the target")(
        "tolerance", po::value<double>()->default_value(0.01), "stop when the bracket is this share of the range");
    add_simulation_options(opts);
    po::positional_options_description pos;
    pos.add("scenario", 1);
    po::variables_map vm;
    if (!parse(args,
               "cpcsim solve SCENARIO --target 'MEASURE >= VALUE' --lever KEY=LOW:HIGH [--confidence P] "
               "[--replicates N] [--seed S]",
               opts, pos, vm))
        return 0;
    if (!vm.count("scenario") || !vm.count("target") || !vm.count("lever"))
        throw UsageError("solve needs a scenario, --target and --lever");
    require_scenario_file(vm["scenario"].as<std::string>());
    const auto target = parse_target(vm["target"].as<std::string>());
    const auto lever = parse_lever(vm["lever"].as<std::string>());
    const double confidence = vm["confidence"].as<double>(), tolerance = vm["tolerance"].as<double>();
    if (!(confidence > 0 && confidence <= 1)) throw UsageError("--confidence must be in (0, 1]");
    if (!(tolerance > 0 && tolerance < 1)) throw UsageError("--tolerance must be in (0, 1)");
    auto o = simulation_options(vm);
    const bool quiet = o.quiet;
    o.quiet = true;  // one line per value below, not a progress bar per value

    std::map<double, Point> curve;
    const auto evaluate = [&](double x) -> const Point& {
        if (const auto it = curve.find(x); it != curve.end()) return it->second;
        auto overrides = o.overrides;
        std::ostringstream v;
        v.precision(17);
        v << x;
        overrides.push_back(lever.key + "=" + v.str());
        const auto sc = load_scenario(vm["scenario"].as<std::string>(), overrides, model_parameters());
        const auto measures = measure_runs(sc, simulate(sc, o, ""));
        std::vector<double> values;
        int met = 0;
        for (const auto& m : measures) {
            values.push_back(m.summary[target.measure]);
            met += target.met(values.back()) ? 1 : 0;
        }
        Point p{x, mean_interval(values), static_cast<double>(met) / static_cast<double>(values.size())};
        if (!quiet) std::cerr << "solve: " << lever.key << " = " << x << ": " << p.share_met << " met\n";
        return curve.emplace(x, p).first->second;
    };

    const bool low_ok = evaluate(lever.low).share_met >= confidence;
    const bool high_ok = evaluate(lever.high).share_met >= confidence;
    double lo = lever.low, hi = lever.high;
    if (!low_ok && high_ok) {
        while (hi - lo > tolerance * (lever.high - lever.low)) {
            const double mid = 0.5 * (lo + hi);
            (evaluate(mid).share_met >= confidence ? hi : lo) = mid;
        }
    }

    std::cout << "target: " << target.name << (target.at_least ? " >= " : " <= ") << target.value << " in at least "
              << confidence * 100 << "% of " << o.replicates << " replicates (seed " << o.seed
              << ", the same children at every value)\n";
    std::cout << "lever: " << lever.key << " in [" << lever.low << ", " << lever.high << "]\n\n";
    std::vector<std::vector<std::string>> rows = {{lever.key, target.name + " mean [95% interval]", "share met"}};
    for (const auto& [x, p] : curve)
        rows.push_back({std::to_string(x), format_interval(p.outcome.mean, p.outcome.low, p.outcome.high),
                        std::to_string(static_cast<int>(std::lround(p.share_met * 100))) + "%"});
    std::cout << "response curve (" << curve.size() << " values, " << curve.size() * o.replicates << " runs):\n";
    print_columns(std::cout, rows);
    std::cout << "\n";
    if (low_ok) {
        std::cout << "answer: " << lever.key << " = " << lever.low << " (the target is already met at the low end)\n";
        return 0;
    }
    if (!high_ok) {
        std::cout << "answer: none; the target is not met at " << lever.key << " = " << lever.high
                  << " (the high end) in " << confidence * 100 << "% of replicates\n";
        return 1;
    }
    std::cout << "answer: " << lever.key << " = " << hi << " (met in " << std::lround(curve.at(hi).share_met * 100)
              << "% of replicates there, not at " << lo << ": the threshold lies in [" << lo << ", " << hi << "])\n";
    return 0;
}

}  // namespace cpcsim::cli
