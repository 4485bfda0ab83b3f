#include "scenario/uncertainty.hpp"

#include "core/rng.hpp"
#include "scenario/ensemble.hpp"
#include "scenario/params.hpp"
#include "scenario/scenario.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <memory>
#include <sstream>

namespace cpcsim {

namespace {

double normal_cdf(double z) {
    return 0.5 * std::erfc(-z / std::numbers::sqrt2);
}

/// Regularised lower incomplete gamma P(k, x) by its power series (converges for every x; the
/// far upper tail, where it would overflow, is 1 to double precision).
double gamma_p(double k, double x) {
    if (x <= 0) return 0.0;
    if (x > k + 40.0 * std::sqrt(k) + 40.0) return 1.0;
    double term = 1.0 / k, sum = term;
    for (int n = 1; n < 100000; ++n) {
        term *= x / (k + n);
        sum += term;
        if (term < sum * 1e-17) break;
    }
    return std::min(1.0, std::exp(k * std::log(x) - x - std::lgamma(k)) * sum);
}

/// Continued fraction of the regularised incomplete beta function (modified Lentz method).
double beta_fraction(double a, double b, double x) {
    constexpr double tiny = 1e-300;
    double c = 1.0, d = 1.0 - (a + b) * x / (a + 1.0);
    d = 1.0 / (std::fabs(d) < tiny ? tiny : d);
    double f = d;
    for (int m = 1; m < 10000; ++m) {
        const double m2 = 2.0 * m;
        // Even step, then odd step.
        double num = m * (b - m) * x / ((a + m2 - 1.0) * (a + m2));
        d = 1.0 + num * d;
        d = 1.0 / (std::fabs(d) < tiny ? tiny : d);
        c = 1.0 + num / c;
        if (std::fabs(c) < tiny) c = tiny;
        f *= c * d;
        num = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1.0));
        d = 1.0 + num * d;
        d = 1.0 / (std::fabs(d) < tiny ? tiny : d);
        c = 1.0 + num / c;
        if (std::fabs(c) < tiny) c = tiny;
        const double step = c * d;
        f *= step;
        if (std::fabs(step - 1.0) < 1e-16) break;
    }
    return f;
}

/// Regularised incomplete beta I_x(a, b).
double beta_cdf(double a, double b, double x) {
    if (x <= 0) return 0.0;
    if (x >= 1) return 1.0;
    const double log_front =
        a * std::log(x) + b * std::log1p(-x) + std::lgamma(a + b) - std::lgamma(a) - std::lgamma(b);
    if (x < (a + 1.0) / (a + b + 2.0)) return std::exp(log_front) * beta_fraction(a, b, x) / a;
    return 1.0 - std::exp(log_front) * beta_fraction(b, a, 1.0 - x) / b;
}

struct Shape {
    double lo, hi;  ///< support, finite bracket for the inversion
};

/// Beta (alpha, beta) from mean and sd.
std::pair<double, double> beta_shape(double mean, double sd) {
    const double k = mean * (1.0 - mean) / (sd * sd) - 1.0;
    return {mean * k, (1.0 - mean) * k};
}

/// The CDF in the variable the inversion works in: the log for Lognormal, else the value.
double cdf(const Distribution& d, double x) {
    switch (d.family) {
        case Family::Uniform:
            return std::clamp((x - d.a) / (d.b - d.a), 0.0, 1.0);
        case Family::Triangular: {
            if (x <= d.a) return 0.0;
            if (x >= d.c) return 1.0;
            if (x <= d.b) return (x - d.a) * (x - d.a) / ((d.c - d.a) * (d.b - d.a));
            return 1.0 - (d.c - x) * (d.c - x) / ((d.c - d.a) * (d.c - d.b));
        }
        case Family::Beta: {
            const auto [al, be] = beta_shape(d.a, d.b);
            return beta_cdf(al, be, x);
        }
        case Family::Gamma: {
            const double k = (d.a / d.b) * (d.a / d.b), theta = d.b * d.b / d.a;
            return gamma_p(k, x / theta);
        }
        case Family::Lognormal:
            return normal_cdf((x - std::log(d.a)) / d.b);
        case Family::TruncatedNormal:
            return normal_cdf((x - d.a) / d.b);
        case Family::Fixed:
        case Family::Dirichlet:
            break;
    }
    return 0.0;
}

