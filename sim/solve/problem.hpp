// What `cpcsim solve` is asked (docs/explorer.md, "cpcsim solve"): a target on a summary measure
// or on its paired difference from a baseline, the levers with their ranges, and the evaluation
// of a lever setting on a range of replicates of a scenario (common random numbers: replicate i
// is the same children at every setting and in the baseline).
#pragma once

#include "scenario/params.hpp"

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace cpcsim::solve {

/// "MEASURE >= VALUE", "MEASURE <= VALUE", or with "diff " before the measure: the per-replicate
/// difference changed minus baseline (same replicate index).
struct Target {
    std::string measure;
    std::size_t index = 0;  ///< into summary_measures()
    bool at_least = true;
    double value = 0;
    bool difference = false;
    [[nodiscard]] bool met(double v) const;
    [[nodiscard]] std::string text() const;
};
/// Parses a target; cpcsim::Error (file "--target") naming what was expected or the unknown measure.
[[nodiscard]] Target parse_target(const std::string& text);

/// The index of a summary measure; cpcsim::Error (file `what`) if there is none of that name.
[[nodiscard]] std::size_t measure_index(const std::string& name, const std::string& what);

/// A numeric scalar parameter and the range the search may set it in.
struct Lever {
    std::string key;
    double low = 0, high = 0;
    bool integer = false;  ///< an Integer parameter: values are rounded
    /// The value at unit position u in [0, 1] (rounded for integer levers).
    [[nodiscard]] double at(double u) const;
    /// The unit position of a value.
    [[nodiscard]] double unit(double x) const { return (x - low) / (high - low); }
};
/// Parses KEY=LOW:HIGH against `registry`: the key must be a numeric scalar parameter and
/// LOW < HIGH inside its valid range; cpcsim::Error (file "--lever") otherwise.
[[nodiscard]] Lever parse_lever(const std::string& text, const ParamRegistry& registry);
/// A lever from its parts (the explorer's fields), checked as parse_lever does.
[[nodiscard]] Lever make_lever(const std::string& key, double low, double high, const ParamRegistry& registry);

/// One replicate's values at a setting: the target's quantity (the difference from the
/// baseline for a difference target) and the measure to minimise (NaN when none).
struct ReplicateValue {
    double target = 0;
    double objective = 0;
};
/// The values of replicates [first, first + count) at lever values `x` (one per lever).
using Evaluate = std::function<std::vector<ReplicateValue>(const std::vector<double>& x, int first, int count)>;

/// Evaluates settings by loading `scenario` with `overrides` plus the levers' values as --set
/// overrides (the scenario's own validation applies) and running its replicates on `seed`. For
/// a difference target the baseline (`baseline_file`, else the scenario with `overrides` only)
/// is run once per replicate index and cached.
class ScenarioEvaluator {
public:
    struct Options {
        std::filesystem::path scenario;
        std::filesystem::path baseline_file;  ///< empty: the scenario itself
        std::vector<std::string> overrides;
        std::uint64_t seed = 0;
        int threads = 0;
        std::optional<std::size_t> objective;          ///< summary measure to minimise
        const std::atomic<bool>* cancelled = nullptr;  ///< checked before each run; throws Cancelled
    };
    struct Cancelled {};

    ScenarioEvaluator(std::vector<Lever> levers, Target target, Options options);
    std::vector<ReplicateValue> operator()(const std::vector<double>& x, int first, int count);
    /// How many replicates were simulated (settings and baseline).
    [[nodiscard]] long long runs() const noexcept { return runs_; }

private:
    std::vector<double> measure_values(const std::vector<std::string>& overrides, const std::filesystem::path& file,
                                       int first, int count, std::vector<double>* objective);

    std::vector<Lever> levers_;
    Target target_;
    Options options_;
    std::map<int, double> baseline_;  ///< target measure of the baseline per replicate index
    long long runs_ = 0;
};

/// A lever value as an override value (17 significant digits; whole numbers for integers).
[[nodiscard]] std::string format_value(double x);

}  // namespace cpcsim::solve
