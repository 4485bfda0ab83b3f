#include "cli/data_dir.hpp"

#include "core/error.hpp"

#include <cstdlib>
#include <string>
#include <system_error>
#include <vector>

namespace cpcsim::cli {

namespace fs = std::filesystem;

fs::path data_dir() {
    if (const char* env = std::getenv("CPCSIM_DATA_DIR"); env != nullptr && *env != '\0') {
        fs::path dir = env;
        std::error_code ec;
        if (!fs::is_directory(dir, ec))
            throw Error(dir.string(), "CPCSIM_DATA_DIR", "not a directory (expected cpcsim's share/cpcsim folder)");
        return dir;
    }
    std::error_code ec;
    const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
    if (ec) throw Error("/proc/self/exe", "", "cannot find the cpcsim executable's own path: " + ec.message());
    const fs::path bin = exe.parent_path();
    const std::vector<fs::path> candidates = {bin.parent_path() / "share" / "cpcsim", bin / "share" / "cpcsim"};
    std::string tried;
    for (const auto& dir : candidates) {
        if (fs::is_directory(dir / "analysis", ec)) return dir;
        tried += (tried.empty() ? "" : ", ") + dir.string();
    }
    throw Error(exe.string(), "",
                "cannot find cpcsim's data directory (tried " + tried +
                    "); reinstall cpcsim, or set CPCSIM_DATA_DIR to the folder holding analysis/ and scenarios/");
}

}  // namespace cpcsim::cli