/// Bracket of the inversion variable.
Shape support(const Distribution& d) {
    switch (d.family) {
        case Family::Uniform:
            return {d.a, d.b};
        case Family::Triangular:
            return {d.a, d.c};
        case Family::Beta:
            return {0.0, 1.0};
        case Family::Gamma:
            return {0.0, d.a + 60.0 * d.b};
        case Family::Lognormal:
            return {std::log(d.a) - 40.0 * d.b, std::log(d.a) + 40.0 * d.b};
        case Family::TruncatedNormal:
            return {d.a - 40.0 * d.b, d.a + 40.0 * d.b};
        case Family::Fixed:
        case Family::Dirichlet:
            break;
    }
    return {0.0, 0.0};
}

double centre(const Distribution& d) {
    switch (d.family) {
        case Family::Triangular:
            return d.b;
        default:
            return d.a;
    }
}

bool zero_spread(const Distribution& d) {
    switch (d.family) {
        case Family::Uniform:
            return d.a == d.b;
        case Family::Triangular:
            return d.a == d.c;
        case Family::Dirichlet:
            return std::isinf(d.a);
        default:
            return d.b == 0.0;
    }
}

std::string number(double v) {
    std::ostringstream os;
    os << v;
    return os.str();
}

}  // namespace

const char* family_name(Family f) noexcept {
    switch (f) {
        case Family::Fixed:
            return "fixed";
        case Family::Uniform:
            return "uniform";
        case Family::Triangular:
            return "triangular";
        case Family::Beta:
            return "beta";
        case Family::Gamma:
            return "gamma";
        case Family::Lognormal:
            return "lognormal";
        case Family::TruncatedNormal:
            return "truncated_normal";
        case Family::Dirichlet:
            return "dirichlet";
    }
    return "?";
}

const char* applies_name(Applies a) noexcept {
    switch (a) {
        case Applies::Value:
            return "value";
        case Applies::Multiplier:
            return "multiplier";
        case Applies::Gradient:
            return "gradient";
        case Applies::Odds:
            return "odds";
    }
    return "?";
}

std::string Distribution::problem() const {
    switch (family) {
        case Family::Fixed:
            return "";
        case Family::Uniform:
            if (!(a <= b)) return "uniform needs min <= max";
            break;
        case Family::Triangular:
            if (!(a <= b && b <= c)) return "triangular needs min <= mode <= max";
            break;
        case Family::Beta:
            if (!(a > 0 && a < 1)) return "beta needs a mean strictly between 0 and 1";
            if (!(b >= 0 && b * b < a * (1 - a))) return "beta needs 0 <= sd < sqrt(mean * (1 - mean))";
            break;
        case Family::Gamma:
            if (!(a > 0 && b >= 0)) return "gamma needs mean > 0 and sd >= 0";
            break;
        case Family::Lognormal:
            if (!(a > 0 && b >= 0)) return "lognormal needs median > 0 and sigma >= 0";
            break;
        case Family::TruncatedNormal:
            if (!(b >= 0)) return "truncated_normal needs sd >= 0";
            break;
        case Family::Dirichlet:
            if (!(a > 0)) return "dirichlet needs a concentration > 0 (infinite: no spread)";
            if (applies != Applies::Value || element >= 0 || lower > -1e300 || upper < 1e300)
                return "dirichlet applies to whole share vectors: no applies, element or truncation";
            return "";
    }
    if (!std::isfinite(a) || !std::isfinite(b) || !std::isfinite(c)) return "parameters must be finite numbers";
    if (!(lower < upper)) return "truncation needs lower < upper";
    if (!zero_spread(*this)) {
        const double lo = family == Family::Lognormal ? std::log(std::max(lower, 1e-300)) : lower;
        const double hi = family == Family::Lognormal ? (upper > 0 ? std::log(upper) : -1e300) : upper;
        if (!(cdf(*this, hi) > cdf(*this, lo))) return "the truncation leaves no probability";
    }
    return "";
}

