// Sweep designs without simulating: hashes, sweep files, grids, variants, Latin hypercubes,
// Morris trajectories and elementary effects.
#include "sweep_test_support.hpp"

#include "core/error.hpp"
#include "sweep/design.hpp"
#include "sweep/hash.hpp"
#include "sweep/sweep_file.hpp"

#include <algorithm>
#include <cmath>
#include <set>

using namespace cpcsim::sweep;
using Catch::Matchers::Contains;
using sweep_test::TempDir;
using sweep_test::write_sweep;

TEST_CASE("sweep hashes are stable, 64-bit and sensitive to every field", "[unit][sweep]") {
    const auto h = Hasher().field("a").field("bc").value();
    CHECK(h == Hasher().field("a").field("bc").value());
    CHECK(h != Hasher().field("ab").field("c").value());  // field boundaries count
    CHECK(h != Hasher().field("a").field("bd").value());
    CHECK(hex64(0x0123456789abcdefULL) == "0123456789abcdef");
    CHECK(hex64(h).size() == 16);
    // FNV-1a of nothing, then SplitMix64: a fixed value on every platform.
    CHECK(Hasher().value() == Hasher::mix(0xcbf29ce484222325ULL));
}

TEST_CASE("a grid sweep file gives the product of its levels, first parameter slowest", "[unit][sweep]") {
    TempDir dir;
    const auto file = write_sweep(dir, "grid.toml", sweep_test::kGrid, 3, 5);
    const SweepSpec spec = read_sweep_file(file, {"network.training=0.5"});
    CHECK(spec.design == "grid");
    CHECK(spec.replicates == 3);
    CHECK(spec.seed == 5);
    CHECK(spec.base_overrides == std::vector<std::string>{"run.years=1", "run.warmup_years=0", "network.training=0.5"});
    REQUIRE(design_parameters(spec) ==
            std::vector<std::string>{"funding.statutory_multiplier", "network.coordinator_wte"});
    const auto points = design_points(spec);
    REQUIRE(points.size() == 4);
    // Values are canonical for the parameter's kind: the integer 0 of a real parameter is 0.0.
    CHECK(points[0].set ==
          std::vector<Setting>{{"funding.statutory_multiplier", "0.8"}, {"network.coordinator_wte", "0.0"}});
    CHECK(points[1].set[1].second == "1.0");
    CHECK(points[2].set[0].second == "1.2");
    CHECK(points[3].name == "funding.statutory_multiplier=1.2 network.coordinator_wte=1.0");
}

TEST_CASE("variants cross with a grid; a key in both is refused", "[unit][sweep]") {
    TempDir dir;
    const std::string variants = R"([design]
type = "variants"
[[design.variant]]
name = "no network"
[[design.variant]]
name = "coordinator"
set = { "network.coordinator_wte" = 1, network.rota_24_7 = true }
[design.parameters]
"funding.statutory_multiplier" = [0.9, 1.1]
)";
    const auto spec = read_sweep_file(write_sweep(dir, "v.toml", variants));
    const auto points = design_points(spec);
    REQUIRE(points.size() == 4);
    CHECK(points[0].name == "no network funding.statutory_multiplier=0.9");
    CHECK(points[0].set.size() == 1);
    CHECK(points[3].name == "coordinator funding.statutory_multiplier=1.1");
    CHECK(points[3].set.size() == 3);
    CHECK(design_parameters(spec) ==
          std::vector<std::string>{"network.coordinator_wte", "network.rota_24_7", "funding.statutory_multiplier"});

    const std::string clash = R"([design]
type = "variants"
[[design.variant]]
name = "a"
set = { "funding.statutory_multiplier" = 1 }
[design.parameters]
"funding.statutory_multiplier" = [0.9, 1.1]
)";
    CHECK_THROWS_WITH(read_sweep_file(write_sweep(dir, "clash.toml", clash)), Contains("vary it in one place only"));
}

TEST_CASE("a sweep file's problems are reported all at once", "[unit][sweep]") {
    TempDir dir;
    const std::string bad = R"([design]
type = "morris"
trajectories = 0
levels = 5
colour = "blue"
[design.ranges]
"network.rota_24_7" = { min = 0, max = 1 }
"network.leadership" = { min = 1, max = 0 }
"network.coordinator_wte" = { min = 0, max = 50 }
"network.no_such_thing" = { min = 0, max = 1 }
)";
    try {
        read_sweep_file(write_sweep(dir, "bad.toml", bad));
        FAIL("expected an error");
    } catch (const cpcsim::Error& e) {
        const std::string text = e.what();
        INFO(text);
        CHECK(e.problems().size() >= 7);
        CHECK_THAT(text, Contains("bad.toml"));
        CHECK_THAT(text, Contains("trajectories"));
        CHECK_THAT(text, Contains("levels must be even"));
        CHECK_THAT(text, Contains("unknown key 'colour'"));
        CHECK_THAT(text, Contains("true/false"));
        CHECK_THAT(text, Contains("min must be below max"));
        CHECK_THAT(text, Contains("valid range"));
        CHECK_THAT(text, Contains("unknown parameter 'network.no_such_thing'"));
    }
    CHECK_THROWS_WITH(read_sweep_file(write_sweep(dir, "t.toml", "[design]\ntype = \"sobol\"\n")),
                      Contains("unknown design type 'sobol'"));
    CHECK_THROWS_WITH(read_sweep_file(dir / "missing.toml"), Contains("not found"));
}

