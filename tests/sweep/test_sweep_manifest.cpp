// Manifests: planning (every point validated), CSV round trip, content hashes, expand, tasks.
#include "sweep_test_support.hpp"

#include "core/error.hpp"
#include "metrics/outcomes.hpp"
#include "sweep/hash.hpp"
#include "sweep/manifest.hpp"

#include <fstream>
#include <set>

using namespace cpcsim::sweep;
using Catch::Matchers::Contains;
using sweep_test::TempDir;
using sweep_test::write_sweep;

namespace {
std::string grid_of(const std::string& levels) {
    return "[design]\ntype = \"grid\"\n[design.parameters]\n\"funding.statutory_multiplier\" = " + levels + "\n";
}
}  // namespace

TEST_CASE("a plan numbers runs point by point, replicate k of every point with the same key", "[unit][sweep]") {
    TempDir dir;
    const Manifest m = plan(read_sweep_file(write_sweep(dir, "g.toml", sweep_test::kGrid, 3, 17)));
    REQUIRE(m.points.size() == 4);
    REQUIRE(m.runs.size() == 12);
    std::set<std::uint64_t> hashes;
    for (std::size_t i = 0; i < m.runs.size(); ++i) {
        const auto& r = m.runs[i];
        CHECK(r.id == static_cast<std::int64_t>(i));
        CHECK(r.point == static_cast<std::int64_t>(i / 3));
        CHECK(r.replicate == static_cast<std::int64_t>(i % 3));
        hashes.insert(r.hash);
    }
    CHECK(m.seed == 17);
    CHECK(hashes.size() == 12);
    // Planning again gives the same rows and hashes.
    const Manifest again = plan(read_sweep_file(write_sweep(dir, "g2.toml", sweep_test::kGrid, 3, 17)));
    CHECK(again.hash() == m.hash());
    // Another seed: other random keys, other hashes.
    const Manifest other = plan(read_sweep_file(write_sweep(dir, "g3.toml", sweep_test::kGrid, 3, 18)));
    CHECK(other.runs[0].hash != m.runs[0].hash);
    CHECK(other.hash() != m.hash());
}

TEST_CASE("planning loads every design point and reports every problem at once", "[unit][sweep]") {
    TempDir dir;
    const std::string bad = R"([design]
type = "grid"
[design.parameters]
"network.coordinator_wte" = [1, 9]
"funding.statutory_multiplier" = [1.0, -2]
)";
    try {
        plan(read_sweep_file(write_sweep(dir, "bad.toml", bad)));
        FAIL("expected an error");
    } catch (const cpcsim::Error& e) {
        const std::string text = e.what();
        INFO(text);
        CHECK(e.problems().size() == 2);  // one line per distinct problem, naming the points
        CHECK_THAT(text, Contains("design points"));
        CHECK_THAT(text, Contains("network.coordinator_wte=9.0"));
        CHECK_THAT(text, Contains("funding.statutory_multiplier=-2.0"));
    }
}

TEST_CASE("a manifest survives its CSV and detects edits", "[unit][sweep]") {
    TempDir dir;
    const std::string morris = R"([design]
type = "morris"
trajectories = 2
levels = 4
[design.ranges]
"funding.statutory_multiplier" = { min = 0.8, max = 1.2 }
"network.coordinator_wte" = { min = 0, max = 2 }
)";
    const Manifest m = plan(read_sweep_file(write_sweep(dir, "m.toml", morris, 2)));
    const std::string csv = to_csv(m, dir.path());
    const Manifest back = parse_manifest(csv, "m.csv", dir.path());
    CHECK(back.hash() == m.hash());
    CHECK(back.scenario == m.scenario);
    CHECK(back.base_overrides == m.base_overrides);
    CHECK(back.range_min == m.range_min);
    CHECK(back.points.size() == m.points.size());
    CHECK(back.points[3].changed == m.points[3].changed);
    CHECK(to_csv(back, dir.path()) == csv);

    std::string edited = csv;
    const auto at = edited.find("morris t1 s1");
    REQUIRE(at != std::string::npos);
    edited.replace(at, 12, "morris t1 sX");  // one row's point name no longer matches
    CHECK_THROWS_WITH(parse_manifest(edited, "m.csv", dir.path()), Contains("m.csv"));
    CHECK_THROWS_WITH(parse_manifest("run_id\n", "x.csv", dir.path()), Contains("not a cpcsim sweep manifest"));
}

