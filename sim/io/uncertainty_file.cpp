#include "io/uncertainty_file.hpp"

#include "core/error.hpp"
#include "io/h5.hpp"
#include "metrics/summary.hpp"
#include "scenario/ensemble.hpp"

#include <algorithm>

namespace cpcsim::io {

namespace {
std::vector<double> stats_of(const UncertainInterval& u) {
    return {u.mean, u.low, u.high, u.noise_share, u.noise_half_width, u.prob_positive};
}
}  // namespace

const std::vector<std::string>& uncertainty_statistics() {
    static const std::vector<std::string> s = {"mean",         "low", "high", "noise_share", "noise_half_width",
                                               "prob_positive"};
    return s;
}

DrawsTable draws_table(const Scenario& sc, int replicates) {
    DrawsTable t;
    if (const auto& e = sc.draws.ensemble; e && sc.draws.with_priors) {
        // The prior columns (the ensemble's parameters are fixed in sc), then the ensemble's.
        t.columns = draw_column_names(sc);
        t.distributions = draw_column_distributions(sc);
        t.columns.insert(t.columns.end(), e->columns.begin(), e->columns.end());
        t.distributions.resize(t.columns.size(),
                               "calibrated ensemble " + e->file + " (" + std::to_string(e->size()) + " sets)");
        t.seed = sc.draws.seed;
        t.per_draw = sc.draws.per_draw;
        t.fixed_by_value = sc.fixed_by_value;
        for (int r = 0; r < replicates; ++r) {
            const auto k = static_cast<std::uint32_t>(r / std::max(1, sc.draws.per_draw));
            auto row = draw_parameters(sc, sc.draws.seed, k).drawn;
            const auto& set = e->set_of(k);
            row.insert(row.end(), set.begin(), set.end());
            t.rows.push_back(std::move(row));
        }
        return t;
    }
    if (const auto& e = sc.draws.ensemble) {
        // The ensemble's columns: the values of set (r / per_draw) mod N.
        t.columns = e->columns;
        t.distributions.assign(e->columns.size(),
                               "calibrated ensemble " + e->file + " (" + std::to_string(e->size()) + " sets)");
        t.seed = sc.draws.seed;
        t.per_draw = sc.draws.per_draw;
        for (int r = 0; r < replicates; ++r)
            t.rows.push_back(e->set_of(static_cast<std::uint32_t>(r / std::max(1, sc.draws.per_draw))));
        return t;
    }
    t.columns = draw_column_names(sc);
    t.distributions = draw_column_distributions(sc);
    t.seed = sc.draws.seed;
    t.per_draw = sc.draws.per_draw;
    t.fixed_by_value = sc.fixed_by_value;
    for (int r = 0; r < replicates; ++r)
        t.rows.push_back(
            draw_parameters(sc, sc.draws.seed, static_cast<std::uint32_t>(r / std::max(1, sc.draws.per_draw))).drawn);
    return t;
}

void write_draws(const std::filesystem::path& path, const std::string& group, const DrawsTable& draws) {
    File file = File::open_read_write(path);
    Group g = file.require_group(group);
    std::vector<double> flat;
    for (const auto& row : draws.rows) flat.insert(flat.end(), row.begin(), row.end());
    g.write_dataset("draws", flat, {draws.rows.size(), draws.columns.size()},
                    {.dims = {"replicate", "parameter"},
                     .description = "drawn number of each uncertain parameter per replicate: its value, or the "
                                    "multiplier, gradient or odds ratio applied to it (see parameters)"});
    g.write_strings("parameters", draws.columns);
    g.write_strings("distributions", draws.distributions);
    g.write_strings("fixed_by_scenario", draws.fixed_by_value);
    g.set_uint_attr("seed", draws.seed);
    g.set_int_attr("per_draw", draws.per_draw);
    file.close();
}

DrawsTable read_draws(const std::filesystem::path& path, const std::string& group) {
    const File file = File::open_read_only(path);
    if (!file.is_dataset(group + "/draws"))
        throw Error(path.string(), group + "/draws", "no parameter draws: the file was not made with --uncertainty");
    const Group g = file.open_group(group);
    DrawsTable t;
    t.columns = g.read_strings("parameters");
    t.distributions = g.read_strings("distributions");
    t.fixed_by_value = g.read_strings("fixed_by_scenario");
    t.seed = g.uint_attr("seed");
    t.per_draw = static_cast<int>(g.int_attr("per_draw"));
    const auto a = g.read<double>("draws");
    const std::size_t width = a.shape.size() == 2 ? a.shape[1] : 0;
    if (width != t.columns.size())
        throw Error(path.string(), group + "/draws",
                    "has " + shape_to_string(a.shape) + ", not one column per parameter");
    for (std::size_t r = 0; width && r < a.shape[0]; ++r)
        t.rows.emplace_back(a.values.begin() + static_cast<std::ptrdiff_t>(r * width),
                            a.values.begin() + static_cast<std::ptrdiff_t>((r + 1) * width));
    return t;
}

void write_comparison_uncertainty(const std::filesystem::path& path, const ComparisonUncertainty& u,
                                  const std::vector<std::string>& draw_columns) {
    File file = File::open_read_write(path);
    const auto& stats = uncertainty_statistics();
    std::vector<double> table;
    for (std::size_t m = 0; m < u.difference.size(); ++m)
        for (const auto* arm : {&u.a[m], &u.b[m], &u.difference[m]})
            for (double x : stats_of(*arm)) table.push_back(x);
    file.write_dataset("comparison/uncertainty/summary", table, {u.difference.size(), 3, stats.size()},
                       {.dims = {"summary_measure", "arm", "statistic"},
                        .description = "per measure, for A, B and B - A (paired): mean, 2.5% and 97.5% quantiles "
                                       "over replicates with their own parameter draws, share of variance due to "
                                       "simulation noise alone, 1.96 x noise sd, share of replicates > 0"});
    file.write_strings("comparison/uncertainty/statistics", stats);
    file.write_strings("comparison/uncertainty/arms", {"A", "B", "B - A"});
    const auto& heads = headline_differences();
    std::vector<double> head;
    for (const auto& h : u.headline)
        for (double x : stats_of(h)) head.push_back(x);
    file.write_dataset("comparison/uncertainty/headline", head, {heads.size(), stats.size()},
                       {.dims = {"headline", "statistic"}, .description = "B - A of each headline difference"});
    file.write_strings("comparison/uncertainty/headlines", heads);
    std::vector<double> sens;
    std::vector<std::string> methods;
    for (const auto& s : u.sensitivity) {
        methods.push_back(s.method);
        for (std::size_t j = 0; j < draw_columns.size(); ++j)
            for (double x : {s.coefficient.at(j), s.low.at(j), s.high.at(j)}) sens.push_back(x);
    }
    file.write_dataset("comparison/uncertainty/sensitivity", sens, {heads.size(), draw_columns.size(), 3},
                       {.dims = {"headline", "parameter", "coefficient_low_high"},
                        .description = "partial rank correlation (or Spearman, see sensitivity_methods) of each "
                                       "drawn parameter with each headline difference, with its 95% Fisher interval"});
    file.write_strings("comparison/uncertainty/sensitivity_methods", methods);
    file.write_strings("comparison/uncertainty/parameters", draw_columns);
    const auto write_ce = [&](const std::string& name, const CostEffectiveness& ce) {
        const std::string p = "comparison/uncertainty/" + name;
        file.write_dataset(p + "/plane",
                           std::vector<double>{ce.delta_cost, ce.delta_effect, ce.icer, ce.dominant,
                                               ce.more_effect_more_cost, ce.less_effect_less_cost, ce.dominated},
                           {7},
                           {.description = "mean delta cost (GBP/yr), mean delta effect, ICER, share of replicates: "
                                           "dominant, more effect more cost, less effect less cost, dominated"});
        file.write_dataset(p + "/thresholds", ce.thresholds, {ce.thresholds.size()},
                           {.units = "GBP per unit of effect"});
        file.write_dataset(p + "/acceptability", ce.acceptability, {ce.acceptability.size()},
                           {.description = "P(threshold x delta effect - delta cost > 0)"});
    };
    write_ce("per_child_reached", u.per_child_reached);
    write_ce("per_preferred_place_death", u.per_preferred_death);
    file.close();
}

}  // namespace cpcsim::io
