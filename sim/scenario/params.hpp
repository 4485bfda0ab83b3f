// Parameters: each declared once (key, unit, default, valid range, help, evidence tag and
// source) in sim/model/parameter_table.cpp. Scenario files set them by key; the docs'
// parameter table is generated from the same declarations (`cpcsim params --markdown`).
#pragma once

#include "scenario/uncertainty.hpp"

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace cpcsim {

/// How sure we are of a number: published [E], derived from published figures [D], assumed [A].
enum class Evidence { Published, Derived, Assumed };
[[nodiscard]] std::string_view evidence_tag(Evidence e) noexcept;  // "E", "D", "A"

enum class ParamKind { Real, Integer, Boolean };

/// The declaration of one parameter. A parameter is a scalar, a 1-D array with a label per
/// element (`labels`), or a 2-D table (`row_labels` x `labels`, stored row-major).
struct ParamSpec {
    std::string key;   ///< dotted, e.g. "phase.unstable_mean_days"
    std::string unit;  ///< "per year", "days", "probability", "GBP", ...
    ParamKind kind = ParamKind::Real;
    std::vector<double> defaults;  ///< flat; size() values
    double min = 0.0;              ///< valid range, inclusive, for every element
    double max = 0.0;
    std::vector<std::string> labels;      ///< element (column) labels; empty for a scalar
    std::vector<std::string> row_labels;  ///< row labels of a 2-D table; empty otherwise
    std::string help;
    Evidence evidence = Evidence::Assumed;
    std::string source;    ///< citation or basis of the default
    bool weights = false;  ///< a distribution: each row needs a positive total
    /// Its uncertainty for probabilistic sensitivity analysis (declared apart from the rest, in
    /// sim/model/parameter_priors.cpp); Fixed when it is not varied.
    Distribution uncertainty{};
    /// May also be set for some areas only, in a [[local_network]] block of a scenario file (a
    /// lever of the network section that a commissioner can pull locally).
    bool local = false;

    [[nodiscard]] std::size_t size() const noexcept { return defaults.size(); }
    [[nodiscard]] bool is_scalar() const noexcept { return labels.empty(); }
    [[nodiscard]] bool is_table() const noexcept { return !row_labels.empty(); }
    /// "" if v is valid for element i, else what was expected.
    [[nodiscard]] std::string check(double v) const;
};

/// A set of parameter declarations, in declaration order. The model's own set is
/// `model_parameters()` (sim/model/parameter_table.hpp); scenario/ never names it, so callers pass it in.
class ParamRegistry {
public:
    explicit ParamRegistry(std::vector<ParamSpec> specs);

    [[nodiscard]] const std::vector<ParamSpec>& specs() const noexcept { return specs_; }
    /// Index of `key`, or -1.
    [[nodiscard]] int index(std::string_view key) const;
    [[nodiscard]] const ParamSpec* find(std::string_view key) const;
    /// Keys close to `key` (same section or small edit distance), for "did you mean".
    [[nodiscard]] std::vector<std::string> similar(std::string_view key) const;

private:
    std::vector<ParamSpec> specs_;
    std::unordered_map<std::string, int> by_key_;
};

/// Values for every parameter of a registry; starts at the defaults.
class ParamSet {
public:
    explicit ParamSet(const ParamRegistry& registry);
    /// No parameters at all (a placeholder to assign a loaded scenario to).
    ParamSet();

    [[nodiscard]] const ParamRegistry& registry() const noexcept { return *registry_; }
    /// Scalar value. Throws std::logic_error on an unknown key or an array key (a coding error).
    [[nodiscard]] double get(std::string_view key) const;
    [[nodiscard]] bool flag(std::string_view key) const { return get(key) != 0.0; }
    /// Array or table value, flat (row-major for tables).
    [[nodiscard]] std::span<const double> array(std::string_view key) const;
    /// Row `row` of a 2-D table.
    [[nodiscard]] std::span<const double> row(std::string_view key, std::size_t row) const;
    /// Sets a value without validation (the scenario loader validates first).
    void set(std::string_view key, std::vector<double> values);
    [[nodiscard]] const std::vector<double>& values(std::size_t index) const { return values_[index]; }

private:
    const ParamRegistry* registry_;
    std::vector<std::vector<double>> values_;
};

}  // namespace cpcsim
