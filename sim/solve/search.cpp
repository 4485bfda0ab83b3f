// Design, surrogate, refinement, verification; the one-lever bisection; JSON and CSV of results.
#include "solve/search.hpp"

#include "sweep/design.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <limits>
#include <map>
#include <numeric>
#include <sstream>

namespace cpcsim::solve {

std::vector<std::vector<double>> unit_design(std::uint64_t seed, int block, int points,
                                             const std::vector<std::string>& keys) {
    return sweep::latin_hypercube(seed, block, points, keys);
}

// ---------------------------------------------------------------------------------------------
// Least squares

namespace {

/// Solves A X = B (A n x n, symmetric positive definite after a small ridge; B n x m) by
/// Gaussian elimination with partial pivoting; A and B are overwritten.
std::vector<std::vector<double>> solve_linear(std::vector<std::vector<double>> a, std::vector<std::vector<double>> b) {
    const std::size_t n = a.size();
    for (std::size_t c = 0; c < n; ++c) {
        std::size_t p = c;
        for (std::size_t r = c + 1; r < n; ++r)
            if (std::abs(a[r][c]) > std::abs(a[p][c])) p = r;
        std::swap(a[c], a[p]);
        std::swap(b[c], b[p]);
        const double pivot = a[c][c];
        for (std::size_t r = c + 1; r < n; ++r) {
            const double f = a[r][c] / pivot;
            if (f == 0) continue;
            for (std::size_t j = c; j < n; ++j) a[r][j] -= f * a[c][j];
            for (std::size_t j = 0; j < b[r].size(); ++j) b[r][j] -= f * b[c][j];
        }
    }
    for (std::size_t c = n; c-- > 0;) {
        for (std::size_t j = 0; j < b[c].size(); ++j) {
            double s = b[c][j];
            for (std::size_t r = c + 1; r < n; ++r) s -= a[c][r] * b[r][j];
            b[c][j] = s / a[c][c];
        }
    }
    return b;
}

}  // namespace

QuadraticFit::QuadraticFit(const std::vector<std::vector<double>>& u, const std::vector<std::vector<double>>& y)
    : k_(u.empty() ? 0 : u.front().size()) {
    assert(!u.empty() && u.size() == y.size());
    const std::size_t full = 1 + k_ + k_ * (k_ + 1) / 2;
    quadratic_ = u.size() >= full + 1;  // at least one point more than terms, so the fit is not an interpolation
    terms_ = quadratic_ ? full : 1 + k_;
    const std::size_t m = y.front().size();
    std::vector<std::vector<double>> ata(terms_, std::vector<double>(terms_, 0.0));
    std::vector<std::vector<double>> aty(terms_, std::vector<double>(m, 0.0));
    for (std::size_t i = 0; i < u.size(); ++i) {
        const auto b = basis(u[i]);
        for (std::size_t r = 0; r < terms_; ++r) {
            for (std::size_t c = 0; c < terms_; ++c) ata[r][c] += b[r] * b[c];
            for (std::size_t j = 0; j < m; ++j) aty[r][j] += b[r] * y[i][j];
        }
    }
    // A tiny ridge keeps the system solvable when the design leaves a term undetermined
    // (coincident points of an integer lever); it does not bias a well-posed fit measurably.
    for (std::size_t r = 0; r < terms_; ++r) ata[r][r] += 1e-9 * (1.0 + ata[r][r]);
    coef_ = solve_linear(std::move(ata), std::move(aty));
    // R^2 of the responses' mean.
    std::vector<double> mean(u.size()), fitted(u.size());
    for (std::size_t i = 0; i < u.size(); ++i) {
        const auto p = predict(u[i]);
        mean[i] = std::accumulate(y[i].begin(), y[i].end(), 0.0) / static_cast<double>(m);
        fitted[i] = std::accumulate(p.begin(), p.end(), 0.0) / static_cast<double>(m);
    }
    const double grand = std::accumulate(mean.begin(), mean.end(), 0.0) / static_cast<double>(mean.size());
    double total = 0, residual = 0;
    for (std::size_t i = 0; i < mean.size(); ++i) {
        total += (mean[i] - grand) * (mean[i] - grand);
        residual += (mean[i] - fitted[i]) * (mean[i] - fitted[i]);
    }
    r_squared_ = total > 0 ? 1 - residual / total : 1;
}

std::vector<double> QuadraticFit::basis(const std::vector<double>& u) const {
    std::vector<double> b{1.0};
    b.insert(b.end(), u.begin(), u.end());
    if (quadratic_)
        for (std::size_t j = 0; j < k_; ++j)
            for (std::size_t l = j; l < k_; ++l) b.push_back(u[j] * u[l]);
    return b;
}

std::vector<double> QuadraticFit::predict(const std::vector<double>& u) const {
    const auto b = basis(u);
    std::vector<double> out(coef_.front().size(), 0.0);
    for (std::size_t r = 0; r < terms_; ++r)
        for (std::size_t j = 0; j < out.size(); ++j) out[j] += b[r] * coef_[r][j];
    return out;
}

ShareInterval wilson_interval(int met, int n) {
    if (n <= 0) return {0, 0, 1};
    const double z = 1.959963984540054, p = static_cast<double>(met) / n, nn = n;
    const double centre = (p + z * z / (2 * nn)) / (1 + z * z / nn);
    const double half = z / (1 + z * z / nn) * std::sqrt(p * (1 - p) / nn + z * z / (4 * nn * nn));
    return {p, std::max(0.0, centre - half), std::min(1.0, centre + half)};
}

long long Result::runs() const {
    long long n = 0;
    for (const auto& p : points) n += p.replicates;
    return n;
}

// ---------------------------------------------------------------------------------------------
// The search

namespace {

class Search {
public:
    Search(const std::vector<Lever>& levers, const Target& target, const Settings& s, const Evaluate& evaluate)
        : levers_(levers), target_(target), s_(s), evaluate_(evaluate) {}