double Distribution::quantile(double u) const {
    if (fixed() || family == Family::Dirichlet) return std::numeric_limits<double>::quiet_NaN();  // no scalar
    if (zero_spread(*this)) return centre(*this);
    const bool log_scale = family == Family::Lognormal;
    Shape s = support(*this);
    const double lo_t = log_scale ? (lower > 0 ? std::log(lower) : -1e300) : lower;
    const double hi_t = log_scale ? (upper > 0 ? std::log(upper) : -1e300) : upper;
    s.lo = std::max(s.lo, lo_t);
    s.hi = std::min(s.hi, hi_t);
    const double p_lo = cdf(*this, s.lo), p_hi = cdf(*this, s.hi);
    const double p = p_lo + u * (p_hi - p_lo);
    // Bisection to adjacent doubles: slow but exact, the same on every platform with the same libm,
    // and a draw is made once per parameter per replicate.
    double lo = s.lo, hi = s.hi;
    for (int i = 0; i < 2000; ++i) {
        const double mid = lo + (hi - lo) / 2;
        if (mid <= lo || mid >= hi) break;
        (cdf(*this, mid) < p ? lo : hi) = mid;
    }
    const double x = lo + (hi - lo) / 2;
    return log_scale ? std::exp(x) : x;
}

std::string Distribution::describe() const {
    std::string body;
    switch (family) {
        case Family::Fixed:
            return "fixed";
        case Family::Uniform:
            body = "Uniform(" + number(a) + ", " + number(b) + ")";
            break;
        case Family::Triangular:
            body = "Triangular(" + number(a) + ", " + number(b) + ", " + number(c) + ")";
            break;
        case Family::Beta:
            body = "Beta(mean " + number(a) + ", sd " + number(b) + ")";
            break;
        case Family::Gamma:
            body = "Gamma(mean " + number(a) + ", sd " + number(b) + ")";
            break;
        case Family::Lognormal:
            body = "Lognormal(median " + number(a) + ", sigma " + number(b) + ")";
            break;
        case Family::TruncatedNormal:
            body = "Normal(mean " + number(a) + ", sd " + number(b) + ")";
            break;
        case Family::Dirichlet:
            return "shares ~ Dirichlet(mean: the scenario's shares, concentration " + number(a) +
                   "), reweighting every row of a table";
    }
    if (lower > -1e300 || upper < 1e300)
        body += " truncated to [" + (lower > -1e300 ? number(lower) : "-inf") + ", " +
                (upper < 1e300 ? number(upper) : "inf") + "]";
    if (applies == Applies::Value) return body;
    return std::string(applies_name(applies)) + " ~ " + body;
}

namespace prior {
namespace {
Distribution make(Family f, double a, double b, double c, std::string why) {
    Distribution d;
    d.family = f;
    d.a = a;
    d.b = b;
    d.c = c;
    d.why = std::move(why);
    return d;
}
}  // namespace
Distribution fixed(std::string why) {
    return make(Family::Fixed, 0, 0, 0, std::move(why));
}
Distribution uniform(double lo, double hi, std::string why) {
    return make(Family::Uniform, lo, hi, 0, std::move(why));
}
Distribution triangular(double lo, double mode, double hi, std::string why) {
    return make(Family::Triangular, lo, mode, hi, std::move(why));
}
Distribution beta(double mean, double sd, std::string why) {
    return make(Family::Beta, mean, sd, 0, std::move(why));
}
Distribution gamma(double mean, double sd, std::string why) {
    return make(Family::Gamma, mean, sd, 0, std::move(why));
}
Distribution lognormal(double median, double sigma, std::string why) {
    return make(Family::Lognormal, median, sigma, 0, std::move(why));
}
Distribution truncated_normal(double mean, double sd, double lo, double hi, std::string why) {
    return truncated(make(Family::TruncatedNormal, mean, sd, 0, std::move(why)), lo, hi);
}
Distribution dirichlet(double concentration, std::string why) {
    return make(Family::Dirichlet, concentration, 0, 0, std::move(why));
}
Distribution truncated(Distribution d, double lo, double hi) {
    d.lower = lo;
    d.upper = hi;
    return d;
}
Distribution applied(Distribution d, Applies how) {
    d.applies = how;
    return d;
}
Distribution only_element(Distribution d, int index) {
    d.element = index;
    return d;
}
}  // namespace prior

std::vector<std::size_t> uncertain_parameters(const Scenario& scenario) {
    std::vector<std::size_t> out;
    for (std::size_t i = 0; i < scenario.uncertainty.size(); ++i)
        if (!scenario.uncertainty[i].fixed()) out.push_back(i);
    return out;
}

