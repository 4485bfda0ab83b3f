#include "metrics/run_measures.hpp"

#include "metrics/equity.hpp"
#include "metrics/icb_costs.hpp"
#include "metrics/summary.hpp"

#include "core/error.hpp"

#include <cassert>
#include <cmath>
#include <string>

namespace cpcsim {

namespace {

/// For each column m < `columns`, the paired comparison of get(run, m) over the runs of A and B.
template <class Get>
std::vector<PairedComparison> compare_columns(const std::vector<RunMeasures>& a, const std::vector<RunMeasures>& b,
                                              std::size_t columns, Get get) {
    assert(a.size() == b.size());
    std::vector<PairedComparison> out;
    for (std::size_t m = 0; m < columns; ++m) {
        std::vector<double> va, vb;
        for (std::size_t r = 0; r < a.size() && r < b.size(); ++r)
            va.push_back(get(a[r], m)), vb.push_back(get(b[r], m));
        out.push_back(compare_paired(va, vb));
    }
    return out;
}

std::string replicate_text(std::int64_t replicate) {
    return replicate >= 0 ? "replicate " + std::to_string(replicate) : "the run";
}

const char* value_text(double value) {
    return std::isnan(value) ? "NaN" : value > 0 ? "inf" : "-inf";
}

/// Money, staff and capacity must be finite numbers (issue 9: a 1e308 income gave inf costs and
/// NaN provider tables). Throws naming the dataset, the measure, the provider and the replicate.
void check_finite_outputs(const Scenario& sc, const RunOutputs& run, std::int64_t replicate) {
    const auto fail = [&](const std::string& dataset, const std::string& what, double value) {
        throw Error("", dataset,
                    what + " of " + replicate_text(replicate) + " is " + value_text(value) +
                        "; every output must be a finite number (check the scenario's incomes, multipliers "
                        "and capacities)");
    };
    const auto np = static_cast<std::size_t>(run.providers);
    for (std::size_t i = 0; i < run.provider.size(); ++i) {
        if (std::isfinite(run.provider[i])) continue;
        const std::size_t var = i % kProviderVars, provider = i / kProviderVars % np, year = i / kProviderVars / np;
        fail("runs/provider",
             "provider measure '" + std::string(kProviderVarInfo[var].name) + "' of provider '" +
                 (provider < sc.providers.size() ? sc.providers[provider].id : std::to_string(provider)) +
                 "' in reported year " + std::to_string(year + 1),
             run.provider[i]);
    }
    for (std::size_t y = 0; y < run.network_cost.size(); ++y)
        if (!std::isfinite(run.network_cost[y]))
            fail("runs/network_cost", "network cost in reported year " + std::to_string(y + 1), run.network_cost[y]);
}

/// Derived measures may be NaN ("not defined", e.g. a ratio over zero) but never infinite.
void check_not_infinite(const std::vector<double>& values, const std::vector<std::string>& names,
                        std::int64_t replicate, const std::string& dataset) {
    for (std::size_t i = 0; i < values.size(); ++i)
        if (std::isinf(values[i]))
            throw Error("", dataset,
                        "measure '" + names[i % names.size()] + "' of " + replicate_text(replicate) + " is " +
                            value_text(values[i]) +
                            "; every output must be finite (NaN only where a measure is not defined)");
}

}  // namespace

RunMeasures measure_run(const Scenario& scenario, const ModelParams& params, const RunOutputs& run,
                        std::int64_t replicate) {
    check_finite_outputs(scenario, run, replicate);
    RunMeasures m;
    m.summary = summarise(scenario, params, run);
    for (int y = 0; y <= run.years; ++y) {
        const int from = y < run.years ? y : 0, to = y < run.years ? y + 1 : run.years;
        for (const bool place : {false, true}) {
            auto& dst = place ? m.equity_preferred_place : m.equity_access;
            for (const auto& [name, value] : access_equity(scenario, run, from, to, place).named())
                dst.push_back(value);
        }
    }
    m.icb_costs = icb_costs(scenario, params, run);
    std::vector<std::string> summary_names;
    for (const auto& sm : summary_measures()) summary_names.push_back(sm.name);
    const auto equity_names = EquitySummary::names();
    check_not_infinite(m.summary, summary_names, replicate, "runs/summary");
    check_not_infinite(m.equity_access, equity_names, replicate, "runs/equity_access");
    check_not_infinite(m.equity_preferred_place, equity_names, replicate, "runs/equity_preferred_place");
    std::vector<std::string> icb_cost_names;
    for (const auto& v : kIcbCostVarInfo) icb_cost_names.emplace_back(v.name);
    check_not_infinite(m.icb_costs, icb_cost_names, replicate, "runs/icb_costs");
    return m;
}

std::vector<RunMeasures> measure_runs(const Scenario& scenario, const std::vector<RunOutputs>& runs,
                                      std::int64_t first_replicate) {
    const ModelParams params = ModelParams::from(scenario.params);
    std::vector<RunMeasures> out;
    out.reserve(runs.size());
    for (std::size_t i = 0; i < runs.size(); ++i) {
        const std::int64_t replicate = first_replicate + static_cast<std::int64_t>(i);
        // Costs are measured at the replicate's own parameter draw when uncertainty is on.
        out.push_back(scenario.draws.on ? measure_run(scenario,
                                                      ModelParams::from(replicate_parameters(
                                                          scenario, static_cast<std::uint32_t>(replicate))),
                                                      runs[i], replicate)
                                        : measure_run(scenario, params, runs[i], replicate));
    }
    return out;
}

std::vector<std::vector<double>> summaries_of(const std::vector<RunMeasures>& measures) {
    std::vector<std::vector<double>> out;
    out.reserve(measures.size());
    for (const auto& m : measures) out.push_back(m.summary);
    return out;
}

std::vector<PairedComparison> compare_summaries(const std::vector<RunMeasures>& a, const std::vector<RunMeasures>& b) {
    return compare_columns(a, b, summary_measures().size(),
                           [](const RunMeasures& r, std::size_t m) { return r.summary.at(m); });
}

std::vector<PairedComparison> compare_horizon_equity(const std::vector<RunMeasures>& a,
                                                     const std::vector<RunMeasures>& b, bool preferred_place) {
    const std::size_t n = EquitySummary::names().size();
    return compare_columns(a, b, n, [&](const RunMeasures& r, std::size_t m) {
        const auto& v = preferred_place ? r.equity_preferred_place : r.equity_access;
        return v.at(v.size() - n + m);  // the last row: the whole horizon
    });
}

}  // namespace cpcsim