    /// Evaluates the setting at unit position `u` (search replicates unless `first` > 0).
    Point& run(std::vector<double> u, const std::string& stage, double predicted = -1, int first = 0, int count = 0) {
        if (count == 0) count = s_.replicates;
        Point p;
        p.stage = stage;
        p.first = first;
        p.replicates = count;
        p.predicted_share = predicted;
        for (std::size_t j = 0; j < levers_.size(); ++j) {
            p.x.push_back(levers_[j].at(u[j]));
            u[j] = levers_[j].unit(p.x.back());  // integer levers: the rounded value's position
        }
        const auto values = evaluate_(p.x, first, count);
        std::vector<double> t, o;
        for (const auto& v : values) {
            t.push_back(v.target);
            o.push_back(v.objective);
            p.met += target_.met(v.target) ? 1 : 0;
        }
        p.target = mean_interval(t);
        if (s_.minimise) {
            p.objective = mean_interval(o);
        } else {
            const double sum = std::accumulate(u.begin(), u.end(), 0.0);
            p.objective = Interval{sum, sum, sum, 0, count};
        }
        result_.points.push_back(p);
        if (first == 0) {
            // The surrogate's data: every replicate's value (an undefined one, e.g. a rate with
            // no denominator, as the point's mean of the others, so it does not pull the fit).
            const double fill = std::isfinite(p.target.mean) ? p.target.mean : 0.0;
            for (auto& v : t)
                if (!std::isfinite(v)) v = fill;
            unit_.push_back(u);
            responses_.push_back(t);
            objectives_.push_back({std::isfinite(p.objective.mean) ? p.objective.mean : 0.0});
            search_index_.push_back(result_.points.size() - 1);
        }
        if (s_.on_point) s_.on_point(result_.points);
        return result_.points.back();
    }

    [[nodiscard]] const Result& result() const noexcept { return result_; }

