// A calibrated parameter ensemble (docs/calibration.md, "History matching"): the non-implausible
// parameter sets that `python3 -m analysis.calibrate` (cpcsim calibrate) keeps. With
// `--uncertainty ENSEMBLE.h5`, draw k of a run or comparison uses set k mod N, in place of a
// draw from the priors: both arms of a comparison use the same set. The file is read by
// io/ensemble_file.hpp; this part checks the sets against the parameter registry and applies them.
#pragma once

#include "scenario/uncertainty.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace cpcsim {

struct Scenario;
class ParamSet;
class ParamRegistry;

struct Ensemble {
    std::string file;                    ///< where it was read from (for messages and provenance)
    std::vector<std::string> columns;    ///< parameter keys as a sweep's --set names them ("key" or "key.label")
    std::vector<std::size_t> parameter;  ///< registry index of each column
    std::vector<int> element;            ///< element (flat index) of each column; -1 for a scalar
    /// Per column: -1 for a value, else it is a prior quantile ("prior_quantile.KEY", or
    /// "prior_quantile.KEY.LABEL" for a Dirichlet's column LABEL) and this is its place among the
    /// parameter's quantiles (docs/calibration.md, "History matching": the prior space).
    std::vector<int> quantile;
    /// The declared prior of every registry parameter (what a quantile column is a quantile of).
    std::vector<Distribution> priors;
    std::vector<std::vector<double>> sets;  ///< [set][column]

    [[nodiscard]] std::size_t size() const noexcept { return sets.size(); }
    /// The set draw `draw` uses: draw mod size().
    [[nodiscard]] const std::vector<double>& set_of(std::uint32_t draw) const { return sets[draw % sets.size()]; }
};

/// Checks and builds an ensemble: every column must name a real, integer or boolean parameter,
/// or one element of an array ("phase.deteriorating_to_dying.<1"), at most once; there must be at
/// least one set, each with one value per column, inside the parameter's valid range. Throws
/// Error naming `file`, the dataset or row and column, and what was expected.
[[nodiscard]] Ensemble make_ensemble(std::string file, const std::vector<std::string>& columns,
                                     const std::vector<std::vector<double>>& sets, const ParamRegistry& registry);

/// The scenario's values with the ensemble's set for `draw` applied.
[[nodiscard]] ParamSet ensemble_parameters(const Scenario& scenario, const Ensemble& ensemble, std::uint32_t draw);
/// `params` with the ensemble's set for `draw` applied.
[[nodiscard]] ParamSet with_ensemble_set(ParamSet params, const Ensemble& ensemble, std::uint32_t draw);

}  // namespace cpcsim
