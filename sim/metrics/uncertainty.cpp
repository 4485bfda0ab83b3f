#include "metrics/uncertainty.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numeric>

namespace cpcsim {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

/// Average ranks (1-based; ties get the mean of their ranks).
std::vector<double> ranks(const std::vector<double>& x) {
    std::vector<std::size_t> order(x.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return x[a] < x[b]; });
    std::vector<double> r(x.size());
    for (std::size_t i = 0; i < order.size();) {
        std::size_t j = i;
        while (j + 1 < order.size() && x[order[j + 1]] == x[order[i]]) ++j;
        const double rank = (static_cast<double>(i) + static_cast<double>(j)) / 2.0 + 1.0;
        for (std::size_t k = i; k <= j; ++k) r[order[k]] = rank;
        i = j + 1;
    }
    return r;
}

double correlation(const std::vector<double>& a, const std::vector<double>& b) {
    const double n = static_cast<double>(a.size());
    const double ma = std::accumulate(a.begin(), a.end(), 0.0) / n;
    const double mb = std::accumulate(b.begin(), b.end(), 0.0) / n;
    double sab = 0, saa = 0, sbb = 0;
    for (std::size_t i = 0; i < a.size(); ++i) {
        sab += (a[i] - ma) * (b[i] - mb);
        saa += (a[i] - ma) * (a[i] - ma);
        sbb += (b[i] - mb) * (b[i] - mb);
    }
    return saa > 0 && sbb > 0 ? sab / std::sqrt(saa * sbb) : kNaN;
}

/// Inverse of a symmetric positive-definite matrix by Gauss-Jordan elimination with partial
/// pivoting; false when it is (numerically) singular.
bool invert(std::vector<std::vector<double>>& m) {
    const std::size_t n = m.size();
    std::vector<std::vector<double>> inv(n, std::vector<double>(n, 0.0));
    for (std::size_t i = 0; i < n; ++i) inv[i][i] = 1.0;
    for (std::size_t c = 0; c < n; ++c) {
        std::size_t pivot = c;
        for (std::size_t r = c + 1; r < n; ++r)
            if (std::fabs(m[r][c]) > std::fabs(m[pivot][c])) pivot = r;
        if (std::fabs(m[pivot][c]) < 1e-12) return false;
        std::swap(m[c], m[pivot]);
        std::swap(inv[c], inv[pivot]);
        const double p = m[c][c];
        for (std::size_t k = 0; k < n; ++k) {
            m[c][k] /= p;
            inv[c][k] /= p;
        }
        for (std::size_t r = 0; r < n; ++r) {
            if (r == c || m[r][c] == 0.0) continue;
            const double f = m[r][c];
            for (std::size_t k = 0; k < n; ++k) {
                m[r][k] -= f * m[c][k];
                inv[r][k] -= f * inv[c][k];
            }
        }
    }
    m = std::move(inv);
    return true;
}

/// z with P(Z > z) = p for a standard normal (bisection on erfc; |z| < 40).
double upper_normal_quantile(double p) {
    double lo = -40, hi = 40;
    for (int i = 0; i < 200; ++i) {
        const double mid = 0.5 * (lo + hi);
        (0.5 * std::erfc(mid / std::sqrt(2.0)) > p ? lo : hi) = mid;
    }
    return 0.5 * (lo + hi);
}

/// |r| exceeded by the largest of k null correlations with probability 5% (Bonferroni).
double chance_coefficient(std::size_t k, double dof) {
    if (k == 0 || dof <= 0) return kNaN;
    return std::tanh(upper_normal_quantile(0.025 / static_cast<double>(k)) / std::sqrt(dof));
}

/// SplitMix64 (Steele, Lea & Flood 2014): a fixed, portable stream for the permutations below,
/// so that the chance level is the same on every machine and in analysis/uncertainty.py.
struct SplitMix64 {
    std::uint64_t state = 0x9E3779B97F4A7C15ULL;
    std::uint64_t next() {
        std::uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
        return z ^ (z >> 31);
    }
    /// Uniform in [0, bound): the top 53 bits scaled exactly (integer arithmetic).
    std::size_t below(std::size_t bound) {
        __extension__ using u128 = unsigned __int128;  // GCC and Clang; exact, as in Python
        return static_cast<std::size_t>((static_cast<u128>(next() >> 11) * bound) >> 53);
    }
};

/// Permutations of the output's ranks behind the chance level of rank correlations.
constexpr int kChancePermutations = 2000;

