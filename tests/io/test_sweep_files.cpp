// Sweep file layouts written and read back through io alone: part files, a results file
// assembled from parts (rows in run order, labels copied), its header and its summary.
#include "io/sweep_files.hpp"

#include "core/error.hpp"
#include "io/h5.hpp"
#include "io_test_util.hpp"
#include "metrics/equity.hpp"
#include "metrics/summary.hpp"

#include <catch2/catch.hpp>

#include <cmath>

using namespace cpcsim;
using namespace cpcsim::io;

namespace {
/// A run of one year, one area and one provider whose counters are all `v`.
RunOutputs fake_outputs(int v) {
    RunOutputs r;
    r.resize(1, 1, 1);
    for (int m = 0; m < r.months; ++m)
        for (std::size_t c = 0; c < r.cells; ++c)
            for (int k = 0; k < kMonthlyVars; ++k) r.add_monthly(m, c, static_cast<MonthlyVar>(k), v);
    r.complete_monthly();
    std::fill(r.annual.begin(), r.annual.end(), v);
    r.child_days = v;
    return r;
}
RunMeasures fake_measures(double v) {
    RunMeasures m;
    m.summary.assign(summary_measures().size(), v);
    m.equity_access.assign(2 * EquitySummary::names().size(), v);
    m.equity_preferred_place = m.equity_access;
    return m;
}
}  // namespace

TEST_CASE("sweep part files and a results file assembled from them", "[unit][io]") {
    test::TempDir dir;
    std::vector<std::filesystem::path> parts;
    for (int run = 0; run < 3; ++run) {
        parts.push_back(dir / ("run-" + std::to_string(run) + ".h5"));
        write_part_file(parts.back(), {run, run % 2, run / 2, "hash" + std::to_string(run), "base"},
                        fake_outputs(10 + run), fake_measures(run));
    }
    CHECK(part_file_matches(parts[1], 1, "hash1"));
    CHECK_FALSE(part_file_matches(parts[1], 1, "hash2"));
    CHECK_FALSE(part_file_matches(parts[1], 2, "hash1"));
    CHECK_FALSE(part_file_matches(dir / "missing.h5", 1, "hash1"));

    SweepPlan plan;
    plan.sweep_name = "s";
    plan.design = "grid";
    plan.manifest_hash = "m";
    plan.manifest_csv = "# cpcsim sweep manifest\n";
    plan.manifest_runs = 3;
    plan.run_id = {2, 0};  // this file holds runs 2 and 0, in that order
    plan.point = {0, 0};
    plan.replicate = {1, 0};
    plan.run_hash = {"hash2", "hash0"};
    plan.point_names = {"p0", "p1"};
    plan.point_settings = {"", "x=1"};
    plan.parameter_names = {"x"};
    plan.point_values = {0, 1};
    plan.task = 1;
    plan.tasks = 2;
    const auto out = dir / "results.h5";
    {
        // Labels come from a file that has them.
        auto l = File::create(dir / "labels.h5");
        l.write_strings("labels/summary_measures", {"a"});
        l.write_strings("labels/summary_units", {"u"});
        l.write_dataset("population/lat", std::vector<double>{53.8}, {1});
        l.close();
    }
    Provenance p;
    p.kind = "sweep";
    write_sweep_results_file(out, p, plan, {.scenario = nullptr, .copy_from = dir / "labels.h5"}, parts,
                             {{2, 0}, {0, 0}});
    const auto f = File::open_read_only(out);
    const auto child_days = f.read<std::int64_t>("runs/child_days");
    CHECK(child_days.values == std::vector<std::int64_t>{12, 10});
    CHECK(f.open_dataset("runs/monthly").dims().front() == "run");
    CHECK(f.read<double>("population/lat").values == std::vector<double>{53.8});

    const auto h = read_sweep_header(out);
    CHECK(h.manifest_hash == "m");
    CHECK(h.task == 1);
    CHECK(h.tasks == 2);
    CHECK(h.run_id == std::vector<std::int64_t>{2, 0});
    CHECK(h.run_hash == std::vector<std::string>{"hash2", "hash0"});
    CHECK(read_sweep_point_values(out) == std::vector<double>{0, 1});
    CHECK_THROWS_WITH(read_sweep_header(parts[0]), Catch::Contains("not a cpcsim results file"));
}
