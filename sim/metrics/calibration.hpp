// The calibration targets of the default region (MODEL.md §7, C1-C11) and their check against
// simulated replicates.
#pragma once

#include "metrics/summary.hpp"

#include <string>
#include <vector>

namespace cpcsim {

struct CalibrationTarget {
    std::string id;            ///< "C1" ...
    std::string what;          ///< plain description
    std::string measure;       ///< summary measure name(s); C4 uses the five quintile prevalences
    double low = 0, high = 0;  ///< acceptance range for the simulated mean
    std::string target;        ///< the published value and tolerance, as text
};

struct CalibrationResult {
    CalibrationTarget target;
    Interval simulated;
    bool pass = false;
    std::string note;  ///< for shape targets: what was seen
};

/// The targets, in order.
const std::vector<CalibrationTarget>& calibration_targets();

/// Checks each target against per-replicate summaries (values of summary_measures()).
std::vector<CalibrationResult> check_calibration(const std::vector<std::vector<double>>& per_run);

}  // namespace cpcsim