/// |rho| that the largest of the inputs' rank correlations exceeds with probability 5% when the
/// output is unrelated to every input: the 95th percentile, over random permutations of the
/// output's ranks, of the largest |correlation| with any input. Exact for these inputs (their
/// ties and their correlations with one another included), where Fisher's z with a Bonferroni
/// bound understates the tails of rank correlations of a few rows.
double permutation_chance(const std::vector<std::vector<double>>& rx, const std::vector<double>& ry) {
    const std::size_t n = ry.size();
    auto standardised = [n](const std::vector<double>& v) {
        const double m = std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(n);
        double ss = 0;
        for (double x : v) ss += (x - m) * (x - m);
        std::vector<double> out(n, kNaN);
        if (ss > 0)
            for (std::size_t i = 0; i < n; ++i) out[i] = (v[i] - m) / std::sqrt(ss);
        return out;
    };
    const std::vector<double> b = standardised(ry);
    if (rx.empty() || std::isnan(b.front())) return kNaN;
    std::vector<std::vector<double>> a;
    for (const auto& col : rx) a.push_back(standardised(col));
    std::vector<std::size_t> perm(n);
    std::iota(perm.begin(), perm.end(), 0);
    std::vector<double> bp(n), largest;
    largest.reserve(kChancePermutations);
    SplitMix64 rng;
    for (int k = 0; k < kChancePermutations; ++k) {
        for (std::size_t i = n - 1; i > 0; --i) std::swap(perm[i], perm[rng.below(i + 1)]);
        for (std::size_t i = 0; i < n; ++i) bp[i] = b[perm[i]];
        double top = 0;
        for (const auto& col : a) {
            double r = 0;
            for (std::size_t i = 0; i < n; ++i) r += col[i] * bp[i];
            top = std::max(top, std::fabs(r));
        }
        largest.push_back(top);
    }
    return quantile_type7(std::move(largest), 0.95);
}

void fisher_interval(double r, double dof, double& low, double& high) {
    if (std::isnan(r) || dof <= 0) {
        low = high = kNaN;
        return;
    }
    const double z = std::atanh(std::clamp(r, -0.999999999, 0.999999999));
    const double half = 1.959963984540054 / std::sqrt(dof);
    // A perfect correlation (r = 1) is clamped for atanh; the interval still contains r.
    low = std::min(r, std::tanh(z - half));
    high = std::max(r, std::tanh(z + half));
}

}  // namespace

double quantile_type7(std::vector<double> v, double p) {
    if (v.empty()) return kNaN;
    std::sort(v.begin(), v.end());
    const double h = (static_cast<double>(v.size()) - 1.0) * p;
    const auto lo = static_cast<std::size_t>(std::floor(h));
    const std::size_t hi = std::min(lo + 1, v.size() - 1);
    return v[lo] + (h - static_cast<double>(lo)) * (v[hi] - v[lo]);
}

UncertainInterval uncertain_interval(const std::vector<double>& values, int per_draw) {
    UncertainInterval out;
    std::vector<double> v;
    for (double x : values)
        if (!std::isnan(x)) v.push_back(x);
    out.n = static_cast<int>(v.size());
    if (v.empty()) {
        out.mean = out.low = out.high = out.noise_share = out.noise_half_width = out.prob_positive = kNaN;
        return out;
    }
    out.mean = std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size());
    out.low = quantile_type7(v, 0.025);
    out.high = quantile_type7(v, 0.975);
    out.prob_positive = static_cast<double>(std::count_if(v.begin(), v.end(), [](double x) { return x > 0; })) /
                        static_cast<double>(v.size());
    // Pooled within-draw variance (replicates sharing a draw differ by noise alone).
    const std::size_t per = static_cast<std::size_t>(std::max(1, per_draw));
    double within = 0;
    double dof = 0;
    for (std::size_t start = 0; start < values.size(); start += per) {
        std::vector<double> g;
        for (std::size_t r = start; r < std::min(values.size(), start + per); ++r)
            if (!std::isnan(values[r])) g.push_back(values[r]);
        if (g.size() < 2) continue;
        const double m = std::accumulate(g.begin(), g.end(), 0.0) / static_cast<double>(g.size());
        for (double x : g) within += (x - m) * (x - m);
        dof += static_cast<double>(g.size()) - 1.0;
    }
    double total = 0;
    for (double x : v) total += (x - out.mean) * (x - out.mean);
    total = v.size() > 1 ? total / (static_cast<double>(v.size()) - 1.0) : kNaN;
    if (dof > 0) {
        const double noise_var = within / dof;
        out.noise_half_width = 1.959963984540054 * std::sqrt(noise_var);
        out.noise_share = total > 0 ? std::min(1.0, noise_var / total) : kNaN;
    } else {
        out.noise_share = out.noise_half_width = kNaN;
    }
    return out;
}

