#include "metrics/run_measures.hpp"

#include "metrics/equity.hpp"
#include "metrics/summary.hpp"

#include <cassert>

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

}  // namespace

RunMeasures measure_run(const Scenario& scenario, const ModelParams& params, const RunOutputs& run) {
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
    return m;
}

std::vector<RunMeasures> measure_runs(const Scenario& scenario, const std::vector<RunOutputs>& runs) {
    const ModelParams params = ModelParams::from(scenario.params);
    std::vector<RunMeasures> out;
    out.reserve(runs.size());
    for (const auto& r : runs) out.push_back(measure_run(scenario, params, r));
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
