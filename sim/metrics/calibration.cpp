#include "metrics/calibration.hpp"

#include <algorithm>
#include <array>
#include <stdexcept>

namespace cpcsim {

const std::vector<CalibrationTarget>& calibration_targets() {
    // Published values: MODEL.md §7 and shared/research/evidence.md.
    static const std::vector<CalibrationTarget> t = {
        {"C1", "prevalence of LLC, 0-19, per 10,000", "prevalence_per_10000", 69.72 * 0.95, 69.72 * 1.05,
         "66.4 England x 1.05 Y&H = 69.7, +-5%"},
        {"C2", "prevalence under 1 year, per 10,000", "prevalence_under1_per_10000", 226.5 * 0.9, 226.5 * 1.1,
         "226.5, +-10%"},
        {"C3", "prevalence ratio South Asian vs White", "ratio_south_asian_white", 1.5, 2.1, "1.8 +-0.3"},
        {"C3", "prevalence ratio Black vs White", "ratio_black_white", 1.3, 1.9, "1.6 +-0.3"},
        {"C4", "deprivation gradient: highest in the most deprived quintile, inverse-J", "prevalence_q1..q5", 0, 0,
         "shape (inverse-J): Q5 highest, rising from Q3 to Q5, lowest in Q2"},
        {"C5", "congenital share of prevalence", "congenital_share", 0.36, 0.46, "41% +-5 points"},
        {"C6", "LLC deaths per year in the region", "deaths_per_year", 180, 270, "180-270"},
        {"C7", "share of LLC deaths under 1 year", "deaths_under1_share", 0.50, 0.66, "58% +-8 points"},
        {"C8", "place of death: hospital", "death_hospital_share", 0.68, 0.82, "73-77% +-5 points"},
        {"C8", "place of death: home", "death_home_share", 0.13, 0.19, "16% +-3 points"},
        {"C8", "place of death: hospice", "death_hospice_share", 0.03, 0.09, "6% +-3 points"},
        {"C9", "most severe phase in the year: stable", "phase_stable_share", 0.816, 0.836,
         "82.6% +-1 point (Jarvis 2017, Scotland 0-25, 2010/11)"},
        {"C9", "emergency admission >= 48 h or to PICU in the year (unstable)", "phase_unstable_share", 0.11, 0.17,
         "14.0% +-3 points"},
        {"C9", "most severe phase in the year: deteriorating", "phase_deteriorating_share", 0.0096, 0.0296,
         "1.96% +-1 point (definition not verified)"},
        {"C9", "most severe phase in the year: dying (last 28 days, every year overlapped)", "phase_dying_share", 0.0,
         0.0242, "1.42% +-1 point (follows from C6 and C1)"},
        {"C10", "statutory share of hospice spending", "hospice_statutory_share", 0.15, 0.22, "15-22%"},
        {"C11", "areas with 24/7 end-of-life care at home", "areas_24_7_share", 1.0 / 3 - 0.10, 1.0 / 3 + 0.10,
         "one third +-10 points"},
    };
    return t;
}

namespace {
std::size_t measure_index(const std::string& name) {
    const auto& m = summary_measures();
    for (std::size_t i = 0; i < m.size(); ++i)
        if (m[i].name == name) return i;
    throw std::logic_error("unknown summary measure " + name);
}
std::vector<double> column(const std::vector<std::vector<double>>& per_run, std::size_t i) {
    std::vector<double> v;
    for (const auto& r : per_run) v.push_back(r[i]);
    return v;
}
}  // namespace

std::vector<CalibrationResult> check_calibration(const std::vector<std::vector<double>>& per_run) {
    std::vector<CalibrationResult> out;
    for (const auto& t : calibration_targets()) {
        CalibrationResult r{t, {}, false, ""};
        if (t.id == "C4") {
            std::array<double, 5> q{};
            for (int k = 0; k < 5; ++k)
                q[static_cast<std::size_t>(k)] =
                    mean_interval(column(per_run, measure_index("prevalence_q" + std::to_string(k + 1)))).mean;
            const auto lowest = static_cast<int>(std::min_element(q.begin(), q.end()) - q.begin());
            const bool q5_highest = std::max_element(q.begin(), q.end()) - q.begin() == 4;
            r.pass = q5_highest && q[2] < q[3] && q[3] < q[4] && lowest == 1;
            r.simulated = mean_interval(column(per_run, measure_index("prevalence_q5")));
            r.note = "Q1..Q5 per 10,000: ";
            for (int k = 0; k < 5; ++k)
                r.note += (k ? ", " : "") + std::to_string(static_cast<int>(q[static_cast<std::size_t>(k)] + 0.5));
        } else {
            r.simulated = mean_interval(column(per_run, measure_index(t.measure)));
            r.pass = r.simulated.mean >= t.low && r.simulated.mean <= t.high;
        }
        out.push_back(r);
    }
    return out;
}

}  // namespace cpcsim
