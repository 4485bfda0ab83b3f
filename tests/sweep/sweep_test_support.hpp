// Shared by the sweep tests: sweep files written to a scratch folder, tiny runs of the default
// region (1 year, no warm-up), and a dataset-by-dataset comparison of two results files.
#pragma once

#include "../io/io_test_util.hpp"

#include "io/h5.hpp"
#include "sweep/runner.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <functional>
#include <string>
#include <vector>

namespace sweep_test {

using cpcsim::io::test::TempDir;

inline std::string base_scenario() {
    return std::string(CPCSIM_SOURCE_DIR) + "/scenarios/yorkshire-humber/no-network.toml";
}

/// A sweep file: [sweep] with the default region, `replicates`, seed 11, 1-year runs, and `design`.
inline std::filesystem::path write_sweep(const TempDir& dir, const std::string& name, const std::string& design,
                                         int replicates = 2, std::uint64_t seed = 11,
                                         const std::string& extra_set = "") {
    const auto path = dir / name;
    std::ofstream os(path);
    os << "[sweep]\nname = \"" << name << "\"\nscenario = \"" << base_scenario() << "\"\nreplicates = " << replicates
       << "\nseed = " << seed << "\nset = { \"run.years\" = 1, \"run.warmup_years\" = 0" << extra_set << " }\n\n"
       << design;
    return path;
}

/// Options of a sweep run into `out` on `threads` threads (command line "test").
inline cpcsim::sweep::RunOptions run_options(const std::filesystem::path& out, int threads = 1) {
    cpcsim::sweep::RunOptions o;
    o.out = out;
    o.threads = threads;
    o.command_line = "test";
    return o;
}

inline const char* kGrid = R"([design]
type = "grid"
[design.parameters]
"funding.statutory_multiplier" = [0.8, 1.2]
network.coordinator_wte = [0, 1]
)";

/// Every dataset (type, shape, values) and attribute of `a` equals `b`'s, except the root
/// attributes created_utc, command_line, task and tasks. Returns the differences.
inline std::vector<std::string> differences(const std::filesystem::path& a, const std::filesystem::path& b) {
    using namespace cpcsim::io;
    std::vector<std::string> out;
    const File fa = File::open_read_only(a), fb = File::open_read_only(b);
    auto compare_attrs = [&](const Object& x, const Object& y, bool root) {
        auto names = x.attr_names();
        if (names != y.attr_names()) out.push_back(x.path() + ": attribute names differ");
        for (const auto& n : names) {
            if (root && (n == "created_utc" || n == "command_line" || n == "task" || n == "tasks")) continue;
            if (y.has_attr(n) && x.attr_as_text(n) != y.attr_as_text(n))
                out.push_back(x.path() + ": attribute " + n + " differs");
        }
    };
    std::function<void(const Group&, const Group&)> walk = [&](const Group& x, const Group& y) {
        compare_attrs(x, y, x.path() == "/");
        if (x.children() != y.children()) {
            out.push_back(x.path() + ": members differ");
            return;
        }
        for (const auto& c : x.children()) {
            const std::string p = x.path() == "/" ? "/" + c : x.path() + "/" + c;
            if (x.is_group(p)) {
                walk(x.open_group(p), y.open_group(p));
                continue;
            }
            const Dataset dx = x.open_dataset(p), dy = y.open_dataset(p);
            compare_attrs(dx, dy, false);
            const auto ix = dx.info(), iy = dy.info();
            if (ix.type_name != iy.type_name || ix.shape != iy.shape) {
                out.push_back(p + ": type or shape differs");
                continue;
            }
            bool same = true;
            if (ix.is_string) {
                same = ix.shape.empty() ? dx.read_string() == dy.read_string() : dx.read_strings() == dy.read_strings();
            } else if (ix.type_name == "float64") {
                const auto vx = dx.read<double>().values, vy = dy.read<double>().values;
                for (std::size_t i = 0; i < vx.size() && same; ++i)
                    same = (vx[i] == vy[i]) || (vx[i] != vx[i] && vy[i] != vy[i]);
            } else {
                same = dx.read<std::int64_t>().values == dy.read<std::int64_t>().values;
            }
            if (!same) out.push_back(p + ": values differ");
        }
    };
    walk(fa, fb);
    return out;
}

}  // namespace sweep_test