TEST_CASE("expand appends new points and replicates and never changes existing rows", "[unit][sweep]") {
    TempDir dir;
    const Manifest old = plan(read_sweep_file(write_sweep(dir, "a.toml", grid_of("[0.8, 1.0]"), 2)));
    const Manifest fresh = plan(read_sweep_file(write_sweep(dir, "b.toml", grid_of("[0.8, 1.0, 1.2]"), 3)));
    int np = 0, nr = 0;
    const Manifest m = expand(old, fresh, &np, &nr);
    CHECK(np == 1);
    CHECK(nr == 9 - 4);
    REQUIRE(m.runs.size() == 9);
    for (std::size_t i = 0; i < old.runs.size(); ++i) {
        CHECK(m.runs[i].id == old.runs[i].id);
        CHECK(m.runs[i].point == old.runs[i].point);
        CHECK(m.runs[i].replicate == old.runs[i].replicate);
        CHECK(m.runs[i].hash == old.runs[i].hash);
    }
    for (std::size_t p = 0; p < old.points.size(); ++p) CHECK(m.points[p].values == old.points[p].values);
    // Each new row is the run the fresh plan describes (same content hash).
    std::set<std::uint64_t> fresh_hashes;
    for (const auto& r : fresh.runs) fresh_hashes.insert(r.hash);
    for (std::size_t i = old.runs.size(); i < m.runs.size(); ++i) CHECK(fresh_hashes.count(m.runs[i].hash) == 1);
    // Expanding again with the same file adds nothing.
    const Manifest same = expand(m, fresh, &np, &nr);
    CHECK(nr == 0);
    CHECK(same.hash() == m.hash());
    // A different base scenario or seed cannot be combined.
    const Manifest other_seed = plan(read_sweep_file(write_sweep(dir, "c.toml", grid_of("[0.8]"), 2, 12)));
    CHECK_THROWS_WITH(expand(old, other_seed), Contains("seed"));
    const Manifest other_base =
        plan(read_sweep_file(write_sweep(dir, "d.toml", grid_of("[0.8]"), 2, 11, ", \"network.training\" = 0.5")));
    CHECK_THROWS_WITH(expand(old, other_base), Contains("base scenario"));
}

TEST_CASE("task shares partition the runs", "[unit][sweep]") {
    TempDir dir;
    const Manifest m = plan(read_sweep_file(write_sweep(dir, "g.toml", sweep_test::kGrid, 3)));
    for (const int tasks : {1, 2, 4, 5, 40}) {
        std::multiset<std::int64_t> all;
        for (int t = 0; t < tasks; ++t)
            for (const auto id : task_runs(m, t, tasks)) all.insert(id);
        CHECK(all.size() == m.runs.size());
        CHECK(std::set<std::int64_t>(all.begin(), all.end()).size() == m.runs.size());
    }
}

TEST_CASE("a sweep storing only the summary plans, and its manifest reads back", "[unit][sweep]") {
    // Regression: the summary-only choice has no group names, and planning re-parsed that empty
    // text and refused it ("'' is not a choice of outputs").
    TempDir dir;
    const auto path = dir / "s.toml";
    std::ofstream(path) << "[sweep]\nname = \"s\"\nscenario = \"" << sweep_test::base_scenario()
                        << "\"\nreplicates = 1\nstore = \"summary\"\nset = { \"run.years\" = 1 }\n\n"
                        << sweep_test::kGrid;
    const Manifest m = plan(read_sweep_file(path));
    CHECK(m.store == "summary");
    const std::string csv = to_csv(m, dir.path());
    CHECK_THAT(csv, Contains("# store: summary"));
    const Manifest back = parse_manifest(csv, "s.csv", dir.path());
    CHECK(back.store == "summary");
    CHECK(back.hash() == m.hash());
    const auto s = cpcsim::StoredOutputs::parse(back.store, "", "manifest store");
    CHECK((!s.monthly && !s.annual && !s.provider));
}
