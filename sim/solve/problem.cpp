// Targets, levers and the evaluation of lever settings on a scenario's replicates.
#include "solve/problem.hpp"

#include "core/error.hpp"
#include "engine/runner.hpp"
#include "metrics/run_measures.hpp"
#include "metrics/summary.hpp"
#include "model/parameter_table.hpp"
#include "scenario/scenario.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <regex>
#include <sstream>

namespace cpcsim::solve {

bool Target::met(double v) const {
    return std::isfinite(v) && (at_least ? v >= value : v <= value);
}

std::string Target::text() const {
    std::ostringstream o;
    o.precision(12);
    o << (difference ? "diff " : "") << measure << (at_least ? " >= " : " <= ") << value;
    return o.str();
}

std::size_t measure_index(const std::string& name, const std::string& what) {
    const auto& measures = summary_measures();
    const auto it = std::find_if(measures.begin(), measures.end(), [&](const Measure& x) { return x.name == name; });
    if (it == measures.end())
        throw Error(what, name, "'" + name + "' is not a summary measure (cpcsim run --all lists them)");
    return static_cast<std::size_t>(it - measures.begin());
}

Target parse_target(const std::string& text) {
    static const std::regex form(
        R"(^\s*(diff\s+)?([a-z0-9_]+)\s*(>=|<=)\s*([-+]?[0-9]*\.?[0-9]+([eE][-+]?[0-9]+)?)\s*$)");
    std::smatch m;
    if (!std::regex_match(text, m, form))
        throw Error("--target", text,
                    "expected MEASURE >= VALUE, MEASURE <= VALUE or diff MEASURE >= VALUE, e.g. 'access_rate >= "
                    "0.27' or 'diff access_rate >= 0.01'");
    Target t;
    t.difference = m[1].matched;
    t.measure = m[2];
    t.at_least = m[3] == ">=";
    t.value = std::stod(m[4]);
    t.index = measure_index(t.measure, "--target");
    return t;
}

double Lever::at(double u) const {
    const double x = low + std::clamp(u, 0.0, 1.0) * (high - low);
    return integer ? std::round(x) : x;
}

Lever make_lever(const std::string& key, double low, double high, const ParamRegistry& registry) {
    const auto* spec = registry.find(key);
    if (!spec || !spec->is_scalar() || spec->kind == ParamKind::Boolean)
        throw Error("--lever", key, "'" + key + "' is not a numeric scalar parameter (cpcsim params lists them)");
    if (!std::isfinite(low) || !std::isfinite(high) || !(low < high))
        throw Error("--lever", key, "LOW must be a number below HIGH");
    if (low < spec->min || high > spec->max) {
        std::ostringstream o;
        o << "the range must lie within the parameter's valid range [" << spec->min << ", " << spec->max << "]";
        throw Error("--lever", key, o.str());
    }
    return Lever{key, low, high, spec->kind == ParamKind::Integer};
}

Lever parse_lever(const std::string& text, const ParamRegistry& registry) {
    static const std::regex form(R"(^([a-z0-9_.]+)=([-+0-9.eE]+):([-+0-9.eE]+)$)");
    std::smatch m;
    if (!std::regex_match(text, m, form))
        throw Error("--lever", text, "expected KEY=LOW:HIGH, e.g. funding.statutory_multiplier=0.5:2");
    double low = 0, high = 0;
    try {
        std::size_t a = 0, b = 0;
        low = std::stod(m[2], &a);
        high = std::stod(m[3], &b);
        if (a != m[2].str().size() || b != m[3].str().size()) throw std::invalid_argument("trailing");
    } catch (const std::exception&) {
        throw Error("--lever", text, "LOW and HIGH must be numbers");
    }
    return make_lever(m[1], low, high, registry);
}

std::string format_value(double x) {
    std::ostringstream v;
    v.precision(17);
    v << x;
    return v.str();
}

ScenarioEvaluator::ScenarioEvaluator(std::vector<Lever> levers, Target target, Options options)
    : levers_(std::move(levers)), target_(std::move(target)), options_(std::move(options)) {}

std::vector<double> ScenarioEvaluator::measure_values(const std::vector<std::string>& overrides,
                                                      const std::filesystem::path& file, int first, int count,
                                                      std::vector<double>* objective) {
    if (options_.cancelled && options_.cancelled->load()) throw Cancelled{};
    const auto sc = load_scenario(file, overrides, model_parameters());
    const auto runs = run_replicates(sc, options_.seed, first, count, options_.threads);
    runs_ += count;
    const auto measures = measure_runs(sc, runs, first);
    std::vector<double> values;
    for (const auto& m : measures) {
        values.push_back(m.summary[target_.index]);
        if (objective)
            objective->push_back(options_.objective ? m.summary[*options_.objective]
                                                    : std::numeric_limits<double>::quiet_NaN());
    }
    return values;
}

std::vector<ReplicateValue> ScenarioEvaluator::operator()(const std::vector<double>& x, int first, int count) {
    auto overrides = options_.overrides;
    for (std::size_t j = 0; j < levers_.size(); ++j) overrides.push_back(levers_[j].key + "=" + format_value(x[j]));
    std::vector<double> objective;
    const auto values = measure_values(overrides, options_.scenario, first, count, &objective);
    std::vector<ReplicateValue> out(values.size());
    for (std::size_t i = 0; i < values.size(); ++i) out[i] = {values[i], objective[i]};
    if (!target_.difference) return out;
    // The baseline's replicates not yet cached, run as one batch (contiguous indices).
    int lo = first + count, hi = first;
    for (int r = first; r < first + count; ++r)
        if (!baseline_.count(r)) lo = std::min(lo, r), hi = std::max(hi, r + 1);
    if (lo < hi) {
        const auto& file = options_.baseline_file.empty() ? options_.scenario : options_.baseline_file;
        const auto base = measure_values(options_.overrides, file, lo, hi - lo, nullptr);
        for (int r = lo; r < hi; ++r) baseline_[r] = base[static_cast<std::size_t>(r - lo)];
    }
    for (std::size_t i = 0; i < out.size(); ++i) out[i].target -= baseline_.at(first + static_cast<int>(i));
    return out;
}

}  // namespace cpcsim::solve
