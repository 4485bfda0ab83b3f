#include "sweep/summary.hpp"

#include "core/error.hpp"
#include "io/results_file.hpp"

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
    const auto f = io::open_results(file);
    const std::string name = file.string();
    if (f.string_attr("kind") != "sweep" || !f.is_group("/sweep"))
        throw Error(name, "", "not a sweep results file (kind is '" + f.string_attr("kind") + "'); use cpcsim info");
    SweepSummary s;
    const auto sw = f.open_group("/sweep");
    s.design = sw.string_attr("design");
    s.sweep_name = sw.string_attr("sweep_name");
    s.manifest_hash = sw.string_attr("manifest_hash");
    s.manifest_runs = sw.int_attr("manifest_runs");
    const auto point = f.read<std::int64_t>("/sweep/point").values;
    const auto names = f.read_strings("/sweep/point_names");
    const auto settings = f.read_strings("/sweep/point_settings");
    s.runs = static_cast<std::int64_t>(point.size());
    s.measures = f.read_strings("/labels/summary_measures");
    s.units = f.read_strings("/labels/summary_units");
    const std::size_t nm = s.measures.size();
    std::vector<double> summary;
    if (!point.empty()) {
        const auto a = f.read<double>("/runs/summary");
        if (a.shape.size() != 2 || a.shape[0] != point.size() || a.shape[1] != nm)
            throw Error(
                name, "/runs/summary",
                "shape " + io::shape_to_string(a.shape) + " does not match /sweep/point and the summary measures");
        summary = a.values;
    }
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
    if (s.design == "morris" && f.is_dataset("/sweep/morris_trajectory")) {
        const auto traj = f.read<std::int64_t>("/sweep/morris_trajectory").values;
        const auto changed = f.read<std::int64_t>("/sweep/morris_changed").values;
        const auto values = f.read<double>("/sweep/point_values").values;
        const auto params = f.read_strings("/sweep/parameter_names");
        const auto lo = f.read<double>("/sweep/parameter_min").values;
        const auto hi = f.read<double>("/sweep/parameter_max").values;
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