    void fit() {
        target_fit_.emplace(unit_, responses_);
        if (s_.minimise) objective_fit_.emplace(unit_, objectives_);
        result_.quadratic = target_fit_->quadratic();
        result_.surrogate_r2_target = target_fit_->r_squared();
        result_.surrogate_r2_objective = s_.minimise ? objective_fit_->r_squared() : 1.0;
    }
    [[nodiscard]] double predicted_share(const std::vector<double>& u) const {
        const auto v = target_fit_->predict(u);
        const auto met = std::count_if(v.begin(), v.end(), [&](double x) { return target_.met(x); });
        return static_cast<double>(met) / static_cast<double>(v.size());
    }
    [[nodiscard]] double predicted_objective(const std::vector<double>& u) const {
        return s_.minimise ? objective_fit_->predict(u).front() : std::accumulate(u.begin(), u.end(), 0.0);
    }

    /// The candidate the surrogate rates best: the smallest predicted objective among those
    /// predicted to meet the target often enough; else the largest predicted share.
    [[nodiscard]] std::pair<std::vector<double>, double> best_candidate(const std::vector<std::vector<double>>& cands) {
        std::optional<std::size_t> best;
        double best_obj = 0, best_share = -1;
        bool best_feasible = false;
        for (std::size_t i = 0; i < cands.size(); ++i) {
            const double share = predicted_share(cands[i]), obj = predicted_objective(cands[i]);
            const bool feasible = share >= s_.confidence;
            const bool better =
                !best || (feasible && !best_feasible) || (feasible && best_feasible && obj < best_obj) ||
                (!feasible && !best_feasible && (share > best_share || (share == best_share && obj < best_obj)));
            if (better) best = i, best_obj = obj, best_share = share, best_feasible = feasible;
        }
        return {cands[*best], best_share};
    }

    /// The evaluated search point meeting the target in `confidence` of replicates with the
    /// smallest mean objective (ties: the larger share met).
    [[nodiscard]] std::optional<std::size_t> best_feasible() const {
        std::optional<std::size_t> best;
        for (std::size_t i : search_index_) {
            const auto& p = result_.points[i];
            if (p.share() < s_.confidence) continue;
            if (!best || p.objective.mean < result_.points[*best].objective.mean ||
                (p.objective.mean == result_.points[*best].objective.mean && p.share() > result_.points[*best].share()))
                best = i;
        }
        return best;
    }
    [[nodiscard]] std::vector<double> unit_of(const Point& p) const {
        std::vector<double> u;
        for (std::size_t j = 0; j < levers_.size(); ++j) u.push_back(levers_[j].unit(p.x[j]));
        return u;
    }

    /// Bisection from the feasible point `from` towards where the objective falls fastest (the
    /// surrogate's gradient, projected on the box), to the edge of the box.
    void bisect_cheapest_direction(const std::vector<double>& from) {
        const std::size_t k = from.size();
        std::vector<double> d(k);
        for (std::size_t j = 0; j < k; ++j) {
            auto up = from, down = from;
            up[j] = std::min(1.0, from[j] + 1e-3);
            down[j] = std::max(0.0, from[j] - 1e-3);
            d[j] = -(predicted_objective(up) - predicted_objective(down)) / (up[j] - down[j]);
            if ((from[j] <= 1e-9 && d[j] < 0) || (from[j] >= 1 - 1e-9 && d[j] > 0)) d[j] = 0;
        }
        double t = std::numeric_limits<double>::infinity();
        for (std::size_t j = 0; j < k; ++j)
            if (d[j] != 0) t = std::min(t, d[j] < 0 ? from[j] / -d[j] : (1 - from[j]) / d[j]);
        if (!std::isfinite(t) || t <= 0) return;
        const auto at = [&](double a) {
            std::vector<double> u(k);
            for (std::size_t j = 0; j < k; ++j) u[j] = std::clamp(from[j] + a * t * d[j], 0.0, 1.0);
            return u;
        };
        // The far end first: if it already meets the target, nothing between is cheaper.
        if (run(at(1), "bisect", predicted_share(at(1))).share() >= s_.confidence) return;
        double lo = 0, hi = 1;  // lo meets the target, hi does not
        for (int i = 0; i < s_.bisection_steps; ++i) {
            const double mid = 0.5 * (lo + hi);
            (run(at(mid), "bisect", predicted_share(at(mid))).share() >= s_.confidence ? lo : hi) = mid;
        }
    }

