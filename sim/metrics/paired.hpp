// Paired comparison of two scenarios run on the same seeds (common random numbers).
#pragma once

#include "metrics/summary.hpp"

#include <vector>

namespace cpcsim {

struct PairedComparison {
    Interval a, b;            ///< each arm's mean and 95% interval
    Interval difference;      ///< paired B - A: mean and 95% t-interval of the per-replicate differences
    double unpaired_low = 0;  ///< Welch 95% interval of B - A treating the arms as independent
    double unpaired_high = 0;
    /// How much narrower pairing makes the 95% interval of B - A, as a fraction:
    /// 1 - (paired half-width / unpaired Welch half-width). 0.68 = the paired interval is 68%
    /// narrower; 0 = no gain; negative = pairing widened it; 1 = the paired interval has zero
    /// width. NaN with fewer than 2 pairs or a zero-width unpaired interval. The same
    /// definition is used by analysis/stats.py and the report (docs/report.md, "Differences").
    double narrowing = 0;
};

/// Compares per-replicate values of one measure in arms A and B (replicate i paired with i).
PairedComparison compare_paired(const std::vector<double>& a, const std::vector<double>& b);

}  // namespace cpcsim