Sensitivity rank_sensitivity(const std::vector<std::vector<double>>& inputs, const std::vector<double>& output) {
    Sensitivity s;
    std::vector<std::size_t> rows;
    for (std::size_t r = 0; r < output.size() && r < inputs.size(); ++r)
        if (!std::isnan(output[r])) rows.push_back(r);
    const std::size_t p = inputs.empty() ? 0 : inputs.front().size();
    s.coefficient.assign(p, kNaN);
    s.low.assign(p, kNaN);
    s.high.assign(p, kNaN);
    if (rows.size() < 4) {
        s.method = "spearman";
        return s;
    }
    // Rank-transform every column over the complete rows; constant columns take no part.
    std::vector<double> y;
    for (std::size_t r : rows) y.push_back(output[r]);
    const std::vector<double> ry = ranks(y);
    std::vector<std::vector<double>> rx;
    std::vector<std::size_t> used;
    for (std::size_t j = 0; j < p; ++j) {
        std::vector<double> col;
        for (std::size_t r : rows) col.push_back(inputs[r][j]);
        if (std::all_of(col.begin(), col.end(), [&](double v) { return v == col.front(); })) continue;
        rx.push_back(ranks(col));
        used.push_back(j);
    }
    const double n = static_cast<double>(rows.size());
    const bool partial = rows.size() >= used.size() + 4 && !used.empty();
    if (partial) {
        // Correlation matrix of [inputs..., output]; PRCC_j = -P_jy / sqrt(P_jj P_yy), P its inverse.
        const std::size_t q = used.size();
        std::vector<std::vector<double>> c(q + 1, std::vector<double>(q + 1, 1.0));
        for (std::size_t i = 0; i < q; ++i) {
            for (std::size_t j = i + 1; j < q; ++j) c[i][j] = c[j][i] = correlation(rx[i], rx[j]);
            c[i][q] = c[q][i] = correlation(rx[i], ry);
        }
        if (std::isnan(c[0][q]) || !invert(c)) {
            s.method = "spearman";
        } else {
            s.method = "prcc";
            s.chance = chance_coefficient(q, n - 3.0 - static_cast<double>(q - 1));
            for (std::size_t i = 0; i < q; ++i) {
                const double r = -c[i][q] / std::sqrt(c[i][i] * c[q][q]);
                s.coefficient[used[i]] = r;
                fisher_interval(r, n - 3.0 - static_cast<double>(q - 1), s.low[used[i]], s.high[used[i]]);
            }
            return s;
        }
    }
    s.method = "spearman";
    s.chance = permutation_chance(rx, ry);
    for (std::size_t i = 0; i < used.size(); ++i) {
        const double r = correlation(rx[i], ry);
        s.coefficient[used[i]] = r;
        fisher_interval(r, n - 3.0, s.low[used[i]], s.high[used[i]]);
    }
    return s;
}

CostEffectiveness cost_effectiveness(const std::vector<double>& delta_cost, const std::vector<double>& delta_effect,
                                     const std::vector<double>& thresholds) {
    CostEffectiveness ce;
    ce.thresholds = thresholds;
    std::vector<std::pair<double, double>> pairs;
    for (std::size_t r = 0; r < delta_cost.size() && r < delta_effect.size(); ++r)
        if (!std::isnan(delta_cost[r]) && !std::isnan(delta_effect[r]))
            pairs.emplace_back(delta_cost[r], delta_effect[r]);
    const double n = static_cast<double>(pairs.size());
    if (pairs.empty()) {
        ce.delta_cost = ce.delta_effect = ce.icer = kNaN;
        ce.acceptability.assign(thresholds.size(), kNaN);
        return ce;
    }
    for (const auto& [c, e] : pairs) {
        ce.delta_cost += c / n;
        ce.delta_effect += e / n;
        if (e > 0 && c <= 0) ce.dominant += 1 / n;
        if (e > 0 && c > 0) ce.more_effect_more_cost += 1 / n;
        if (e <= 0 && c <= 0) ce.less_effect_less_cost += 1 / n;
        if (e <= 0 && c > 0) ce.dominated += 1 / n;
    }
    ce.icer = ce.delta_effect != 0 ? ce.delta_cost / ce.delta_effect : kNaN;
    for (double lambda : thresholds) {
        double yes = 0;
        for (const auto& [c, e] : pairs) yes += lambda * e - c > 0 ? 1.0 : 0.0;
        ce.acceptability.push_back(yes / n);
    }
    return ce;
}

