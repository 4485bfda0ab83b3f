#include "scenario/ensemble.hpp"

#include "core/error.hpp"
#include "scenario/params.hpp"
#include "scenario/scenario.hpp"

#include <algorithm>
#include <cmath>
#include <set>

namespace cpcsim {

namespace {

constexpr const char* kExpected = "expected a calibrated ensemble written by `cpcsim calibrate` (docs/calibration.md)";

constexpr std::string_view kQuantile = "prior_quantile.";

/// The parameter and place among its prior quantiles of a "prior_quantile." column, or why none.
std::string resolve_quantile(const ParamRegistry& registry, const std::string& column, std::size_t& index,
                             int& quantile) {
    const std::string key = column.substr(kQuantile.size());
    int i = registry.index(key);
    std::string label;
    if (const auto dot = key.rfind('.'); i < 0 && dot != std::string::npos) {
        i = registry.index(std::string_view(key).substr(0, dot));
        label = key.substr(dot + 1);
    }
    if (i < 0) return "'" + column + "' names no parameter of this model";
    const ParamSpec& spec = registry.specs()[static_cast<std::size_t>(i)];
    const Distribution& d = spec.uncertainty;
    if (quantile_count(d, spec, spec.size()) == 0) return "'" + column + "': " + spec.key + " has no prior";
    index = static_cast<std::size_t>(i);
    if (d.family != Family::Dirichlet) {
        if (!label.empty()) return "'" + column + "': " + spec.key + " has one prior quantile, not one per column";
        quantile = 0;
        return "";
    }
    const auto it = std::find(spec.labels.begin(), spec.labels.end(), label);
    if (it == spec.labels.end())
        return "'" + column + "': the Dirichlet prior of " + spec.key + " has no column '" + label + "'";
    quantile = static_cast<int>(it - spec.labels.begin());
    return "";
}

/// The parameter and element a column names, or an explanation of why it names none.
std::string resolve(const ParamRegistry& registry, const std::string& column, std::size_t& index, int& element) {
    if (const int i = registry.index(column); i >= 0) {
        if (!registry.specs()[static_cast<std::size_t>(i)].is_scalar())
            return "'" + column + "' is an array: name one element, e.g. '" + column + "." +
                   registry.specs()[static_cast<std::size_t>(i)].labels.front() + "'";
        index = static_cast<std::size_t>(i);
        element = -1;
        return "";
    }
    const auto dot = column.rfind('.');
    if (dot != std::string::npos) {
        const int i = registry.index(std::string_view(column).substr(0, dot));
        if (i >= 0) {
            const ParamSpec& spec = registry.specs()[static_cast<std::size_t>(i)];
            const std::string label = column.substr(dot + 1);
            const auto it = std::find(spec.labels.begin(), spec.labels.end(), label);
            if (!spec.is_scalar() && !spec.is_table() && it != spec.labels.end()) {
                index = static_cast<std::size_t>(i);
                element = static_cast<int>(it - spec.labels.begin());
                return "";
            }
            return "'" + column + "': parameter " + spec.key + " has no element '" + label + "'";
        }
    }
    return "'" + column + "' is not a parameter of this model";
}

}  // namespace

Ensemble make_ensemble(std::string file, const std::vector<std::string>& columns,
                       const std::vector<std::vector<double>>& sets, const ParamRegistry& registry) {
    ProblemList problems;
    Ensemble e;
    e.file = file;
    if (columns.empty())
        problems.add(file, "dataset parameters", std::string("holds no parameter names; ") + kExpected);
    std::set<std::pair<std::size_t, int>> seen;
    for (const auto& c : columns) {
        std::size_t index = 0;
        int element = -1, quantile = -1;
        const auto why = c.starts_with(kQuantile) ? resolve_quantile(registry, c, index, quantile)
                                                  : resolve(registry, c, index, element);
        if (!why.empty()) {
            problems.add(file, "dataset parameters", why + " (was the ensemble made for another model version?)");
            continue;
        }
        if (!seen.insert({index, quantile >= 0 ? 1000000 + quantile : element}).second)
            problems.add(file, "dataset parameters", "'" + c + "' appears twice");
        e.columns.push_back(c);
        e.parameter.push_back(index);
        e.element.push_back(element);
        e.quantile.push_back(quantile);
    }
    // Every column of a Dirichlet prior, or none.
    for (std::size_t c = 0; c < e.columns.size(); ++c) {
        if (e.quantile[c] < 0) continue;
        const ParamSpec& spec = registry.specs()[e.parameter[c]];
        const std::size_t n = quantile_count(spec.uncertainty, spec, spec.size());
        std::size_t have = 0;
        for (std::size_t k = 0; k < e.columns.size(); ++k)
            have += e.parameter[k] == e.parameter[c] && e.quantile[k] >= 0;
        if (have != n)
            problems.add(file, "dataset parameters",
                         "the prior of " + spec.key + " takes " + std::to_string(n) + " quantiles; the file has " +
                             std::to_string(have));
    }
    for (const auto& spec : registry.specs()) e.priors.push_back(spec.uncertainty);
    if (sets.empty()) problems.add(file, "dataset values", std::string("holds no parameter sets; ") + kExpected);
    problems.throw_if_any();
    for (std::size_t r = 0; r < sets.size(); ++r) {
        if (sets[r].size() != columns.size()) {
            problems.add(file, "dataset values, row " + std::to_string(r),
                         "expected " + std::to_string(columns.size()) + " values (one per parameter), got " +
                             std::to_string(sets[r].size()));
            continue;
        }
        for (std::size_t c = 0; c < columns.size(); ++c) {
            const ParamSpec& spec = registry.specs()[e.parameter[c]];
            if (e.quantile[c] >= 0) {
                if (!(sets[r][c] > 0.0 && sets[r][c] < 1.0))
                    problems.add(file, "dataset values, row " + std::to_string(r) + ", column " + columns[c],
                                 "expected a prior quantile strictly between 0 and 1");
                continue;
            }
            // Integer parameters are rounded, as a sweep's ranges round them.
            const double v = spec.kind == ParamKind::Integer ? std::round(sets[r][c]) : sets[r][c];
            std::string why = std::isfinite(v) ? spec.check(v) : "expected a finite number";
            if (!why.empty())
                problems.add(file, "dataset values, row " + std::to_string(r) + ", column " + columns[c], why);
        }
        if (problems.size() >= 20) break;
    }
    problems.throw_if_any();
    e.sets = sets;
    for (auto& row : e.sets)
        for (std::size_t c = 0; c < row.size(); ++c)
            if (e.quantile[c] < 0 && registry.specs()[e.parameter[c]].kind == ParamKind::Integer)
                row[c] = std::round(row[c]);
    return e;
}

ParamSet ensemble_parameters(const Scenario& scenario, const Ensemble& ensemble, std::uint32_t draw) {
    return with_ensemble_set(scenario.params, ensemble, draw);
}

ParamSet with_ensemble_set(ParamSet params, const Ensemble& ensemble, std::uint32_t draw) {
    const auto& set = ensemble.set_of(draw);
    const auto& specs = params.registry().specs();
    std::vector<PriorQuantiles> quantiles;
    for (std::size_t c = 0; c < ensemble.columns.size(); ++c) {
        const std::size_t i = ensemble.parameter[c];
        if (ensemble.quantile[c] >= 0) {
            auto q = std::find_if(quantiles.begin(), quantiles.end(),
                                  [&](const PriorQuantiles& p) { return p.parameter == i; });
            if (q == quantiles.end())
                q = quantiles.insert(
                    quantiles.end(),
                    PriorQuantiles{i, std::vector<double>(
                                          quantile_count(ensemble.priors[i], specs[i], params.values(i).size()), 0.5)});
            q->u[static_cast<std::size_t>(ensemble.quantile[c])] = set[c];
            continue;
        }
        std::vector<double> values = params.values(i);
        const double v = set[c];
        if (ensemble.element[c] < 0)
            std::fill(values.begin(), values.end(), v);
        else
            values[static_cast<std::size_t>(ensemble.element[c])] = v;
        params.set(specs[i].key, std::move(values));
    }
    // The prior quantiles are realised as a prior draw at those quantiles would be.
    return quantiles.empty() ? params : at_prior_quantiles(std::move(params), ensemble.priors, std::move(quantiles));
}

}  // namespace cpcsim
