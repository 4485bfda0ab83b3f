// Where cpcsim finds the files it ships besides itself (the Python analysis package behind
// `cpcsim report`, the example scenarios): next to the executable, never in the source tree, so
// an installed cpcsim works from any directory.
#pragma once

#include <filesystem>

namespace cpcsim::cli {

/// The data directory: $CPCSIM_DATA_DIR if set; else, from the running executable's own path
/// (/proc/self/exe), PREFIX/share/cpcsim for PREFIX/bin/cpcsim (installed) or BUILD/share/cpcsim
/// for BUILD/cpcsim (the build tree, whose share/cpcsim links to the sources). It holds
/// analysis/ and scenarios/. Throws cpcsim::Error naming the places tried if none exists.
[[nodiscard]] std::filesystem::path data_dir();

}  // namespace cpcsim::cli