namespace {

/// Rows of a parameter's values (a table's rows, else one) and their length.
std::pair<std::size_t, std::size_t> row_shape(const ParamSpec& spec, std::size_t size) {
    const std::size_t rows = spec.is_table() ? std::max<std::size_t>(1, spec.row_labels.size()) : 1;
    return {rows, rows > 0 ? size / rows : 0};
}

/// The centre of a Dirichlet parameter's draw: the mean over rows of each row's shares (a
/// vector's own shares).
std::vector<double> column_shares(const ParamSpec& spec, const std::vector<double>& values) {
    const auto [rows, width] = row_shape(spec, values.size());
    std::vector<double> s(width, 0.0);
    for (std::size_t r = 0; r < rows; ++r) {
        double total = 0;
        for (std::size_t j = 0; j < width; ++j) total += values[r * width + j];
        for (std::size_t j = 0; j < width && total > 0; ++j)
            s[j] += values[r * width + j] / total / static_cast<double>(rows);
    }
    return s;
}

/// One Dirichlet vector w over a parameter's columns with mean s (column_shares) and
/// concentration c: Gamma(c s_j, 1) variates normalised by their sum. The variate of column j is
/// the inverse CDF at its own uniform (`uniform(j)`: in a prior draw one keyed by (parameter key,
/// j), so a draw is layout-independent and never depends on another parameter; or a given prior
/// quantile). Shares of 0 stay 0.
std::vector<double> dirichlet_vector(const Distribution& d, const std::vector<double>& s,
                                     const std::function<double(std::uint32_t)>& uniform) {
    std::vector<double> w(s.size(), 0.0);
    double sum = 0;
    for (std::size_t j = 0; j < s.size(); ++j) {
        const double shape = d.a * s[j];
        if (!(shape > 0)) continue;
        w[j] = prior::gamma(shape, std::sqrt(shape), "").quantile(uniform(static_cast<std::uint32_t>(j)));
        sum += w[j];
    }
    for (double& x : w)
        if (sum > 0) x /= sum;
    return w;
}

/// Columns of a parameter in the draws table: 1, or a Dirichlet's shares but the last.
std::size_t column_count(const Distribution& d, const ParamSpec& spec, std::size_t size) {
    if (d.family != Family::Dirichlet) return 1;
    const auto width = row_shape(spec, size).second;
    return width > 0 ? width - 1 : 0;
}

}  // namespace

