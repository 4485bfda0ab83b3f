#include "sweep/summary.hpp"

#include "core/error.hpp"
#include "io/sweep_files.hpp"

#include <algorithm>
#include <cmath>

namespace cpcsim::sweep {

const std::vector<std::string>& default_morris_outcomes() {
    static const std::vector<std::string> o = {"access_rate", "preferred_place_rate", "cost_total_per_year",
                                               "access_sii"};
    return o;
}

std::vector<MorrisEffect> morris_effects(const std::vector<double>& y, const std::vector<std::int64_t>& trajectory,
                                         const std::vector<std::int64_t>& changed, const std::vector<double>& values,
                                         const std::vector<std::string>& parameters,
                                         const std::vector<double>& range_min, const std::vector<double>& range_max) {
    const std::size_t k = parameters.size();
    std::vector<std::vector<double>> ee(k);
    for (std::size_t i = 1; i < y.size(); ++i) {
        const auto c = changed[i];
        if (trajectory[i] < 0 || c < 0 || trajectory[i - 1] != trajectory[i]) continue;
        const auto ci = static_cast<std::size_t>(c);
        if (ci >= k) continue;
        const double width = range_max[ci] - range_min[ci];
        const double dx = (values[i * k + ci] - values[(i - 1) * k + ci]) / width;
        if (!(std::fabs(dx) > 0) || std::isnan(y[i]) || std::isnan(y[i - 1])) continue;
        ee[ci].push_back((y[i] - y[i - 1]) / dx);
    }
    std::vector<MorrisEffect> out;
    for (std::size_t j = 0; j < k; ++j) {
        MorrisEffect e;
        e.parameter = parameters[j];
        e.n = static_cast<int>(ee[j].size());
        if (e.n == 0) {
            e.mu_star = e.mu = e.sigma = std::nan("");
        } else {
            double sa = 0, s = 0;
            for (const double v : ee[j]) sa += std::fabs(v), s += v;
            e.mu_star = sa / e.n;
            e.mu = s / e.n;
            double ss = 0;
            for (const double v : ee[j]) ss += (v - e.mu) * (v - e.mu);
            e.sigma = e.n > 1 ? std::sqrt(ss / (e.n - 1)) : 0.0;
        }
        out.push_back(e);
    }
    std::stable_sort(out.begin(), out.end(), [](const MorrisEffect& a, const MorrisEffect& b) {
        const double x = std::isnan(a.mu_star) ? -1 : a.mu_star, z = std::isnan(b.mu_star) ? -1 : b.mu_star;
        return x > z;
    });
    return out;
}

SweepSummary summarise_sweep(const std::filesystem::path& file, const std::vector<std::string>& morris_outcomes) {
    const io::SweepSummaryData data = io::read_sweep_summary(file);
    const io::SweepPlan& plan = data.plan;
    const std::string name = file.string();
    SweepSummary s;
    s.design = plan.design;
    s.sweep_name = plan.sweep_name;
    s.manifest_hash = plan.manifest_hash;
    s.manifest_runs = plan.manifest_runs;
    const auto& point = plan.point;
    const auto& names = plan.point_names;
    const auto& settings = plan.point_settings;
    s.runs = static_cast<std::int64_t>(point.size());
    s.measures = data.measures;
    s.units = data.units;
    const std::size_t nm = s.measures.size();
    const auto& summary = data.summary;
    std::vector<std::vector<std::size_t>> rows(names.size());
    for (std::size_t r = 0; r < point.size(); ++r)
        if (point[r] >= 0 && static_cast<std::size_t>(point[r]) < rows.size())
            rows[static_cast<std::size_t>(point[r])].push_back(r);
    for (std::size_t p = 0; p < names.size(); ++p) {
        PointSummary ps;
        ps.point = static_cast<std::int64_t>(p);
        ps.name = names[p];
        ps.settings = p < settings.size() ? settings[p] : "";
        ps.runs = static_cast<int>(rows[p].size());
        for (std::size_t m = 0; m < nm; ++m) {
            std::vector<double> v;
            for (const auto r : rows[p]) v.push_back(summary[r * nm + m]);
            ps.measures.push_back(mean_interval(v));
        }
        s.points.push_back(std::move(ps));
    }
    if (plan.morris) {
        const auto& traj = plan.morris_trajectory;
        const auto& changed = plan.morris_changed;
        const auto& values = plan.point_values;
        const auto& params = plan.parameter_names;
        const auto& lo = plan.range_min;
        const auto& hi = plan.range_max;
        for (const auto& outcome : morris_outcomes) {
            const auto it = std::find(s.measures.begin(), s.measures.end(), outcome);
            if (it == s.measures.end()) throw Error(name, "", "no summary measure named '" + outcome + "'");
            const auto m = static_cast<std::size_t>(it - s.measures.begin());
            std::vector<double> y;
            for (const auto& p : s.points) y.push_back(p.runs > 0 ? p.measures[m].mean : std::nan(""));
            s.morris.push_back({outcome, morris_effects(y, traj, changed, values, params, lo, hi)});
        }
    }
    return s;
}

}  // namespace cpcsim::sweep
