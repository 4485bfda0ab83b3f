// Sweep files (TOML): a base scenario and what varies. See docs/sweeps.md for the format.
//
//   [sweep]
//   name = "Funding x network"
//   scenario = "../yorkshire-humber/no-network.toml"   # relative to this file
//   replicates = 10
//   seed = 20261126
//   set = { "run.years" = 10 }                          # optional, applied to every point
//
//   [design]
//   type = "grid" | "variants" | "lhs" | "morris"
//   ...
//
// Reading a sweep file checks its structure and collects every problem before throwing one
// cpcsim::Error; whether each design point is a valid scenario is checked by plan().
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

namespace cpcsim::sweep {

/// key = value (value in TOML syntax, canonical: see canonical_value()).
using Setting = std::pair<std::string, std::string>;

struct GridAxis {
    std::string key;
    std::vector<std::string> values;  ///< canonical TOML text of each level
};

struct Variant {
    std::string name;
    std::vector<Setting> set;  ///< in file order
};

struct ParamRange {
    std::string key;
    double min = 0, max = 0;
};

struct SweepSpec {
    std::filesystem::path file;  ///< the sweep file as given
    std::string name, description;
    std::filesystem::path scenario;  ///< base scenario, resolved against the sweep file's folder
    int replicates = 1;
    std::uint64_t seed = 20261126;
    std::vector<std::string> base_overrides;  ///< "key=value": [sweep] set, then command-line --set
    std::string design;                       ///< "grid" | "variants" | "lhs" | "morris"
    std::vector<GridAxis> grid;               ///< grid, or crossed with the variants
    std::vector<Variant> variants;
    std::vector<ParamRange> ranges;  ///< lhs, morris
    int points = 0;                  ///< lhs: points per block
    int blocks = 1;                  ///< lhs: independent hypercubes of `points` each
    int trajectories = 0;            ///< morris
    int levels = 4;                  ///< morris: grid levels (even)
    std::uint64_t design_seed = 0;   ///< lhs, morris sampling; defaults to `seed`
    std::string store = "all";       ///< [sweep] store: what each run stores (StoredOutputs::parse)
};

inline constexpr const char* kDesignTypes[] = {"grid", "variants", "lhs", "morris"};

/// Reads and checks a sweep file; `extra_overrides` ("key=value", e.g. from --set) are appended
/// to the file's [sweep] set. Throws cpcsim::Error listing every problem.
SweepSpec read_sweep_file(const std::filesystem::path& file, const std::vector<std::string>& extra_overrides = {});

/// The canonical TOML text of a value for parameter `key`: numbers in the parameter's kind
/// (true/false, whole numbers, floats that read back exactly), arrays as [a, b]. Unknown keys
/// keep `text` as written (load_scenario reports them).
std::string canonical_value(const std::string& key, const std::string& text);

}  // namespace cpcsim::sweep