TEST_CASE("a Latin hypercube has one point per stratum in every column and is reproducible", "[unit][sweep]") {
    const std::vector<std::string> keys = {"a.x", "b.y", "c.z"};
    const auto cube = latin_hypercube(42, 0, 20, keys);
    REQUIRE(cube.size() == 20);
    for (std::size_t j = 0; j < keys.size(); ++j) {
        std::set<int> strata;
        for (const auto& row : cube) {
            REQUIRE(row[j] >= 0.0);
            REQUIRE(row[j] < 1.0);
            strata.insert(static_cast<int>(std::floor(row[j] * 20)));
        }
        CHECK(strata.size() == 20);
    }
    CHECK(latin_hypercube(42, 0, 20, keys) == cube);
    CHECK(latin_hypercube(42, 1, 20, keys) != cube);  // another block: another hypercube
    CHECK(latin_hypercube(43, 0, 20, keys) != cube);
    // A column depends on its key, not on the other columns.
    const auto one = latin_hypercube(42, 0, 20, {"b.y"});
    for (std::size_t i = 0; i < 20; ++i) CHECK(one[i][0] == cube[i][1]);
}

TEST_CASE("a Morris trajectory moves each parameter once by delta on the level grid", "[unit][sweep]") {
    const int k = 5, levels = 4;
    const double delta = 2.0 / 3.0;
    std::set<std::vector<double>> starts;
    for (int t = 0; t < 20; ++t) {
        const auto tr = morris_trajectory(7, t, k, levels);
        REQUIRE(tr.points.size() == static_cast<std::size_t>(k + 1));
        CHECK(tr.changed.front() == -1);
        std::set<int> moved;
        for (std::size_t s = 1; s < tr.points.size(); ++s) {
            int differing = 0;
            for (int i = 0; i < k; ++i) {
                const double d =
                    tr.points[s][static_cast<std::size_t>(i)] - tr.points[s - 1][static_cast<std::size_t>(i)];
                if (std::fabs(d) > 1e-12) {
                    ++differing;
                    CHECK(std::fabs(std::fabs(d) - delta) < 1e-12);
                    CHECK(i == tr.changed[s]);
                }
            }
            CHECK(differing == 1);
            moved.insert(tr.changed[s]);
        }
        CHECK(moved.size() == static_cast<std::size_t>(k));
        for (const auto& p : tr.points)
            for (const double v : p) {
                CHECK(v >= 0.0);
                CHECK(v <= 1.0);
                const double level = v * (levels - 1);
                CHECK(std::fabs(level - std::round(level)) < 1e-9);
            }
        starts.insert(tr.points.front());
        CHECK(morris_trajectory(7, t, k, levels).points == tr.points);
    }
    CHECK(starts.size() > 10);  // trajectories differ
}

TEST_CASE("Morris points of a sweep file stay in their ranges and adding trajectories keeps the others",
          "[unit][sweep]") {
    TempDir dir;
    auto morris = [](int r) {
        return "[design]\ntype = \"morris\"\ntrajectories = " + std::to_string(r) +
               "\nlevels = 4\n[design.ranges]\n\"funding.statutory_multiplier\" = { min = 0.8, max = 1.2 }\n"
               "\"network.coordinator_wte\" = { min = 0, max = 2 }\n\"run.years\" = { min = 1, max = 3 }\n";
    };
    const auto three = design_points(read_sweep_file(write_sweep(dir, "m3.toml", morris(3))));
    const auto five = design_points(read_sweep_file(write_sweep(dir, "m5.toml", morris(5))));
    REQUIRE(three.size() == 3 * 4);
    REQUIRE(five.size() == 5 * 4);
    for (std::size_t i = 0; i < three.size(); ++i) {
        CHECK(three[i].set == five[i].set);
        CHECK(three[i].name == five[i].name);
    }
    for (const auto& p : five) {
        const double f = std::stod(p.set[0].second), c = std::stod(p.set[1].second);
        CHECK(f >= 0.8 - 1e-12);
        CHECK(f <= 1.2 + 1e-12);
        CHECK(c >= 0);
        CHECK(c <= 2);
        CHECK(p.set[2].second.find('.') == std::string::npos);  // run.years is an integer parameter
    }
}
