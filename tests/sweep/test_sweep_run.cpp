// Running tiny sweeps through the library: threads, tasks + merge, failures and resume all give
// the same results file (every dataset), and a merge refuses another sweep's task file.
#include "sweep_test_support.hpp"

#include "core/error.hpp"
#include "io/results_file.hpp"
#include "sweep/hash.hpp"
#include "sweep/manifest.hpp"
#include "sweep/runner.hpp"
#include "sweep/summary.hpp"

using namespace cpcsim::sweep;
using Catch::Matchers::Contains;
using sweep_test::differences;
using sweep_test::run_options;
using sweep_test::TempDir;
using sweep_test::write_sweep;

TEST_CASE("a sweep gives identical datasets on 1 or 2 threads and as 3 tasks merged", "[regression][sweep]") {
    TempDir dir;
    const std::string grid =
        "[design]\ntype = \"grid\"\n[design.parameters]\n\"funding.statutory_multiplier\" = [0.8, 1.2]\n";
    LoadedSweep loaded;
    const Manifest m = plan(read_sweep_file(write_sweep(dir, "g.toml", grid, 2)), &loaded);
    const auto one = dir / "one.h5", two = dir / "two.h5", merged = dir / "merged.h5";
    const auto r1 = run_sweep(m, loaded, run_options(one, 1));
    REQUIRE(r1.written);
    CHECK(r1.simulated == 4);
    CHECK(!std::filesystem::exists(parts_dir_of(one)));  // removed once assembled
    REQUIRE(run_sweep(m, loaded, run_options(two, 2)).written);
    std::vector<std::filesystem::path> tasks;
    for (int t = 0; t < 3; ++t) {
        auto o = run_options(dir / ("task-" + std::to_string(t) + ".h5"), 1);
        o.task = t;
        o.tasks = 3;
        REQUIRE(run_sweep(m, loaded, o).written);
        tasks.push_back(o.out);
    }
    merge({tasks[2], tasks[0], tasks[1]}, merged, {.command_line = "test"});
    CHECK(differences(one, two).empty());
    const auto d = differences(one, merged);
    INFO((d.empty() ? std::string() : d.front()));
    CHECK(d.empty());

    // The layout: a table of runs, the plan, and every run output with a leading run dimension.
    const auto f = cpcsim::io::open_results(one);
    CHECK(f.string_attr("kind") == "sweep");
    CHECK(f.string_attr("manifest_hash") == hex64(m.hash()));
    CHECK(f.read<std::int64_t>("/sweep/run_id").values == std::vector<std::int64_t>{0, 1, 2, 3});
    CHECK(f.read<std::int64_t>("/sweep/point").values == std::vector<std::int64_t>{0, 0, 1, 1});
    CHECK(f.read<std::int64_t>("/sweep/replicate").values == std::vector<std::int64_t>{0, 1, 0, 1});
    CHECK(f.read<double>("/sweep/point_values").values == std::vector<double>{0.8, 1.2});
    CHECK(f.open_dataset("/runs/monthly").dims().front() == "run");
    CHECK(f.open_dataset("/runs/summary").shape().front() == 4);

    const auto s = summarise_sweep(one);
    REQUIRE(s.points.size() == 2);
    CHECK(s.points[1].runs == 2);
}

TEST_CASE("a failing run is reported with its id; the others are kept and --resume finishes", "[regression][sweep]") {
    TempDir dir;
    const std::string grid =
        "[design]\ntype = \"grid\"\n[design.parameters]\n\"funding.statutory_multiplier\" = [0.8, 1.2]\n";
    LoadedSweep loaded;
    const Manifest m = plan(read_sweep_file(write_sweep(dir, "g.toml", grid, 2)), &loaded);
    const auto out = dir / "r.h5";
    auto o = run_options(out, 2);
    o.before_commit = [](std::int64_t run) {
        if (run == 2) throw cpcsim::Error("", "", "injected failure");
    };
    const auto failed = run_sweep(m, loaded, o);
    CHECK(!failed.written);
    REQUIRE(failed.failures.size() == 1);
    CHECK(failed.failures[0].run == 2);
    CHECK_THAT(failed.failures[0].reason, Contains("injected failure"));
    CHECK(failed.simulated == 3);
    CHECK(!std::filesystem::exists(out));
    CHECK(std::filesystem::exists(part_path(parts_dir_of(out), 3)));
    // Without --resume the leftover parts are an error; with it only run 2 is simulated.
    CHECK_THROWS_WITH(run_sweep(m, loaded, run_options(out, 2)), Contains("--resume"));
    auto again = run_options(out, 2);
    again.resume = true;
    const auto resumed = run_sweep(m, loaded, again);
    CHECK(resumed.written);
    CHECK(resumed.simulated == 1);
    CHECK(resumed.already_done == 3);
    const auto fresh = dir / "fresh.h5";
    REQUIRE(run_sweep(m, loaded, run_options(fresh, 1)).written);
    CHECK(differences(out, fresh).empty());
}

TEST_CASE("merge refuses task files of another manifest, naming the file", "[regression][sweep]") {
    TempDir dir;
    const std::string grid =
        "[design]\ntype = \"grid\"\n[design.parameters]\n\"funding.statutory_multiplier\" = [1.0]\n";
    LoadedSweep la, lb;
    const Manifest a = plan(read_sweep_file(write_sweep(dir, "a.toml", grid, 2, 1)), &la);
    const Manifest b = plan(read_sweep_file(write_sweep(dir, "b.toml", grid, 2, 2)), &lb);
    auto task = [&](const Manifest& m, const LoadedSweep& l, int t, const std::string& name) {
        auto o = run_options(dir / name, 1);
        o.task = t;
        o.tasks = 2;
        REQUIRE(run_sweep(m, l, o).written);
        return o.out;
    };
    const auto a0 = task(a, la, 0, "a0.h5"), b1 = task(b, lb, 1, "b1.h5");
    CHECK_THROWS_WITH(merge({a0, b1}, dir / "m.h5", {}), Contains("b1.h5") && Contains("different sweep manifest"));
    CHECK_THROWS_WITH(merge({a0}, dir / "m.h5", {}), Contains("missing") && Contains("task 1 of 2"));
    CHECK(!std::filesystem::exists(dir / "m.h5"));
}
