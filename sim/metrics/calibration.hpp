// Calibration targets (read from a targets file, scenario/targets.hpp) checked against simulated
// replicates: each target's per-run value, the mean over replicates against the acceptance
// range, and the implausibility that history matching uses.
#pragma once

#include "metrics/outcomes.hpp"
#include "metrics/run_measures.hpp"
#include "metrics/summary.hpp"
#include "scenario/targets.hpp"

#include <string>
#include <vector>

namespace cpcsim {

/// The outputs a targets file may name: summary measures, annual and monthly counters.
[[nodiscard]] TargetVocabulary target_vocabulary();

struct CalibrationResult {
    CalibrationTarget target;
    Interval simulated;  ///< mean over replicates and its 95% interval (Order targets: not used)
    bool pass = false;
    /// |mean - observed| / sqrt(observation_sd^2 + discrepancy_sd^2 + variance across replicates);
    /// NaN for Order targets (a shape has no observed value).
    double implausibility = 0;
    std::string note;  ///< Order targets: the mean of each output compared, in order of appearance
};

/// One run's value of an output: a summary measure, or a counter totalled over the horizon.
[[nodiscard]] double output_value(const OutputRef& ref, const RunOutputs& run, const RunMeasures& measures);
/// One run's value of a Measure or Ratio target (NaN for an Order target, or a ratio over 0).
[[nodiscard]] double target_value(const CalibrationTarget& target, const RunOutputs& run, const RunMeasures& measures);
/// |mean - observed| / sqrt(observation_sd^2 + discrepancy_sd^2 + run_variance): the distance of
/// the simulated mean from the observation in standard deviations of every uncertainty named.
/// `run_variance` is the variance of one run's value across replicates (model noise; the world
/// observed is one realisation); NaN is read as 0.
[[nodiscard]] double implausibility(const CalibrationTarget& target, double mean, double run_variance);

/// Checks each target against the runs (run i of `runs` measured as `measures[i]`), in the order
/// of the targets file.
[[nodiscard]] std::vector<CalibrationResult> check_calibration(const TargetSet& targets,
                                                               const std::vector<RunOutputs>& runs,
                                                               const std::vector<RunMeasures>& measures);

}  // namespace cpcsim