std::vector<double> acceptability_thresholds(double scale) {
    std::vector<double> t = {0.0};
    const double s = scale > 0 && std::isfinite(scale) ? scale : 1.0;
    for (int i = 0; i < 40; ++i) t.push_back(s * std::pow(10.0, -2.0 + 4.0 * i / 39.0));
    return t;
}

}  // namespace cpcsim

#include "metrics/summary.hpp"

namespace cpcsim {

namespace {
std::size_t measure_index(const std::string& name) {
    const auto& m = summary_measures();
    for (std::size_t i = 0; i < m.size(); ++i)
        if (m[i].name == name) return i;
    return m.size();
}
}  // namespace

const std::vector<std::string>& headline_differences() {
    static const std::vector<std::string> h = {
        "children_reached_per_year", "preferred_place_deaths_per_year", "access_rate",
        "preferred_place_rate",      "first_assessment_wait_days",      "unmet_days_ccn_per_year",
        "unmet_days_sppc_per_year",  "respite_nights_unmet_per_year",   "unplanned_admissions_per_year",
        "cost_total_per_year"};
    return h;
}

double headline_value(const std::vector<double>& summary, const std::string& name) {
    const auto at = [&](const char* key) {
        const std::size_t i = measure_index(key);
        return i < summary.size() ? summary[i] : kNaN;
    };
    if (name == "children_reached_per_year") return at("access_rate") * at("children_per_year");
    if (name == "preferred_place_deaths_per_year") return at("preferred_place_rate") * at("deaths_per_year");
    const std::size_t i = measure_index(name);
    return i < summary.size() ? summary[i] : kNaN;
}

ComparisonUncertainty analyse_comparison(const std::vector<std::vector<double>>& a,
                                         const std::vector<std::vector<double>>& b,
                                         const std::vector<std::vector<double>>& draws, int per_draw) {
    ComparisonUncertainty out;
    const std::size_t reps = std::min(a.size(), b.size());
    const std::size_t measures = reps ? a.front().size() : 0;
    for (std::size_t m = 0; m < measures; ++m) {
        std::vector<double> va, vb, d;
        for (std::size_t r = 0; r < reps; ++r) {
            va.push_back(a[r][m]);
            vb.push_back(b[r][m]);
            d.push_back(b[r][m] - a[r][m]);
        }
        out.a.push_back(uncertain_interval(va, per_draw));
        out.b.push_back(uncertain_interval(vb, per_draw));
        out.difference.push_back(uncertain_interval(d, per_draw));
    }
    // Sensitivity is measured over draws, not replicates: replicates sharing a draw have the same
    // inputs, so they are averaged (otherwise the rows would not be independent).
    const std::size_t per = static_cast<std::size_t>(std::max(1, per_draw));
    std::vector<std::vector<double>> draw_inputs;
    for (std::size_t r = 0; r < reps && r < draws.size(); r += per) draw_inputs.push_back(draws[r]);
    std::vector<std::vector<double>> diffs;
    for (const auto& name : headline_differences()) {
        std::vector<double> d;
        for (std::size_t r = 0; r < reps; ++r) d.push_back(headline_value(b[r], name) - headline_value(a[r], name));
        out.headline.push_back(uncertain_interval(d, per_draw));
        std::vector<double> per_draw_mean;
        for (std::size_t start = 0; start < draw_inputs.size() * per; start += per) {
            double sum = 0;
            int n = 0;
            for (std::size_t r = start; r < std::min(d.size(), start + per); ++r)
                if (!std::isnan(d[r])) {
                    sum += d[r];
                    ++n;
                }
            per_draw_mean.push_back(n ? sum / n : kNaN);
        }
        out.sensitivity.push_back(rank_sensitivity(draw_inputs, per_draw_mean));
        diffs.push_back(std::move(d));
    }
    const auto& h = headline_differences();
    const auto column = [&](const char* name) {
        return diffs[static_cast<std::size_t>(std::find(h.begin(), h.end(), name) - h.begin())];
    };
    const auto& cost = column("cost_total_per_year");
    const auto ce = [&](const std::vector<double>& effect) {
        const CostEffectiveness point = cost_effectiveness(cost, effect, {});
        return cost_effectiveness(cost, effect, acceptability_thresholds(std::fabs(point.icer)));
    };
    out.per_child_reached = ce(column("children_reached_per_year"));
    out.per_preferred_death = ce(column("preferred_place_deaths_per_year"));
    return out;
}

}  // namespace cpcsim