namespace {

/// The uniform of parameter `i`'s column j (0 for a scalar prior; 1 + j for a Dirichlet's column
/// j): a keyed random number for a prior draw, or a given prior quantile.
using UniformOf = std::function<double(std::size_t i, std::uint32_t stream)>;

/// A draw of the parameters `which` (registry indices, ascending) under `uncertainty`, each
/// uniform from `uniform`.
ParameterDraw draw_with(const ParamSet& params, const std::vector<Distribution>& uncertainty,
                        const std::vector<std::size_t>& which, const UniformOf& uniform) {
    const auto& specs = params.registry().specs();
    ParameterDraw out;
    for (std::size_t i : which) {
        const Distribution& d = uncertainty[i];
        if (d.family == Family::Dirichlet) {
            const auto s = column_shares(specs[i], params.values(i));
            // Infinite concentration: the centre itself.
            const auto w =
                zero_spread(d) ? s : dirichlet_vector(d, s, [&](std::uint32_t j) { return uniform(i, 1 + j); });
            if (!w.empty()) out.drawn.insert(out.drawn.end(), w.begin(), w.end() - 1);
            continue;
        }
        out.drawn.push_back(d.quantile(uniform(i, 0)));
    }
    return out;
}

/// `params` with the parameters `which` replaced by the draw (columns in the order of draw_with).
ParamSet apply_with(ParamSet params, const std::vector<Distribution>& uncertainty,
                    const std::vector<std::size_t>& which, const ParameterDraw& draw) {
    const auto& specs = params.registry().specs();
    std::size_t c = 0;  // the parameter's first column in draw.drawn
    for (const std::size_t i : which) {
        const ParamSpec& spec = specs[i];
        std::vector<double> values = params.values(i);
        if (uncertainty[i].family == Family::Dirichlet) {
            // The drawn column shares w (the last is 1 minus the others) reweight every row:
            // x_rc proportional to x0_rc w_c / s_c, each row normalised to 1. A vector's row is w
            // itself. Infinite concentration keeps the scenario's values bit for bit.
            const std::size_t n = column_count(uncertainty[i], spec, values.size());
            if (!zero_spread(uncertainty[i]) && n > 0) {
                const auto s = column_shares(spec, values);
                std::vector<double> w(draw.drawn.begin() + static_cast<std::ptrdiff_t>(c),
                                      draw.drawn.begin() + static_cast<std::ptrdiff_t>(c + n));
                double rest = 1.0;
                for (const double x : w) rest -= x;
                w.push_back(std::max(0.0, rest));
                const auto [rows, width] = row_shape(spec, values.size());
                for (std::size_t r = 0; r < rows; ++r) {
                    double total = 0;
                    for (std::size_t j = 0; j < width; ++j) {
                        double& x = values[r * width + j];
                        x = s[j] > 0 ? x * w[j] / s[j] : 0.0;
                        total += x;
                    }
                    for (std::size_t j = 0; j < width && total > 0; ++j)
                        values[r * width + j] = std::clamp(values[r * width + j] / total, spec.min, spec.max);
                }
            }
            c += n;
            params.set(spec.key, std::move(values));
            continue;
        }
        const double g = draw.drawn[c++];
        const int only = uncertainty[i].element;
        for (std::size_t e = 0; e < values.size(); ++e) {
            if (only >= 0 && static_cast<std::size_t>(only) != e) continue;
            double& x = values[e];
            switch (uncertainty[i].applies) {
                case Applies::Value:
                    x = g;
                    break;
                case Applies::Multiplier:
                    x *= g;
                    break;
                case Applies::Gradient:
                    if (g != 1.0) x = 1.0 + g * (x - 1.0);
                    break;
                case Applies::Odds:
                    if (g != 1.0 && x > 0.0 && x < 1.0) {
                        const double odds = x / (1.0 - x) * g;
                        x = odds / (1.0 + odds);
                    }
                    break;
            }
            x = std::clamp(x, spec.min, spec.max);
        }
        params.set(spec.key, std::move(values));
    }
    return params;
}

}  // namespace

ParameterDraw draw_parameters(const Scenario& scenario, std::uint64_t seed, std::uint32_t draw) {
    const RandomKey key(seed, draw);
    const auto& specs = scenario.params.registry().specs();
    // One uniform per parameter (per column of a Dirichlet), keyed by its name: adding or removing
    // another parameter's distribution never changes this one's draw.
    return draw_with(scenario.params, scenario.uncertainty, uncertain_parameters(scenario),
                     [&](std::size_t i, std::uint32_t stream) {
                         Draws u(key, stream_id("uncertainty.parameter"), stream_id(specs[i].key), stream);
                         return u.uniform();
                     });
}

ParamSet apply_draw(const Scenario& scenario, const ParameterDraw& draw) {
    return apply_with(scenario.params, scenario.uncertainty, uncertain_parameters(scenario), draw);
}

std::size_t quantile_count(const Distribution& d, const ParamSpec& spec, std::size_t size) {
    if (d.fixed()) return 0;
    return d.family == Family::Dirichlet ? row_shape(spec, size).second : 1;
}

ParamSet at_prior_quantiles(ParamSet params, const std::vector<Distribution>& uncertainty,
                            std::vector<PriorQuantiles> quantiles) {
    std::sort(quantiles.begin(), quantiles.end(),
              [](const PriorQuantiles& a, const PriorQuantiles& b) { return a.parameter < b.parameter; });
    std::vector<std::size_t> which;
    for (const auto& q : quantiles) which.push_back(q.parameter);
    const auto draw = draw_with(params, uncertainty, which, [&](std::size_t i, std::uint32_t stream) {
        const auto& q = *std::find_if(quantiles.begin(), quantiles.end(),
                                      [&](const PriorQuantiles& p) { return p.parameter == i; });
        const std::size_t k = stream == 0 ? 0 : stream - 1;
        return k < q.u.size() ? q.u[k] : 0.5;
    });
    return apply_with(std::move(params), uncertainty, which, draw);
}

