#include "io/run_output.hpp"

#include "core/error.hpp"
#include "core/version.hpp"

#include "metrics/equity.hpp"
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
std::vector<T> stack(const std::vector<RunOutputs>& runs, Get get) {
    std::vector<T> out;
    if (runs.empty()) return out;
    out.reserve(runs.size() * get(runs.front()).size());
    for (const auto& r : runs) {
        const auto& v = get(r);
        out.insert(out.end(), v.begin(), v.end());
    }
    return out;
}

/// The last check before a run's outputs are written: money, staff and capacity must be finite
/// numbers and no derived measure may be infinite (NaN is allowed there: it means "not defined",
/// e.g. a ratio whose denominator is 0, docs/hdf5-schema.md). Throws naming the first bad value.
void check_finite(const Scenario& sc, const std::vector<RunOutputs>& runs,
                  const std::vector<std::int64_t>& replicate_ids) {
    const auto fail = [&](std::size_t run, const std::string& dataset, const std::string& what, double value) {
        throw Error("", dataset,
                    what + " of replicate " + std::to_string(replicate_ids.at(run)) + " is " +
                        (std::isnan(value) ? "NaN"
                         : value > 0       ? "inf"
                                           : "-inf") +
                        "; every output must be a finite number (check the scenario's incomes, multipliers "
                        "and capacities)");
    };
    for (std::size_t r = 0; r < runs.size(); ++r) {
        const RunOutputs& run = runs[r];
        const auto np = static_cast<std::size_t>(run.providers);
        for (std::size_t i = 0; i < run.provider.size(); ++i) {
            if (std::isfinite(run.provider[i])) continue;
            const std::size_t var = i % kProviderVars, provider = i / kProviderVars % np, year = i / kProviderVars / np;
            fail(r, "runs/provider",
                 "provider measure '" + std::string(kProviderVarInfo[var].name) + "' of provider '" +
                     (provider < sc.providers.size() ? sc.providers[provider].id : std::to_string(provider)) +
                     "' in reported year " + std::to_string(year + 1),
                 run.provider[i]);
        }
        for (std::size_t y = 0; y < run.network_cost.size(); ++y)
            if (!std::isfinite(run.network_cost[y]))
                fail(r, "runs/network_cost", "network cost in reported year " + std::to_string(y + 1),
                     run.network_cost[y]);
    }
}

void check_not_infinite(const std::vector<double>& values, const std::vector<std::string>& names, std::size_t per_run,
                        const std::vector<std::int64_t>& replicate_ids, const std::string& dataset) {
    for (std::size_t i = 0; i < values.size(); ++i)
        if (std::isinf(values[i]))
            throw Error("", dataset,
                        "measure '" + names[i % names.size()] + "' of replicate " +
                            std::to_string(replicate_ids.at(i / per_run)) + " is " + (values[i] > 0 ? "inf" : "-inf") +
                            "; every output must be finite (NaN only where a measure is not defined)");
}

}  // namespace

std::vector<std::string> equity_measure_names() {
    return EquitySummary::names();
}

