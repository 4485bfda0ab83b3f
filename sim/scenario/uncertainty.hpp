// Parameter uncertainty: the distribution declared for a parameter (probabilistic sensitivity
// analysis), and the draw of a whole parameter set for one replicate. A draw is a pure function
// of (uncertainty seed, draw index, parameter key) on its own named random stream, so it does not
// depend on threads, tasks or ranks, never shifts the illness streams (the children stay the
// same), and every scenario run with the same settings draws the same values.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace cpcsim {

struct Scenario;
class ParamSet;
struct Ensemble;
struct ParamSpec;

/// The family of a distribution. Parameters (a, b, c, d) by family:
///   Fixed: none (the parameter keeps its value);
///   Uniform(min a, max b); Triangular(min a, mode b, max c);
///   Beta(mean a, sd b) on [0, 1]; Gamma(mean a, sd b) on [0, inf);
///   Lognormal(median a, sigma b: sd of the log); TruncatedNormal(mean a, sd b);
///   Dirichlet(concentration a): a share vector (each row of a share table) drawn around the
///   scenario's shares, so every draw still sums to 1 (declared only, not in scenario files).
/// Every family but Fixed and Dirichlet may be truncated to [lower, upper] (by inverse CDF, so it
/// stays one uniform per draw).
enum class Family { Fixed, Uniform, Triangular, Beta, Gamma, Lognormal, TruncatedNormal, Dirichlet };

/// What the drawn number does to the parameter's values x (every element of an array or table):
///   Value:      x = draw (scalars only);
///   Multiplier: x = x0 * draw (keeps the shape of an array);
///   Gradient:   x = 1 + draw * (x0 - 1) (a ratio gradient whose steepness is uncertain; 1 = as declared);
///   Odds:       odds(x) = odds(x0) * draw (probabilities stay inside (0, 1)).
/// Results are clamped to the parameter's valid range.
enum class Applies { Value, Multiplier, Gradient, Odds };

struct Distribution {
    Family family = Family::Fixed;
    Applies applies = Applies::Value;
    double a = 0, b = 0, c = 0;
    double lower = -1e300, upper = 1e300;  ///< truncation of the draw
    int element = -1;                      ///< the one element (flat index) it applies to; -1: every element
    std::string why;                       ///< the basis (source or reasoning), shown in docs/parameters.md

    [[nodiscard]] bool fixed() const noexcept { return family == Family::Fixed; }
    bool operator==(const Distribution&) const = default;
    /// The draw at probability u in (0, 1) (inverse CDF of the truncated distribution). A
    /// distribution with zero spread returns its centre exactly for every u.
    [[nodiscard]] double quantile(double u) const;
    /// "" if the parameters are valid, else what was expected.
    [[nodiscard]] std::string problem() const;
    /// E.g. "Beta(mean 0.25, sd 0.08)", "multiplier ~ Lognormal(median 1, sigma 0.2)", "fixed".
    [[nodiscard]] std::string describe() const;
};

[[nodiscard]] const char* family_name(Family f) noexcept;    // "fixed", "uniform", ... (scenario-file spelling)
[[nodiscard]] const char* applies_name(Applies a) noexcept;  // "value", "multiplier", "gradient", "odds"

/// Builders for the declarations (parameter_priors.cpp) and tests.
namespace prior {
Distribution fixed(std::string why);
Distribution uniform(double lo, double hi, std::string why);
Distribution triangular(double lo, double mode, double hi, std::string why);
Distribution beta(double mean, double sd, std::string why);
Distribution gamma(double mean, double sd, std::string why);
Distribution lognormal(double median, double sigma, std::string why);
Distribution truncated_normal(double mean, double sd, double lo, double hi, std::string why);
/// Dirichlet draws of a share vector (each row of a share table, normalised) with mean the
/// scenario's shares and total concentration `concentration` (var of share p: p(1-p)/(c+1));
/// infinite concentration keeps the scenario's values exactly.
Distribution dirichlet(double concentration, std::string why);
/// Truncates a distribution's draw to [lo, hi].
Distribution truncated(Distribution d, double lo, double hi);
/// The same distribution applied to the parameter as `how`.
Distribution applied(Distribution d, Applies how);
/// The same distribution applied to element `index` (flat) only.
Distribution only_element(Distribution d, int index);
}  // namespace prior

