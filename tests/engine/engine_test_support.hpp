// Shared by the engine and model tests: fixture paths, scenario loading with overrides, running
// replicates, reading counters out of RunOutputs, exact comparison of whole runs and the small
// statistics (mean, standard error) that the sampling-error tolerances are built from.
#pragma once

#include "engine/runner.hpp"
#include "metrics/outcomes.hpp"
#include "metrics/summary.hpp"
#include "model/model_params.hpp"
#include "model/parameter_table.hpp"
#include "scenario/scenario.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <numeric>
#include <string>
#include <vector>

namespace engine_test {

using namespace cpcsim;

inline std::filesystem::path source_dir() {
    return std::filesystem::path(CPCSIM_SOURCE_DIR);
}
/// A scenario of the default region, e.g. yh("no-network.toml").
inline std::filesystem::path yh(const std::string& name) {
    return source_dir() / "scenarios" / "yorkshire-humber" / name;
}
/// The tiny two-area test region (tests/data/two-area): about 1,700 children, 6 providers.
inline std::filesystem::path two_area() {
    return source_dir() / "tests" / "data" / "two-area" / "scenario.toml";
}

/// Overrides that shorten a run to `years` reported years after `warmup` years of warm-up.
inline std::vector<std::string> short_run(int years, int warmup, std::vector<std::string> more = {}) {
    std::vector<std::string> o = {"run.years=" + std::to_string(years), "run.warmup_years=" + std::to_string(warmup)};
    o.insert(o.end(), more.begin(), more.end());
    return o;
}

inline Scenario load(const std::filesystem::path& file, const std::vector<std::string>& overrides = {}) {
    return load_scenario(file, overrides, model_parameters());
}

inline std::vector<RunOutputs> run(const Scenario& sc, std::uint64_t seed, int replicates, int threads = 2,
                                   int first = 0) {
    return run_replicates(sc, seed, first, replicates, threads);
}

// ---- reading counters ---------------------------------------------------------------------

inline std::int32_t monthly(const RunOutputs& r, int month, std::size_t cell, MonthlyVar v) {
    return r.monthly_at(month, cell, v);
}
inline std::int32_t annual(const RunOutputs& r, int year, std::size_t cell, AnnualVar v) {
    return r.annual[(static_cast<std::size_t>(year) * r.cells + cell) * kAnnualVars + static_cast<std::size_t>(v)];
}
inline double provider(const RunOutputs& r, int year, int p, ProviderVar v) {
    return r.provider[(static_cast<std::size_t>(year) * static_cast<std::size_t>(r.providers) +
                       static_cast<std::size_t>(p)) *
                          kProviderVars +
                      static_cast<std::size_t>(v)];
}
/// Sum over every cell and month of the horizon.
inline double total(const RunOutputs& r, MonthlyVar v) {
    return static_cast<double>(r.monthly_total(0, r.months, v));
}
/// Sum over every cell of months [from, to).
inline double total(const RunOutputs& r, MonthlyVar v, int from, int to) {
    return static_cast<double>(r.monthly_total(from, to, v));
}
/// Sum over every cell and year of the horizon.
inline double total(const RunOutputs& r, AnnualVar v) {
    double s = 0;
    for (int y = 0; y < r.years; ++y) s += static_cast<double>(r.annual_total(y, v));
    return s;
}
inline double total(const std::vector<RunOutputs>& runs, MonthlyVar v) {
    double s = 0;
    for (const auto& r : runs) s += total(r, v);
    return s;
}
inline double total(const std::vector<RunOutputs>& runs, AnnualVar v) {
    double s = 0;
    for (const auto& r : runs) s += total(r, v);
    return s;
}
/// Sum of a provider variable over years and the providers of one type.
inline double provider_total(const Scenario& sc, const RunOutputs& r, ProviderVar v, ProviderType type) {
    double s = 0;
    for (int y = 0; y < r.years; ++y)
        for (int p = 0; p < r.providers; ++p)
            if (sc.providers[static_cast<std::size_t>(p)].type == type) s += provider(r, y, p, v);
    return s;
}
inline const char* name_of(MonthlyVar v) {
    return kMonthlyVarInfo[static_cast<std::size_t>(v)].name;
}
inline const char* name_of(AnnualVar v) {
    return kAnnualVarInfo[static_cast<std::size_t>(v)].name;
}

/// Index of a summary measure by name (fails the test if there is none).
inline std::size_t measure(const std::string& name) {
    const auto& m = summary_measures();
    for (std::size_t i = 0; i < m.size(); ++i)
        if (m[i].name == name) return i;
    FAIL("no summary measure " << name);
    return 0;
}
inline double summary_value(const Scenario& sc, const RunOutputs& r, const std::string& name) {
    return summarise(sc, ModelParams::from(sc.params), r)[measure(name)];
}

// ---- exact comparison ---------------------------------------------------------------------

template <class T>
bool same_bits(const std::vector<T>& a, const std::vector<T>& b) {
    return a.size() == b.size() && (a.empty() || std::memcmp(a.data(), b.data(), a.size() * sizeof(T)) == 0);
}

/// Names of the fields in which two runs differ (empty = bit-identical in every field).
inline std::vector<std::string> differences(const RunOutputs& a, const RunOutputs& b) {
    std::vector<std::string> d;
    if (a.years != b.years || a.months != b.months || a.areas != b.areas || a.providers != b.providers ||
        a.cells != b.cells)
        d.emplace_back("shape");
    if (!same_bits(a.monthly.dense(), b.monthly.dense())) d.emplace_back("monthly");
    if (!same_bits(a.monthly_by_month, b.monthly_by_month)) d.emplace_back("monthly_by_month");
    if (!same_bits(a.annual, b.annual)) d.emplace_back("annual");
    if (!same_bits(a.children_by_age, b.children_by_age)) d.emplace_back("children_by_age");
    if (!same_bits(a.deaths_by_age, b.deaths_by_age)) d.emplace_back("deaths_by_age");
    if (!same_bits(a.children_by_diagnosis, b.children_by_diagnosis)) d.emplace_back("children_by_diagnosis");
    if (!same_bits(a.children_by_category, b.children_by_category)) d.emplace_back("children_by_category");
    if (!same_bits(a.provider, b.provider)) d.emplace_back("provider");
    if (!same_bits(a.area_cover_days, b.area_cover_days)) d.emplace_back("area_cover_days");
    if (!same_bits(a.network_cost, b.network_cost)) d.emplace_back("network_cost");
    if (!same_bits(a.care_value, b.care_value)) d.emplace_back("care_value");
    if (!same_bits(a.area_bed_days, b.area_bed_days)) d.emplace_back("area_bed_days");
    if (!same_bits(a.area_picu_days, b.area_picu_days)) d.emplace_back("area_picu_days");
    if (!same_bits(a.area_network_cost, b.area_network_cost)) d.emplace_back("area_network_cost");
    if (a.child_days != b.child_days) d.emplace_back("child_days");
    if (a.children_simulated != b.children_simulated) d.emplace_back("children_simulated");
    return d;
}

inline std::string joined(const std::vector<std::string>& v) {
    std::string s;
    for (const auto& x : v) s += (s.empty() ? "" : ", ") + x;
    return s.empty() ? "(none)" : s;
}

// ---- statistics ---------------------------------------------------------------------------

inline double mean(const std::vector<double>& x) {
    return x.empty() ? NAN : std::accumulate(x.begin(), x.end(), 0.0) / static_cast<double>(x.size());
}
/// Standard error of the mean (sample SD / sqrt(n)).
inline double standard_error(const std::vector<double>& x) {
    const double m = mean(x);
    double ss = 0;
    for (double v : x) ss += (v - m) * (v - m);
    return std::sqrt(ss / static_cast<double>(x.size() - 1) / static_cast<double>(x.size()));
}
/// Least-squares slope of y on 0, 1, 2, ...
inline double slope(const std::vector<double>& y) {
    const double n = static_cast<double>(y.size());
    const double xm = (n - 1) / 2;
    const double ym = mean(y);
    double sxy = 0, sxx = 0;
    for (std::size_t i = 0; i < y.size(); ++i) {
        const double dx = static_cast<double>(i) - xm;
        sxy += dx * (y[i] - ym);
        sxx += dx * dx;
    }
    return sxy / sxx;
}

/// Paired differences a[i] - b[i].
inline std::vector<double> paired(const std::vector<double>& a, const std::vector<double>& b) {
    std::vector<double> d;
    for (std::size_t i = 0; i < a.size() && i < b.size(); ++i) d.push_back(a[i] - b[i]);
    return d;
}

/// One value per replicate.
template <class F>
std::vector<double> per_run(const std::vector<RunOutputs>& runs, F f) {
    std::vector<double> v;
    for (const auto& r : runs) v.push_back(f(r));
    return v;
}

}  // namespace engine_test
