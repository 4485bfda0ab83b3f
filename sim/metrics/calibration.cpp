#include "metrics/calibration.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <limits>

namespace cpcsim {

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
}  // namespace

TargetVocabulary target_vocabulary() {
    TargetVocabulary v;
    for (const auto& m : summary_measures()) v.summary.push_back(m.name);
    for (const auto& a : kAnnualVarInfo) v.annual.emplace_back(a.name);
    for (const auto& m : kMonthlyVarInfo) v.monthly.emplace_back(m.name);
    return v;
}

double output_value(const OutputRef& ref, const RunOutputs& run, const RunMeasures& measures) {
    switch (ref.table) {
        case OutputRef::Table::Summary:
            return measures.summary.at(ref.index);
        case OutputRef::Table::Annual: {
            // Summed year by year as doubles, as the summary measures total them.
            double s = 0;
            for (int y = 0; y < run.years; ++y)
                s += static_cast<double>(run.annual_total(y, static_cast<AnnualVar>(ref.index)));
            return s;
        }
        case OutputRef::Table::Monthly:
            return static_cast<double>(run.monthly_total(0, run.months, static_cast<MonthlyVar>(ref.index)));
    }
    return kNaN;
}

double target_value(const CalibrationTarget& target, const RunOutputs& run, const RunMeasures& measures) {
    switch (target.kind) {
        case CalibrationTarget::Kind::Measure:
            return output_value(target.measure, run, measures);
        case CalibrationTarget::Kind::Ratio: {
            const double d = output_value(target.denominator, run, measures);
            return d != 0 ? target.scale * output_value(target.numerator, run, measures) / d : kNaN;
        }
        case CalibrationTarget::Kind::Order:
            break;
    }
    return kNaN;
}

double implausibility(const CalibrationTarget& target, double mean, double run_variance) {
    if (std::isnan(run_variance)) run_variance = 0;
    const double variance =
        target.observation_sd * target.observation_sd + target.discrepancy_sd * target.discrepancy_sd + run_variance;
    const double distance = std::abs(mean - target.observed);
    return variance > 0 ? distance / std::sqrt(variance) : (distance > 0 ? HUGE_VAL : 0.0);
}

std::vector<CalibrationResult> check_calibration(const TargetSet& targets, const std::vector<RunOutputs>& runs,
                                                 const std::vector<RunMeasures>& measures) {
    assert(runs.size() == measures.size());
    const auto mean_of = [&](auto value) {
        std::vector<double> v;
        for (std::size_t r = 0; r < runs.size() && r < measures.size(); ++r) v.push_back(value(runs[r], measures[r]));
        return mean_interval(v);
    };
    std::vector<CalibrationResult> out;
    for (const auto& t : targets.targets) {
        CalibrationResult r{t, {}, false, kNaN, ""};
        if (t.kind == CalibrationTarget::Kind::Order) {
            std::vector<std::string> shown;
            std::vector<double> shown_mean;
            const auto mean = [&](const OutputRef& ref) {
                const double m =
                    mean_of([&](const RunOutputs& o, const RunMeasures& rm) { return output_value(ref, o, rm); }).mean;
                if (std::find(shown.begin(), shown.end(), ref.text) == shown.end())
                    shown.push_back(ref.text), shown_mean.push_back(m);
                return m;
            };
            r.pass = true;
            for (const auto& c : t.order) {
                // Means taken in the order written, so the note lists outputs as the file does.
                const double first = mean(c.reversed ? c.right : c.left), second = mean(c.reversed ? c.left : c.right);
                const double left = c.reversed ? second : first, right = c.reversed ? first : second;
                r.pass = r.pass && (c.or_equal ? left <= right : left < right);
            }
            for (std::size_t i = 0; i < shown.size(); ++i)
                r.note += (i ? ", " : "") + shown[i] + " " + std::to_string(static_cast<int>(shown_mean[i] + 0.5));
        } else {
            r.simulated = mean_of([&](const RunOutputs& o, const RunMeasures& m) { return target_value(t, o, m); });
            r.pass = r.simulated.mean >= t.low && r.simulated.mean <= t.high;
            r.implausibility = implausibility(t, r.simulated.mean, r.simulated.sd * r.simulated.sd);
        }
        out.push_back(r);
    }
    return out;
}

}  // namespace cpcsim