    Result go() {
        const std::size_t k = levers_.size();
        const int terms = static_cast<int>(1 + k + k * (k + 1) / 2);
        const int n0 = s_.design_points > 0 ? s_.design_points : std::max(8, 2 * terms);
        const int n1 = s_.refine_points > 0 ? s_.refine_points : std::max(4, terms);
        std::vector<std::string> keys;
        for (const auto& l : levers_) keys.push_back(l.key);

        for (const auto& u : unit_design(s_.design_seed, 0, n0, keys)) run(u, "design");
        fit();
        // The surrogate is searched on a dense design of the box and at the points tried.
        auto cands = unit_design(s_.design_seed, 1, 4096, keys);
        cands.insert(cands.end(), unit_.begin(), unit_.end());
        const auto [centre, share] = best_candidate(cands);
        run(centre, "refine", share);
        // A smaller design in a box around it, shifted to lie inside the unit box.
        const double half = std::clamp(s_.shrink, 0.01, 0.5);
        std::vector<double> lo(k);
        for (std::size_t j = 0; j < k; ++j) lo[j] = std::clamp(centre[j] - half, 0.0, 1.0 - 2 * half);
        for (auto u : unit_design(s_.design_seed, 2, n1, keys)) {
            for (std::size_t j = 0; j < k; ++j) u[j] = lo[j] + 2 * half * u[j];
            run(u, "refine", -1);
        }
        fit();
        for (auto& p : result_.points)
            if (p.stage == "refine" && p.predicted_share < 0) p.predicted_share = predicted_share(unit_of(p));
        if (const auto best = best_feasible()) bisect_cheapest_direction(unit_of(result_.points[*best]));

        result_.answer = best_feasible();
        if (result_.answer && s_.verify_replicates > 0) {
            const auto u = unit_of(result_.points[*result_.answer]);
            const auto& v = run(u, "verify", predicted_share(u), s_.replicates, s_.verify_replicates);
            result_.verification = v;
            result_.verified_share = wilson_interval(v.met, v.replicates);
        }
        return result_;
    }

private:
    std::vector<Lever> levers_;
    const Target& target_;
    const Settings& s_;
    const Evaluate& evaluate_;
    Result result_;
    std::vector<std::vector<double>> unit_, responses_, objectives_;
    std::vector<std::size_t> search_index_;
    std::optional<QuadraticFit> target_fit_, objective_fit_;
};

}  // namespace

Result search(const std::vector<Lever>& levers, const Target& target, const Settings& settings,
              const Evaluate& evaluate) {
    return Search(levers, target, settings, evaluate).go();
}

Bisection bisect(const Lever& lever, const Target& target, const Settings& settings, double tolerance,
                 const Evaluate& evaluate) {
    Settings s = settings;
    s.verify_replicates = 0;
    Search search({lever}, target, s, evaluate);
    std::map<double, std::size_t> tried;  // value -> index of its point
    Bisection b;
    const auto ok = [&](double x) {
        auto it = tried.find(x);
        if (it == tried.end()) {
            search.run({lever.unit(x)}, "bisect");
            it = tried.emplace(x, tried.size()).first;
        }
        return search.result().points[it->second].share() >= s.confidence;
    };
    const bool low_ok = ok(lever.low), high_ok = ok(lever.high);
    double lo = lever.low, hi = lever.high;
    if (!low_ok && high_ok)
        while (hi - lo > tolerance * (lever.high - lever.low)) {
            const double mid = 0.5 * (lo + hi);
            (ok(mid) ? hi : lo) = mid;
        }
    b.result = search.result();
    if (low_ok)
        b.result.answer = tried.at(lever.low);
    else if (high_ok)
        b.result.answer = tried.at(hi);
    b.bracket_low = lo;
    return b;
}

// ---------------------------------------------------------------------------------------------
// Output

namespace {

std::string num(double v) {
    if (!std::isfinite(v)) return "null";
    std::ostringstream o;
    o.precision(12);
    o << v;
    return o.str();
}
std::string interval(const Interval& i) {
    return "{\"mean\":" + num(i.mean) + ",\"low\":" + num(i.low) + ",\"high\":" + num(i.high) + "}";
}
// Every string written is a parameter key, a measure name or a stage ([a-z0-9_. ]), checked
// when parsed: none needs escaping.
std::string str(const std::string& s) {
    return "\"" + s + "\"";
}
std::string point_json(const Point& p, const std::vector<Lever>& levers) {
    std::string o = "{\"stage\":" + str(p.stage) + ",\"levers\":{";
    for (std::size_t j = 0; j < levers.size(); ++j) o += (j ? "," : "") + str(levers[j].key) + ":" + num(p.x[j]);
    const auto w = wilson_interval(p.met, p.replicates);
    o += "},\"first_replicate\":" + std::to_string(p.first) + ",\"replicates\":" + std::to_string(p.replicates) +
         ",\"met\":" + std::to_string(p.met) + ",\"share_met\":{\"share\":" + num(w.share) + ",\"low\":" + num(w.low) +
         ",\"high\":" + num(w.high) + "},\"target\":" + interval(p.target) + ",\"objective\":" + interval(p.objective) +
         ",\"predicted_share\":" + (p.predicted_share < 0 ? std::string("null") : num(p.predicted_share)) + "}";
    return o;
}

}  // namespace

std::string result_json(const Result& r, const std::vector<Lever>& levers, const Target& target,
                        const Settings& settings, const std::string& objective_name) {
    std::ostringstream o;
    o << "{\"target\":{\"measure\":" << str(target.measure)
      << ",\"difference\":" << (target.difference ? "true" : "false")
      << ",\"operator\":" << str(target.at_least ? ">=" : "<=") << ",\"value\":" << num(target.value) << "}"
      << ",\"confidence\":" << num(settings.confidence) << ",\"objective\":" << str(objective_name)
      << ",\"replicates\":" << settings.replicates << ",\"levers\":[";
    for (std::size_t j = 0; j < levers.size(); ++j)
        o << (j ? "," : "") << "{\"key\":" << str(levers[j].key) << ",\"low\":" << num(levers[j].low)
          << ",\"high\":" << num(levers[j].high) << "}";
    o << "],\"runs\":" << r.runs() << ",\"points\":[";
    for (std::size_t i = 0; i < r.points.size(); ++i) o << (i ? "," : "") << point_json(r.points[i], levers);
    o << "],\"answer\":";
    if (r.answer)
        o << point_json(r.points[*r.answer], levers);
    else
        o << "null";
    o << ",\"verification\":";
    if (r.verification)
        o << point_json(*r.verification, levers);
    else
        o << "null";
    o << ",\"surrogate\":{\"quadratic\":" << (r.quadratic ? "true" : "false")
      << ",\"r2_target\":" << num(r.surrogate_r2_target) << ",\"r2_objective\":" << num(r.surrogate_r2_objective)
      << "}}\n";
    return o.str();
}

std::string result_csv(const Result& r, const std::vector<Lever>& levers) {
    std::ostringstream o;
    o << "stage";
    for (const auto& l : levers) o << "," << l.key;
    o << ",first_replicate,replicates,met,share_met,share_low,share_high,target_mean,target_low,target_high,"
         "objective_mean,objective_low,objective_high,predicted_share,answer\n";
    const auto blank = [](const std::string& s) { return s == "null" ? std::string() : s; };
    for (std::size_t i = 0; i < r.points.size(); ++i) {
        const auto& p = r.points[i];
        const auto w = wilson_interval(p.met, p.replicates);
        o << p.stage;
        for (double x : p.x) o << "," << num(x);
        o << "," << p.first << "," << p.replicates << "," << p.met << "," << num(w.share) << "," << num(w.low) << ","
          << num(w.high) << "," << blank(num(p.target.mean)) << "," << blank(num(p.target.low)) << ","
          << blank(num(p.target.high)) << "," << blank(num(p.objective.mean)) << "," << blank(num(p.objective.low))
          << "," << blank(num(p.objective.high)) << ","
          << (p.predicted_share < 0 ? std::string() : num(p.predicted_share)) << ","
          << ((r.answer && *r.answer == i) || (p.stage == "verify") ? 1 : 0) << "\n";
    }
    return o.str();
}

}  // namespace cpcsim::solve
