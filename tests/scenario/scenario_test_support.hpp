// Shared by the scenario tests: a small parameter registry of every kind (so the tests do not
// depend on the model's parameter list), fixture paths, and a helper that captures the problems
// of a failed load.
#pragma once

#include "core/error.hpp"
#include "scenario/scenario.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <string>
#include <vector>

namespace scenario_test {

using cpcsim::Evidence;
using cpcsim::ParamKind;
using cpcsim::ParamRegistry;
using cpcsim::ParamSpec;

inline ParamSpec spec(std::string key, ParamKind kind, std::vector<double> defaults, double min, double max,
                      std::vector<std::string> labels = {}, std::vector<std::string> rows = {}) {
    return ParamSpec{std::move(key),    "unit",          kind,   std::move(defaults), min,   max,
                     std::move(labels), std::move(rows), "help", Evidence::Assumed,   "test"};
}

inline std::vector<ParamSpec> base_specs() {
    return {
        spec("run.years", ParamKind::Integer, {10}, 1, 100),
        spec("run.warmup_years", ParamKind::Integer, {3}, 0, 50),
        spec("population.ethnicity_rate_ratio", ParamKind::Real, {1.0, 1.8, 1.55, 1.15}, 0, 10,
             {"White", "South Asian", "Black", "Mixed/Other"}),
        spec("population.category_by_diagnosis", ParamKind::Real, {0.2, 0.1, 0.3, 0.4, 0.9, 0.0, 0.05, 0.05}, 0, 1,
             {"cat1", "cat2", "cat3", "cat4"}, {"congenital", "oncology"}),
        spec("network.shared_records", ParamKind::Boolean, {0}, 0, 1),
        spec("network.coordinator_wte", ParamKind::Real, {0}, 0, 10),
    };
}

/// Every kind of parameter, plus the geography parameters used for travel times.
inline const ParamRegistry& registry() {
    static const ParamRegistry instance = [] {
        auto specs = base_specs();
        specs.push_back(spec("geography.road_factor", ParamKind::Real, {1.3}, 1, 3));
        specs.push_back(spec("geography.speed_kmh", ParamKind::Real, {50}, 5, 120));
        return ParamRegistry(std::move(specs));
    }();
    return instance;
}

/// The same without geography parameters: travel times fall back to 1.3 and 50 km/h.
inline const ParamRegistry& registry_without_geography() {
    static const ParamRegistry instance(base_specs());
    return instance;
}

inline std::filesystem::path data(const std::string& name) {
    return std::filesystem::path(CPCSIM_SOURCE_DIR) / "tests" / "scenario" / "data" / name;
}

inline cpcsim::Scenario load(const std::string& name, const std::vector<std::string>& overrides = {}) {
    return cpcsim::load_scenario(data(name), overrides, registry());
}

/// The error of a load that must fail (the test fails if it succeeds).
inline cpcsim::Error load_error(const std::filesystem::path& file, const std::vector<std::string>& overrides = {},
                                const ParamRegistry& params = registry()) {
    try {
        (void)cpcsim::load_scenario(file, overrides, params);
    } catch (const cpcsim::Error& e) {
        return e;
    }
    FAIL("expected cpcsim::Error loading " << file.string());
    throw std::logic_error("unreachable");
}

/// The one problem whose text contains every one of `parts` (fails the test when there is none).
inline cpcsim::Problem problem_with(const cpcsim::Error& error, const std::vector<std::string>& parts) {
    for (const auto& problem : error.problems()) {
        const std::string text = problem.to_string();
        bool all = true;
        for (const auto& part : parts) all = all && text.find(part) != std::string::npos;
        if (all) return problem;
    }
    std::string wanted;
    for (const auto& part : parts) wanted += " [" + part + "]";
    FAIL("no problem contains" << wanted << "; got:\n" << error.what());
    throw std::logic_error("unreachable");
}

}  // namespace scenario_test