Provenance provenance_for(const std::string& kind, const Scenario& scenario, const std::string& command_line,
                          std::uint64_t seed, std::int64_t replicates) {
    Provenance p;
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
    group.write_strings("labels/quintiles", {"Q1 (least deprived)", "Q2", "Q3", "Q4", "Q5 (most deprived)"});
    group.write_strings("labels/ethnic_groups", {kEthnicGroupNames.begin(), kEthnicGroupNames.end()});
    group.write_strings("labels/rural", {"urban", "rural"});
    group.write_strings("labels/age_bands", {"<1", "1-5", "6-10", "11-15", "16+"});
    group.write_strings("labels/diagnoses", {kDiagnosisNames.begin(), kDiagnosisNames.end()});
    group.write_strings("labels/categories", {"ACT 1", "ACT 2", "ACT 3", "ACT 4"});
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

void write_runs(Group& group, const Scenario& sc, const std::vector<RunOutputs>& runs,
                const std::vector<std::int64_t>& replicate_ids) {
    write_runs(group, sc, runs, replicate_ids, "replicate");
}

void write_runs(Group& group, const Scenario& sc, const std::vector<RunOutputs>& runs,
                const std::vector<std::int64_t>& replicate_ids, const std::string& lead) {
    if (runs.empty()) return;
    check_finite(sc, runs, replicate_ids);
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
    group.write_dataset("runs/monthly",
                        stack<std::int32_t>(
                            runs, [](const RunOutputs& r) -> auto& { return r.monthly; }),
                        {n, months, na, kQuintiles, kEthnicGroups, kRural, kMonthlyVars},
                        {.dims = with(with({lead, "month"}, cell_dims), {"monthly_var"}),
                         .description = "monthly counters by cell; names in labels/monthly_vars"});
    group.write_dataset("runs/annual",
                        stack<std::int32_t>(
                            runs, [](const RunOutputs& r) -> auto& { return r.annual; }),
                        {n, years, na, kQuintiles, kEthnicGroups, kRural, kAnnualVars},
                        {.dims = with(with({lead, "year"}, cell_dims), {"annual_var"}),
                         .description = "yearly counts of children by cell; names in labels/annual_vars"});
    group.write_dataset("runs/children_by_age",
                        stack<std::int32_t>(
                            runs, [](const RunOutputs& r) -> auto& { return r.children_by_age; }),
                        {n, years, kDemographyBands}, {.dims = {lead, "year", "age_band"}});
    group.write_dataset("runs/deaths_by_age",
                        stack<std::int32_t>(
                            runs, [](const RunOutputs& r) -> auto& { return r.deaths_by_age; }),
                        {n, years, kDemographyBands}, {.dims = {lead, "year", "age_band"}});
    group.write_dataset("runs/children_by_diagnosis",
                        stack<std::int32_t>(
                            runs, [](const RunOutputs& r) -> auto& { return r.children_by_diagnosis; }),
                        {n, years, kDiagnoses}, {.dims = {lead, "year", "diagnosis"}});
    group.write_dataset("runs/children_by_category",
                        stack<std::int32_t>(
                            runs, [](const RunOutputs& r) -> auto& { return r.children_by_category; }),
                        {n, years, kCategories}, {.dims = {lead, "year", "category"}});
    group.write_dataset("runs/provider",
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
    std::vector<std::int64_t> child_days, children;
    for (const auto& r : runs) {
        child_days.push_back(r.child_days);
        children.push_back(static_cast<std::int64_t>(r.children_simulated));
    }
    group.write_dataset("runs/child_days", child_days, {n}, {.dims = {lead}, .units = "child-days"});
    group.write_dataset("runs/children_simulated", children, {n}, {.dims = {lead}});

    // Derived per run: summary and equity (per year and, last row, over the horizon).
    const ModelParams mp = ModelParams::from(sc.params);
    std::vector<double> summary, eq_access, eq_place;
    const auto ne = equity_measure_names().size();
    for (const auto& r : runs) {
        const auto s = summarise(sc, mp, r);
        summary.insert(summary.end(), s.begin(), s.end());
        for (int y = 0; y <= r.years; ++y) {
            const int from = y < r.years ? y : 0, to = y < r.years ? y + 1 : r.years;
            for (bool place : {false, true}) {
                auto& dst = place ? eq_place : eq_access;
                for (const auto& [name, value] : access_equity(sc, r, from, to, place).named()) dst.push_back(value);
            }
        }
    }
    std::vector<std::string> summary_names;
    for (const auto& m : summary_measures()) summary_names.push_back(m.name);
    check_not_infinite(summary, summary_names, summary_names.size(), replicate_ids, "runs/summary");
    check_not_infinite(eq_access, equity_measure_names(), (years + 1) * ne, replicate_ids, "runs/equity_access");
    check_not_infinite(eq_place, equity_measure_names(), (years + 1) * ne, replicate_ids,
                       "runs/equity_preferred_place");
    group.write_dataset("runs/summary", summary, {n, summary_measures().size()},
                        {.dims = {lead, "summary_measure"},
                         .description = "key outcomes over the horizon; names in labels/summary_measures"});
    const DatasetOptions eq_opts{.dims = {lead, "year_or_horizon", "equity_measure"},
                                 .description = "equity measures per reported year; the last row is the whole horizon"};
    group.write_dataset("runs/equity_access", eq_access, {n, years + 1, ne}, eq_opts);
    group.write_dataset("runs/equity_preferred_place", eq_place, {n, years + 1, ne}, eq_opts);
}

}  // namespace cpcsim::io