ParamSet replicate_parameters(const Scenario& scenario, std::uint32_t replicate) {
    if (!scenario.draws.on) return scenario.params;
    const auto per = static_cast<std::uint32_t>(std::max(1, scenario.draws.per_draw));
    const auto& ensemble = scenario.draws.ensemble;
    if (ensemble && !scenario.draws.with_priors) return ensemble_parameters(scenario, *ensemble, replicate / per);
    ParamSet drawn = apply_draw(scenario, draw_parameters(scenario, scenario.draws.seed, replicate / per));
    return ensemble ? with_ensemble_set(std::move(drawn), *ensemble, replicate / per) : drawn;
}

namespace {

/// The ensemble without the columns of parameters the scenario sets itself: a value other than
/// the default of a parameter with a prior on its value (fixed_by_value), or a distribution of
/// its own (any [uncertainty] entry, or a prior quantile given with --set). The scenario's choice
/// wins, as it does over a prior; the parameters are listed in scenario.set_over_ensemble.
std::shared_ptr<const Ensemble> without_scenario_choices(Scenario& scenario, std::shared_ptr<const Ensemble> e) {
    const auto& specs = scenario.params.registry().specs();
    auto own = [&](std::size_t i) {
        const auto& f = scenario.fixed_by_value;
        return std::find(f.begin(), f.end(), specs[i].key) != f.end() || !(scenario.uncertainty[i] == e->priors[i]);
    };
    std::vector<std::size_t> keep;
    for (std::size_t c = 0; c < e->columns.size(); ++c) {
        const std::size_t i = e->parameter[c];
        if (!own(i)) {
            keep.push_back(c);
        } else if (std::find(scenario.set_over_ensemble.begin(), scenario.set_over_ensemble.end(), specs[i].key) ==
                   scenario.set_over_ensemble.end()) {
            scenario.set_over_ensemble.push_back(specs[i].key);
        }
    }
    if (keep.size() == e->columns.size()) return e;
    auto out = std::make_shared<Ensemble>(*e);
    out->columns.clear();
    out->parameter.clear();
    out->element.clear();
    out->quantile.clear();
    for (auto& set : out->sets) set.clear();
    for (std::size_t c : keep) {
        out->columns.push_back(e->columns[c]);
        out->parameter.push_back(e->parameter[c]);
        out->element.push_back(e->element[c]);
        out->quantile.push_back(e->quantile[c]);
        for (std::size_t k = 0; k < e->sets.size(); ++k) out->sets[k].push_back(e->sets[k][c]);
    }
    return out;
}

}  // namespace

void set_draws(Scenario& scenario, UncertaintySettings settings) {
    if (settings.ensemble) settings.ensemble = without_scenario_choices(scenario, settings.ensemble);
    if (settings.ensemble && settings.with_priors)
        for (std::size_t i : settings.ensemble->parameter)
            scenario.uncertainty[i] = prior::fixed("set by the calibrated ensemble " + settings.ensemble->file);
    scenario.draws = std::move(settings);
}

std::vector<std::string> draw_column_names(const Scenario& scenario) {
    const auto& specs = scenario.params.registry().specs();
    std::vector<std::string> out;
    for (std::size_t i : uncertain_parameters(scenario)) {
        std::string name = specs[i].key;
        if (scenario.uncertainty[i].family == Family::Dirichlet) {
            const auto width = row_shape(specs[i], scenario.params.values(i).size()).second;
            for (std::size_t j = 0; j + 1 < width && j < specs[i].labels.size(); ++j)
                out.push_back(name + "[" + specs[i].labels[j] + "] (share)");
            continue;
        }
        switch (scenario.uncertainty[i].applies) {
            case Applies::Value:
                break;
            case Applies::Multiplier:
                name += " (multiplier)";
                break;
            case Applies::Gradient:
                name += " (gradient)";
                break;
            case Applies::Odds:
                name += " (odds ratio)";
                break;
        }
        out.push_back(std::move(name));
    }
    return out;
}

std::vector<std::string> draw_column_distributions(const Scenario& scenario) {
    const auto& specs = scenario.params.registry().specs();
    std::vector<std::string> out;
    for (std::size_t i : uncertain_parameters(scenario)) {
        const Distribution& d = scenario.uncertainty[i];
        out.insert(out.end(), column_count(d, specs[i], scenario.params.values(i).size()), d.describe());
    }
    return out;
}

}  // namespace cpcsim
