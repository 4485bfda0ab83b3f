#include "io/run_output.hpp"

#include "core/error.hpp"
#include "core/version.hpp"
#include "io/records_output.hpp"

#include "metrics/equity.hpp"
#include "metrics/icb_costs.hpp"
#include "metrics/summary.hpp"
#include "model/model_params.hpp"

#include <cmath>

namespace cpcsim::io {

namespace {

template <class Info, std::size_t N>
std::vector<std::string> names_of(const std::array<Info, N>& info) {
    std::vector<std::string> out;
    for (const auto& i : info) out.emplace_back(i.name);
    return out;
}
template <class Info, std::size_t N>
std::vector<std::string> helps_of(const std::array<Info, N>& info) {
    std::vector<std::string> out;
    for (const auto& i : info) out.emplace_back(i.help);
    return out;
}

/// Concatenates one field of every run (each a flat vector of the same size).
template <class T, class Get>
std::vector<T> stack(std::span<const RunOutputs> runs, Get get) {
    std::vector<T> out;
    if (runs.empty()) return out;
    out.reserve(runs.size() * get(runs.front()).size());
    for (const auto& r : runs) {
        const auto& v = get(r);
        out.insert(out.end(), v.begin(), v.end());
    }
    return out;
}

}  // namespace

std::vector<std::string> equity_measure_names() {
    return EquitySummary::names();
}

Provenance provenance_for(const std::string& kind, const Scenario& scenario, const std::string& command_line,
                          std::uint64_t seed, std::int64_t replicates, const StoredOutputs& store) {
    Provenance p;
    p.stored_outputs = store.names();
    p.kind = kind;
    p.program_version = kVersion;
    p.git_commit = kGitCommit;
    p.command_line = command_line;
    p.created_utc = utc_now_iso8601();
    p.scenario_name = scenario.name;
    p.scenario_toml = scenario.resolved_toml();
    p.areas_csv = scenario.areas_csv;
    p.providers_csv = scenario.providers_csv;
    p.seed = seed;
    p.replicates = replicates;
    return p;
}

StoredOutputs stored_outputs_of(const Provenance& provenance) {
    return StoredOutputs::parse(provenance.stored_outputs, "", "attribute stored_outputs");
}

void write_labels(Group& group, const Scenario& sc) {
    std::vector<std::string> codes, names, icbs, pids, pnames, ptypes;
    std::vector<double> pop, qshare, eshare, rural, lat, lon;
    for (const auto& a : sc.areas) {
        codes.push_back(a.code);
        names.push_back(a.name);
        icbs.push_back(a.icb);
        pop.push_back(a.population_0_19);
        qshare.insert(qshare.end(), a.quintile_share.begin(), a.quintile_share.end());
        eshare.insert(eshare.end(), a.ethnic_share.begin(), a.ethnic_share.end());
        rural.push_back(a.rural_share);
        lat.push_back(a.lat);
        lon.push_back(a.lon);
    }
    for (const auto& p : sc.providers) {
        pids.push_back(p.id);
        pnames.push_back(p.name);
        ptypes.emplace_back(provider_type_name(p.type));
    }
    const auto na = static_cast<std::uint64_t>(sc.areas.size());
    group.write_strings("labels/area_codes", codes);
    group.write_strings("labels/area_names", names);
    group.write_strings("labels/area_icbs", icbs);
    group.write_strings("labels/quintiles", dims::quintile.label_list());
    group.write_strings("labels/ethnic_groups", dims::ethnic_group.label_list());
    group.write_strings("labels/rural", dims::rural.label_list());
    group.write_strings("labels/age_bands", dims::age_band.label_list());
    group.write_strings("labels/diagnoses", dims::diagnosis.label_list());
    group.write_strings("labels/categories", dims::category.label_list());
    group.write_strings("labels/provider_ids", pids);
    group.write_strings("labels/provider_names", pnames);
    group.write_strings("labels/provider_types", ptypes);
    group.write_strings("labels/monthly_vars", names_of(kMonthlyVarInfo));
    group.write_strings("labels/monthly_var_descriptions", helps_of(kMonthlyVarInfo));
    group.write_strings("labels/annual_vars", names_of(kAnnualVarInfo));
    group.write_strings("labels/annual_var_descriptions", helps_of(kAnnualVarInfo));
    group.write_strings("labels/provider_vars", names_of(kProviderVarInfo));
    group.write_strings("labels/provider_var_descriptions", helps_of(kProviderVarInfo));
    std::vector<std::string> sn, su, sh;
    for (const auto& m : summary_measures()) sn.push_back(m.name), su.push_back(m.unit), sh.push_back(m.help);
    group.write_strings("labels/summary_measures", sn);
    group.write_strings("labels/summary_units", su);
    group.write_strings("labels/summary_descriptions", sh);
    group.write_strings("labels/equity_measures", equity_measure_names());
    group.write_strings("labels/icbs", icb_names(sc));
    std::vector<std::string> icb_vars, icb_var_help;
    for (const auto& v : kIcbCostVarInfo) icb_vars.emplace_back(v.name), icb_var_help.emplace_back(v.help);
    group.write_strings("labels/icb_cost_vars", icb_vars);
    group.write_strings("labels/icb_cost_var_descriptions", icb_var_help);
    const ModelParams mp = ModelParams::from(sc.params);
    std::vector<std::int64_t> years;
    for (int y = 0; y < mp.run.years; ++y) years.push_back(mp.run.start_year + y);
    group.write_dataset("labels/years", years, {years.size()},
                        {.dims = {"year"}, .description = "calendar year of each reported year"});
    group.write_dataset("population/population_0_19", pop, {na}, {.dims = {"area"}, .units = "children"});
    group.write_dataset("population/quintile_share", qshare, {na, kQuintiles}, {.dims = {"area", "quintile"}});
    group.write_dataset("population/ethnic_share", eshare, {na, kEthnicGroups}, {.dims = {"area", "ethnic_group"}});
    group.write_dataset("population/rural_share", rural, {na}, {.dims = {"area"}});
    group.write_dataset("population/lat", lat, {na}, {.dims = {"area"}, .units = "degrees"});
    group.write_dataset("population/lon", lon, {na}, {.dims = {"area"}, .units = "degrees"});
}

void write_runs(Group& group, std::span<const RunOutputs> runs, std::span<const RunMeasures> measures,
                const std::vector<std::int64_t>& replicate_ids, const std::string& lead, const StoredOutputs& store) {
    if (runs.empty()) return;
    if (measures.size() != runs.size() || replicate_ids.size() != runs.size())
        throw Error(group.file_name(), group.path(),
                    "internal error: " + std::to_string(runs.size()) + " runs but " + std::to_string(measures.size()) +
                        " sets of measures and " + std::to_string(replicate_ids.size()) + " replicate ids");
    const auto& r0 = runs.front();
    const auto n = static_cast<std::uint64_t>(runs.size());
    const auto months = static_cast<std::uint64_t>(r0.months), years = static_cast<std::uint64_t>(r0.years);
    const auto na = static_cast<std::uint64_t>(r0.areas), np = static_cast<std::uint64_t>(r0.providers);
    const std::vector<std::string> cell_dims = {"area", "quintile", "ethnic_group", "rural"};
    auto with = [](std::vector<std::string> head, const std::vector<std::string>& tail) {
        head.insert(head.end(), tail.begin(), tail.end());
        return head;
    };
    group.write_dataset("runs/replicate", replicate_ids, {n}, {.dims = {lead}});
    for (const auto& r : runs)
        if (store.monthly &&
            (!r.keep_monthly || r.monthly.size() != static_cast<std::size_t>(r.months) * r.cells * kMonthlyVars))
            throw Error(group.file_name(), group.path(),
                        "internal error: the monthly table is to be stored but a run did not keep it");
    if (store.monthly) {
        // Written a chunk (a block of months of one run) at a time from each run's sparse
        // table: the dense table of all runs is never in memory.
        const Shape shape{n, months, na, kQuintiles, kEthnicGroups, kRural, kMonthlyVars};
        group.write_int32_by_sparse_chunks(
            "runs/monthly", shape,
            // Mostly zeros (92% in the default region): compressed by io/zero_run_deflate.hpp
            // straight from each run's non-zero entries, in time that grows with them (zlib took
            // most of a run's recording time); stored with the standard shuffle + deflate +
            // Fletcher-32 filters.
            {.dims = with(with({lead, "month"}, cell_dims), {"monthly_var"}),
             .description = "monthly counters by cell; names in labels/monthly_vars",
             .deflate_level = 2,
             .mostly_zero = true},
            [&](const Shape& start, const Shape& count, const Shape& chunk, std::vector<std::uint32_t>& index,
                std::vector<std::uint32_t>& values) {
                for (std::size_t d = 2; d < shape.size(); ++d)
                    if (start[d] != 0 || count[d] != shape[d])
                        throw Error(group.file_name(), "runs/monthly",
                                    "internal error: a chunk splits the cells or counters of a month");
                const auto first = static_cast<int>(start[1]), last = static_cast<int>(start[1] + count[1]);
                for (std::uint64_t k = 0; k < count[0]; ++k) {
                    const auto& table = runs[static_cast<std::size_t>(start[0] + k)].monthly;
                    const std::uint64_t run_base = k * chunk[1];
                    table.for_each_nonzero(first, last, [&](int m, std::size_t slot, std::int32_t v) {
                        index.push_back(static_cast<std::uint32_t>(
                            (run_base + static_cast<std::uint64_t>(m - first)) * table.row_size() + slot));
                        values.push_back(static_cast<std::uint32_t>(v));
                    });
                }
            });
    }
    if (store.annual) {
        group.write_dataset("runs/annual",
                            stack<std::int32_t>(
                                runs, [](const RunOutputs& r) -> auto& { return r.annual; }),
                            {n, years, na, kQuintiles, kEthnicGroups, kRural, kAnnualVars},
                            // Mostly zeros too (73% in the default region; zlib was half of the
                            // recording of a --store annual run).
                            {.dims = with(with({lead, "year"}, cell_dims), {"annual_var"}),
                             .description = "yearly counts of children by cell; names in labels/annual_vars",
                             .mostly_zero = true});
        group.write_dataset("runs/children_by_age",
                            stack<std::int32_t>(
                                runs, [](const RunOutputs& r) -> auto& { return r.children_by_age; }),
                            {n, years, kAgeBands}, {.dims = {lead, "year", "age_band"}});
        group.write_dataset("runs/deaths_by_age",
                            stack<std::int32_t>(
                                runs, [](const RunOutputs& r) -> auto& { return r.deaths_by_age; }),
                            {n, years, kAgeBands}, {.dims = {lead, "year", "age_band"}});
        group.write_dataset("runs/children_by_diagnosis",
                            stack<std::int32_t>(
                                runs, [](const RunOutputs& r) -> auto& { return r.children_by_diagnosis; }),
                            {n, years, kDiagnoses}, {.dims = {lead, "year", "diagnosis"}});
        group.write_dataset("runs/children_by_category",
                            stack<std::int32_t>(
                                runs, [](const RunOutputs& r) -> auto& { return r.children_by_category; }),
                            {n, years, kCategories}, {.dims = {lead, "year", "category"}});
    }
    if (store.provider) {
        group.write_dataset(
            "runs/provider",
            stack<double>(
                runs, [](const RunOutputs& r) -> auto& { return r.provider; }),
            {n, years, np, kProviderVars},
            {.dims = {lead, "year", "provider", "provider_var"},
             .description = "provider money, staff, capacity and activity; names in labels/provider_vars"});
        group.write_dataset("runs/area_cover_days",
                            stack<std::int32_t>(
                                runs, [](const RunOutputs& r) -> auto& { return r.area_cover_days; }),
                            {n, years, na}, {.dims = {lead, "year", "area"}, .units = "days"});
        group.write_dataset("runs/network_cost",
                            stack<double>(
                                runs, [](const RunOutputs& r) -> auto& { return r.network_cost; }),
                            {n, years}, {.dims = {lead, "year"}, .units = "GBP"});
    }
    std::vector<std::int64_t> child_days, children;
    for (const auto& r : runs) {
        child_days.push_back(r.child_days);
        children.push_back(static_cast<std::int64_t>(r.children_simulated));
    }
    group.write_dataset("runs/child_days", child_days, {n}, {.dims = {lead}, .units = "child-days"});
    group.write_dataset("runs/children_simulated", children, {n}, {.dims = {lead}});

    // Derived per run (metrics/run_measures.hpp): summary and equity per year and, last row, over the horizon.
    std::vector<double> summary, eq_access, eq_place;
    for (const auto& m : measures) {
        summary.insert(summary.end(), m.summary.begin(), m.summary.end());
        eq_access.insert(eq_access.end(), m.equity_access.begin(), m.equity_access.end());
        eq_place.insert(eq_place.end(), m.equity_preferred_place.begin(), m.equity_preferred_place.end());
    }
    const auto ne = static_cast<std::uint64_t>(equity_measure_names().size());
    group.write_dataset("runs/summary", summary, {n, summary_measures().size()},
                        {.dims = {lead, "summary_measure"},
                         .description = "key outcomes over the horizon; names in labels/summary_measures"});
    const DatasetOptions eq_opts{.dims = {lead, "year_or_horizon", "equity_measure"},
                                 .description = "equity measures per reported year; the last row is the whole horizon"};
    group.write_dataset("runs/equity_access", eq_access, {n, years + 1, ne}, eq_opts);
    group.write_dataset("runs/equity_preferred_place", eq_place, {n, years + 1, ne}, eq_opts);
    std::vector<double> icb;
    for (const auto& m : measures) icb.insert(icb.end(), m.icb_costs.begin(), m.icb_costs.end());
    const std::uint64_t ni = years > 0 ? measures.front().icb_costs.size() / (years * kIcbCostVars) : 0;
    if (ni > 0)  // measures made without a scenario's areas (some tests) have none
        group.write_dataset("runs/icb_costs", icb, {n, years, ni, kIcbCostVars},
                            {.dims = {lead, "year", "icb", "icb_cost_var"},
                             .units = "GBP",
                             .description = "costs per ICB and year; names in labels/icbs and labels/icb_cost_vars"});
    write_child_records(group, runs, replicate_ids);
}

void write_run_file(const std::filesystem::path& path, const Provenance& provenance, const Scenario& scenario,
                    const std::vector<RunOutputs>& runs, const std::vector<RunMeasures>& measures) {
    auto file = File::create(path);
    write_provenance(file, provenance);
    write_labels(file, scenario);
    std::vector<std::int64_t> ids;
    for (std::size_t i = 0; i < runs.size(); ++i) ids.push_back(static_cast<std::int64_t>(i));
    write_runs(file, runs, measures, ids, "replicate", stored_outputs_of(provenance));
    file.close();
}

}  // namespace cpcsim::io
