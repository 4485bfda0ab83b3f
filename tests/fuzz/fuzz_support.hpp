// Shared by the libFuzzer targets (scripts/fuzz.sh): a scratch folder per process holding the
// small two-area test region, so that inputs can be read through the same file paths the
// command line uses. A target fails only on a crash, a sanitizer report, a leak or a timeout:
// cpcsim::Error is the expected answer to bad input.
#pragma once

#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

namespace cpcsim::fuzz {

namespace fs = std::filesystem;

inline fs::path source_dir() {
    return fs::path(CPCSIM_SOURCE_DIR);
}

/// /tmp/cpcsim-fuzz-<pid>/ with scenario.toml, areas.csv and providers.csv of tests/data/two-area,
/// created on first use and removed at exit.
inline const fs::path& scratch() {
    struct Dir {
        fs::path path;
        Dir() : path(fs::temp_directory_path() / ("cpcsim-fuzz-" + std::to_string(::getpid()))) {
            fs::remove_all(path);
            fs::create_directories(path);
            for (const char* f : {"scenario.toml", "areas.csv", "providers.csv"})
                fs::copy_file(source_dir() / "tests/data/two-area" / f, path / f);
        }
        ~Dir() {
            std::error_code ec;
            fs::remove_all(path, ec);
        }
    };
    static const Dir dir;
    return dir.path;
}

inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
    return {reinterpret_cast<const char*>(data), size};
}

/// Writes the input bytes to `name` in the scratch folder and returns its path.
inline fs::path write_input(const std::string& name, const std::uint8_t* data, std::size_t size) {
    const fs::path path = scratch() / name;
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
    return path;
}

}  // namespace cpcsim::fuzz
