// The search behind `cpcsim solve` (docs/explorer.md, "cpcsim solve"): the setting of several
// levers with the smallest mean objective among those meeting a target in at least a share
// `confidence` of replicates, found on common random numbers by a space-filling design, a
// surrogate of every replicate's response, refinement around the best feasible candidate and a
// verification on fresh replicates. Also the one-lever bisection.
#pragma once

#include "metrics/summary.hpp"
#include "solve/problem.hpp"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace cpcsim::solve {

/// A space-filling design of `points` points in the unit box [0,1]^k: a Latin hypercube keyed
/// by (seed, block) with one column per key, each point at the centre of its stratum's random
/// position (sweep::latin_hypercube), so the plan is the same on every machine.
[[nodiscard]] std::vector<std::vector<double>> unit_design(std::uint64_t seed, int block, int points,
                                                           const std::vector<std::string>& keys);

/// A full quadratic in k unit coordinates (1, u_j, u_j u_l for j <= l) fitted by least squares
/// to several responses at once (one column of `y` per response); linear when there are fewer
/// points than quadratic terms.
class QuadraticFit {
public:
    /// `u`: the points; `y[i][c]`: response c at point i.
    QuadraticFit(const std::vector<std::vector<double>>& u, const std::vector<std::vector<double>>& y);
    /// Every response's prediction at `u`.
    [[nodiscard]] std::vector<double> predict(const std::vector<double>& u) const;
    [[nodiscard]] std::size_t terms() const noexcept { return terms_; }
    [[nodiscard]] bool quadratic() const noexcept { return quadratic_; }
    /// Share of the variance of the responses' mean over the points that the fit explains.
    [[nodiscard]] double r_squared() const noexcept { return r_squared_; }

private:
    [[nodiscard]] std::vector<double> basis(const std::vector<double>& u) const;
    std::size_t k_ = 0, terms_ = 0;
    bool quadratic_ = true;
    std::vector<std::vector<double>> coef_;  ///< [term][response]
    double r_squared_ = 0;
};

/// Wilson score 95% interval of a binomial share `met` of `n`.
struct ShareInterval {
    double share = 0, low = 0, high = 0;
};
[[nodiscard]] ShareInterval wilson_interval(int met, int n);

/// One setting evaluated on replicates [first, first + replicates).
struct Point {
    std::vector<double> x;  ///< lever values
    std::string stage;      ///< "design", "refine", "bisect" or "verify"
    int first = 0, replicates = 0, met = 0;
    Interval target;              ///< the target's quantity: mean and 95% interval
    Interval objective;           ///< the measure minimised, or the levers' unit-position sum
    double predicted_share = -1;  ///< the surrogate's share met where it chose this point; -1 if not chosen by it
    [[nodiscard]] double share() const { return replicates ? static_cast<double>(met) / replicates : 0; }
};

struct Settings {
    double confidence = 0.8;     ///< least share of replicates meeting the target
    int replicates = 10;         ///< search replicates [0, replicates)
    int verify_replicates = 40;  ///< fresh replicates [replicates, replicates + this) for the answer
    int design_points = 0;       ///< 0: twice the quadratic's terms, at least 8
    int refine_points = 0;       ///< 0: the quadratic's terms, at least 4
    int bisection_steps = 4;
    double shrink = 0.15;  ///< half-width of the refinement box, as a share of each range
    std::uint64_t design_seed = 20261202;
    bool minimise = false;  ///< minimise the evaluated objective; else the sum of the levers' unit positions
    /// Called after every evaluation (progress, the explorer's partial answers).
    std::function<void(const std::vector<Point>&)> on_point;
};

struct Result {
    std::vector<Point> points;          ///< every setting tried, in order (verification last)
    std::optional<std::size_t> answer;  ///< index of the answer among the search points
    std::optional<Point> verification;  ///< the answer on fresh replicates
    ShareInterval verified_share;       ///< Wilson interval of the verification's share met
    double surrogate_r2_target = 0, surrogate_r2_objective = 0;
    bool quadratic = true;  ///< the surrogate's form at the end (false: linear, too few points)
    [[nodiscard]] long long runs() const;
};

/// The design-surrogate-refine-verify search (several levers, or one with an objective).
[[nodiscard]] Result search(const std::vector<Lever>& levers, const Target& target, const Settings& settings,
                            const Evaluate& evaluate);

/// One lever, no objective: the smallest value meeting the target in `confidence` of replicates,
/// by bisection (assumed monotone) until the bracket is `tolerance` of the range. Points are in
/// evaluation order; `answer` is the bracket's high end (or LOW when LOW already meets it);
/// none when HIGH does not. `bracket_low` is the largest value found not to meet it.
struct Bisection {
    Result result;
    double bracket_low = 0;
};
[[nodiscard]] Bisection bisect(const Lever& lever, const Target& target, const Settings& settings, double tolerance,
                               const Evaluate& evaluate);

/// The result as JSON (target, levers, settings, every point, the answer and its verification).
[[nodiscard]] std::string result_json(const Result& r, const std::vector<Lever>& levers, const Target& target,
                                      const Settings& settings, const std::string& objective_name);
/// The points as CSV: stage, lever values, replicates, met, share, target and objective intervals, answer flag.
[[nodiscard]] std::string result_csv(const Result& r, const std::vector<Lever>& levers);

}  // namespace cpcsim::solve