/// Parameter uncertainty of a run: off (every replicate uses the scenario's values, the default)
/// or drawn. Set by the command line on the loaded scenario.
struct UncertaintySettings {
    bool on = false;
    std::uint64_t seed = 0;  ///< key of the parameter draws (the run's seed unless given)
    int per_draw = 1;        ///< consecutive replicates sharing one draw: replicate r uses draw r / per_draw
    /// When set, draw k is set k mod N of this calibrated ensemble instead of a draw from the
    /// priors (--uncertainty ENSEMBLE.h5; scenario/ensemble.hpp).
    std::shared_ptr<const Ensemble> ensemble;
    /// With an ensemble: every other uncertain parameter is drawn from its prior as well (the
    /// ensemble's parameters are not), so draw k is the ensemble's set k mod N for the calibrated
    /// inputs and prior draw k for the rest (--uncertainty prior --ensemble ENSEMBLE.h5).
    bool with_priors = false;
};

/// Gives the scenario its parameter draws. With an ensemble and priors together, the parameters
/// the ensemble sets are no longer drawn from their priors (scenario.uncertainty says so).
void set_draws(Scenario& scenario, UncertaintySettings settings);

/// The uncertain parameters of a scenario: registry indices whose distribution is not fixed, in
/// declaration order. These are the columns of the draws table.
[[nodiscard]] std::vector<std::size_t> uncertain_parameters(const Scenario& scenario);

/// One draw: the drawn number of each column of draw_column_names(): per uncertain parameter its
/// value, or the multiplier, gradient or odds ratio applied to it; a Dirichlet parameter has one
/// column per share of each row but the row's last (which is 1 minus the others).
struct ParameterDraw {
    std::vector<double> drawn;
};

/// The draw with index `draw` of the scenario's uncertain parameters under `seed`.
[[nodiscard]] ParameterDraw draw_parameters(const Scenario& scenario, std::uint64_t seed, std::uint32_t draw);
/// The values the draw gives (scenario values with every uncertain parameter replaced).
[[nodiscard]] ParamSet apply_draw(const Scenario& scenario, const ParameterDraw& draw);
/// Prior quantiles of one uncertain parameter (the space of `cpcsim calibrate --space prior`,
/// docs/calibration.md): u in (0, 1), one for a scalar prior (its inverse CDF) and one per column
/// of a Dirichlet (the column's Gamma variate at u_j, then normalised, as in a prior draw).
struct PriorQuantiles {
    std::size_t parameter;  ///< registry index
    std::vector<double> u;
};
/// How many quantiles a parameter's prior takes: 0 (fixed), 1, or a Dirichlet's columns.
[[nodiscard]] std::size_t quantile_count(const Distribution& d, const ParamSpec& spec, std::size_t size);
/// `params` with each listed parameter realised at its prior quantiles exactly as a prior draw
/// whose uniforms were those quantiles would realise it (the same inverse CDFs, multipliers,
/// gradients, odds ratios and Dirichlet reweighting as draw_parameters and apply_draw).
[[nodiscard]] ParamSet at_prior_quantiles(ParamSet params, const std::vector<Distribution>& uncertainty,
                                          std::vector<PriorQuantiles> quantiles);
/// The parameter values replicate `replicate` runs with: the scenario's own when uncertainty is
/// off, else those of draw replicate / per_draw.
[[nodiscard]] ParamSet replicate_parameters(const Scenario& scenario, std::uint32_t replicate);

/// Names of the draws table's columns: the key, with " (multiplier)", " (gradient)" or
/// " (odds ratio)" when the drawn number scales the values; "key[label] (share)" or
/// "key[row, label] (share)" for the shares of a Dirichlet parameter.
[[nodiscard]] std::vector<std::string> draw_column_names(const Scenario& scenario);
/// The distribution of each column, described (Distribution::describe()), in column order.
[[nodiscard]] std::vector<std::string> draw_column_distributions(const Scenario& scenario);

}  // namespace cpcsim
