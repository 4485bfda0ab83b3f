// Calibration targets as data: a targets file (TOML) names, for each published figure, how it is
// computed from a run's outputs, its observed value and acceptance range, and the uncertainties
// history matching needs. The reader knows no output names: the caller passes them in (as the
// scenario loader is passed the parameter registry), and metrics/calibration.hpp evaluates.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace cpcsim {

/// The outputs a target may name, by table: each list in the order of its table's columns.
struct TargetVocabulary {
    std::vector<std::string> summary;  ///< per-run summary measures (runs/summary)
    std::vector<std::string> annual;   ///< annual counters (runs/annual), totalled over years and cells
    std::vector<std::string> monthly;  ///< monthly counters (runs/monthly), totalled over months and cells
};

/// One output of a run: a summary measure, or a counter totalled over the reported horizon.
struct OutputRef {
    enum class Table { Summary, Annual, Monthly };
    Table table = Table::Summary;
    std::size_t index = 0;  ///< column in its table
    std::string text;       ///< as written in the file ("deaths_per_year", "annual.deaths")
};

/// left < right (or <=) between the means over replicates of two outputs.
struct OrderCondition {
    OutputRef left, right;
    bool or_equal = false;
    bool reversed = false;  ///< written as right > left (or >=)
    std::string text;       ///< as written ("prevalence_q2 <= prevalence_q3"), normalised to < or <=
};

struct CalibrationTarget {
    enum class Kind { Measure, Ratio, Order };
    std::string id;           ///< group as published ("C3"); several targets may share one
    std::string name;         ///< unique within the file ("ratio_black_white")
    std::string description;  ///< plain words
    std::string published;    ///< the published value and tolerance, as text
    std::string source;       ///< where the figure comes from
    Kind kind = Kind::Measure;
    OutputRef measure;                 ///< Measure
    OutputRef numerator, denominator;  ///< Ratio: scale * numerator / denominator, per run
    double scale = 1;
    std::vector<OrderCondition> order;  ///< Order: a shape, every condition must hold
    /// Measure and Ratio: the published value, the acceptance range of the simulated mean, and
    /// the standard deviations of observation error and model discrepancy (implausibility).
    double observed = 0, low = 0, high = 0, observation_sd = 0, discrepancy_sd = 0;
    int line = 0;  ///< line of its [[target]] table in the file
};

struct TargetSet {
    std::string file;  ///< as given, for messages
    std::vector<CalibrationTarget> targets;
};

/// Reads and checks a targets file. Every problem (unknown key, missing or wrong-typed value,
/// unknown output, empty or reversed range, repeated name) is collected and thrown once as
/// cpcsim::Error naming the file, line and key, and what was expected.
[[nodiscard]] TargetSet load_targets(const std::filesystem::path& path, const TargetVocabulary& vocabulary);
/// The same from text (`file` names it in messages).
[[nodiscard]] TargetSet parse_targets(std::string_view text, const std::string& file,
                                      const TargetVocabulary& vocabulary);

}  // namespace cpcsim
