#include "sweep/design.hpp"

#include "core/rng.hpp"
#include "model/parameter_table.hpp"
#include "scenario/params.hpp"
#include "scenario/toml_text.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>

namespace cpcsim::sweep {

namespace {

void add_key(std::vector<std::string>& keys, const std::string& k) {
    if (std::find(keys.begin(), keys.end(), k) == keys.end()) keys.push_back(k);
}

std::string padded(int value, int width) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%0*d", width, value);
    return buf;
}

int digits(int n) {
    int d = 1;
    while (n >= 10) n /= 10, ++d;
    return d;
}

/// Orders `settings` by the parameter columns.
std::vector<Setting> in_column_order(const std::vector<Setting>& settings, const std::vector<std::string>& columns) {
    std::vector<Setting> out;
    for (const auto& c : columns)
        for (const auto& s : settings)
            if (s.first == c) out.push_back(s);
    return out;
}

/// Cartesian product of the grid axes, first axis slowest; one empty combination if no axes.
std::vector<std::vector<Setting>> grid_combinations(const std::vector<GridAxis>& axes) {
    std::vector<std::vector<Setting>> out{{}};
    for (const auto& axis : axes) {
        std::vector<std::vector<Setting>> next;
        for (const auto& partial : out)
            for (const auto& v : axis.values) {
                auto c = partial;
                c.emplace_back(axis.key, v);
                next.push_back(std::move(c));
            }
        out = std::move(next);
    }
    return out;
}

std::string settings_name(const std::vector<Setting>& s) {
    std::string out;
    for (const auto& [k, v] : s) out += (out.empty() ? "" : " ") + k + "=" + v;
    return out;
}

}  // namespace

std::vector<std::string> design_parameters(const SweepSpec& spec) {
    std::vector<std::string> keys;
    if (spec.design == "variants")
        for (const auto& v : spec.variants)
            for (const auto& s : v.set) add_key(keys, s.first);
    if (spec.design == "grid" || spec.design == "variants")
        for (const auto& a : spec.grid) add_key(keys, a.key);
    if (spec.design == "lhs" || spec.design == "morris")
        for (const auto& r : spec.ranges) add_key(keys, r.key);
    return keys;
}

std::vector<std::vector<double>> latin_hypercube(std::uint64_t seed, int block, int points,
                                                 const std::vector<std::string>& keys) {
    const auto n = static_cast<std::size_t>(points);
    std::vector<std::vector<double>> out(n, std::vector<double>(keys.size()));
    const RandomKey key(seed, static_cast<std::uint32_t>(block));
    for (std::size_t j = 0; j < keys.size(); ++j) {
        Draws d(key, stream_id("sweep.lhs"), stream_id(keys[j]), 0);
        std::vector<std::uint32_t> strata(n);
        std::iota(strata.begin(), strata.end(), 0u);
        for (std::size_t i = n; i > 1; --i) std::swap(strata[i - 1], strata[d.below(static_cast<std::uint32_t>(i))]);
        for (std::size_t i = 0; i < n; ++i) out[i][j] = (strata[i] + d.uniform()) / static_cast<double>(n);
    }
    return out;
}

MorrisTrajectory morris_trajectory(std::uint64_t seed, int trajectory, int k, int levels) {
    const int half = levels / 2;
    const double step = 1.0 / (levels - 1);
    const double delta = half * step;
    Draws d(RandomKey(seed, 0), stream_id("sweep.morris"), static_cast<std::uint32_t>(trajectory), 0);
    std::vector<double> x(static_cast<std::size_t>(k));
    std::vector<int> direction(static_cast<std::size_t>(k));
    for (std::size_t i = 0; i < x.size(); ++i) {
        const bool up = d.bernoulli(0.5);
        direction[i] = up ? 1 : -1;
        // Moving up needs a start in the lower half of the levels, moving down the upper half.
        const auto level = static_cast<int>(d.below(static_cast<std::uint32_t>(half))) + (up ? 0 : half);
        x[i] = level * step;
    }
    std::vector<int> order(static_cast<std::size_t>(k));
    std::iota(order.begin(), order.end(), 0);
    for (std::size_t i = order.size(); i > 1; --i)
        std::swap(order[i - 1], order[d.below(static_cast<std::uint32_t>(i))]);
    MorrisTrajectory t;
    t.points.push_back(x);
    t.changed.push_back(-1);
    for (const int c : order) {
        const auto ci = static_cast<std::size_t>(c);
        x[ci] = std::clamp(x[ci] + direction[ci] * delta, 0.0, 1.0);
        t.points.push_back(x);
        t.changed.push_back(c);
    }
    return t;
}

std::string value_in_range(const ParamRange& range, double u) {
    // The parameter's kind: of the key itself, or of the array whose element it names (key.label).
    const auto& reg = model_parameters();
    const ParamSpec* spec = reg.find(range.key);
    if (!spec) {
        const auto dot = range.key.rfind('.');
        if (dot != std::string::npos) spec = reg.find(std::string_view(range.key).substr(0, dot));
    }
    const ParamKind kind = spec ? spec->kind : ParamKind::Real;
    double v = std::clamp(range.min + u * (range.max - range.min), range.min, range.max);
    if (kind == ParamKind::Integer) v = std::round(v);
    return toml_value(v, kind);
}

std::vector<DesignPoint> design_points(const SweepSpec& spec) {
    const auto columns = design_parameters(spec);
    std::vector<DesignPoint> out;
    if (spec.design == "grid") {
        for (const auto& c : grid_combinations(spec.grid))
            out.push_back({settings_name(c), in_column_order(c, columns)});
    } else if (spec.design == "variants") {
        const auto combos = grid_combinations(spec.grid);
        for (const auto& v : spec.variants)
            for (const auto& c : combos) {
                auto set = v.set;
                set.insert(set.end(), c.begin(), c.end());
                const std::string name = c.empty() ? v.name : v.name + " " + settings_name(c);
                out.push_back({name, in_column_order(set, columns)});
            }
    } else if (spec.design == "lhs") {
        std::vector<std::string> keys;
        for (const auto& r : spec.ranges) keys.push_back(r.key);
        const int w = digits(std::max(spec.points - 1, 0));
        for (int b = 0; b < spec.blocks; ++b) {
            const auto cube = latin_hypercube(spec.design_seed, b, spec.points, keys);
            for (int i = 0; i < spec.points; ++i) {
                DesignPoint p;
                p.name = "lhs b" + std::to_string(b) + " p" + padded(i, w);
                for (std::size_t j = 0; j < keys.size(); ++j)
                    p.set.emplace_back(keys[j], value_in_range(spec.ranges[j], cube[static_cast<std::size_t>(i)][j]));
                out.push_back(std::move(p));
            }
        }
    } else if (spec.design == "morris") {
        const int k = static_cast<int>(spec.ranges.size());
        const int wt = digits(std::max(spec.trajectories - 1, 0)), ws = digits(k);
        for (int t = 0; t < spec.trajectories; ++t) {
            const auto traj = morris_trajectory(spec.design_seed, t, k, spec.levels);
            for (std::size_t s = 0; s < traj.points.size(); ++s) {
                DesignPoint p;
                p.name = "morris t" + padded(t, wt) + " s" + padded(static_cast<int>(s), ws);
                p.trajectory = t;
                p.changed = traj.changed[s];
                for (std::size_t j = 0; j < spec.ranges.size(); ++j)
                    p.set.emplace_back(spec.ranges[j].key, value_in_range(spec.ranges[j], traj.points[s][j]));
                out.push_back(std::move(p));
            }
        }
    }
    return out;
}

}  // namespace cpcsim::sweep
