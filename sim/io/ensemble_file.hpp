// Reading a calibrated ensemble file (docs/hdf5-schema.md, "Calibrated ensemble"), written by
// `python3 -m analysis.calibrate`: root attribute format = "cpcsim calibrated ensemble",
// /parameters (strings, one per column) and /values (float64, sets x parameters).
#pragma once

#include "scenario/ensemble.hpp"

#include <filesystem>
#include <memory>

namespace cpcsim::io {

inline constexpr const char* kEnsembleFormat = "cpcsim calibrated ensemble";
inline constexpr int kEnsembleVersion = 1;

/// Reads and checks an ensemble against the registry. A missing, non-HDF5, foreign or damaged
/// file, or one whose parameters or values do not fit the model, is an Error naming the file,
/// the dataset (and row and column) and what was expected.
[[nodiscard]] std::shared_ptr<const Ensemble> read_ensemble(const std::filesystem::path& path,
                                                            const ParamRegistry& registry);

}  // namespace cpcsim::io
