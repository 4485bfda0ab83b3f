// Sweeps with parameter uncertainty (--uncertainty prior): replicate k of every design point
// runs with the same parameter draw (points stay paired), a swept parameter keeps its swept
// value, the draws are written to the results file whatever the layout (threads, tasks + merge),
// and the choice is part of the manifest: a resume or an expand with another choice is refused.
#include "sweep_test_support.hpp"

#include "core/error.hpp"
#include "io/h5.hpp"
#include "io/uncertainty_file.hpp"
#include "sweep/hash.hpp"
#include "sweep/manifest.hpp"
#include "sweep/runner.hpp"

#include <algorithm>

using namespace cpcsim;
using namespace cpcsim::sweep;
using Catch::Matchers::Contains;
using sweep_test::differences;
using sweep_test::run_options;
using sweep_test::TempDir;
using sweep_test::write_sweep;

namespace {

// care.symptom_stay_prob has a beta prior on its value; 0.3 is its default, which the scenario
// loader alone would not fix, so the sweep must.
const char* kSwept = "care.symptom_stay_prob";
const std::string kGrid = "[design]\ntype = \"grid\"\n[design.parameters]\n\"care.symptom_stay_prob\" = [0.3, 0.45]\n";

UncertaintySettings prior_draws(std::uint64_t seed = 5, int per_draw = 1) {
    return {.on = true, .seed = seed, .per_draw = per_draw};
}

}  // namespace

TEST_CASE("every point of a sweep uses the same parameter draw for replicate k; the swept value wins",
          "[unit][sweep][uncertainty]") {
    TempDir dir;
    LoadedSweep loaded;
    const Manifest m = plan(read_sweep_file(write_sweep(dir, "u.toml", kGrid, 3)), &loaded, prior_draws(5, 2));
    REQUIRE(loaded.points.size() == 2);
    const Scenario &p0 = *loaded.points[0], &p1 = *loaded.points[1];
    CHECK(p0.draws.on);
    CHECK(p0.draws.seed == 5);
    CHECK(p1.draws.per_draw == 2);
    const auto columns = draw_column_names(p0);
    CHECK(columns == draw_column_names(p1));
    CHECK(columns == draw_column_names(*loaded.base));
    CHECK(std::find(columns.begin(), columns.end(), kSwept) == columns.end());
    CHECK(std::find(p0.fixed_by_value.begin(), p0.fixed_by_value.end(), kSwept) != p0.fixed_by_value.end());
    for (std::uint32_t k = 0; k < 3; ++k) {
        const ParamSet a = replicate_parameters(p0, k), b = replicate_parameters(p1, k);
        CHECK(a.get(kSwept) == 0.3);
        CHECK(b.get(kSwept) == 0.45);
        for (const char* key : {"referral.loss_prob", "phase.unstable_mean_days", "care.respite_nights_per_year"}) {
            INFO(key << " replicate " << k);
            CHECK(a.get(key) == b.get(key));  // the same draw at both points
        }
    }
    // Replicates 0 and 1 share draw 0; replicate 2 has draw 1, which differs.
    CHECK(replicate_parameters(p0, 0).get("referral.loss_prob") ==
          replicate_parameters(p0, 1).get("referral.loss_prob"));
    CHECK(replicate_parameters(p0, 2).get("referral.loss_prob") !=
          replicate_parameters(p0, 0).get("referral.loss_prob"));
    CHECK(replicate_parameters(p0, 0).get("referral.loss_prob") != p0.params.get("referral.loss_prob"));
}

TEST_CASE("a sweep with uncertainty writes its draws and gives the same file on threads and as tasks merged",
          "[regression][sweep][uncertainty]") {
    TempDir dir;
    LoadedSweep loaded, plain_loaded;
    const auto file = write_sweep(dir, "u.toml", kGrid, 2);
    const Manifest m = plan(read_sweep_file(file), &loaded, prior_draws(5, 1));
    const Manifest plain = plan(read_sweep_file(file), &plain_loaded);
    const auto one = dir / "one.h5", merged = dir / "merged.h5", none = dir / "none.h5";
    REQUIRE(run_sweep(m, loaded, run_options(one, 2)).written);
    std::vector<std::filesystem::path> tasks;
    for (int t = 0; t < 2; ++t) {
        auto o = run_options(dir / ("task-" + std::to_string(t) + ".h5"));
        o.task = t;
        o.tasks = 2;
        REQUIRE(run_sweep(m, loaded, o).written);
        tasks.push_back(o.out);
    }
    merge({tasks[1], tasks[0]}, merged, {.command_line = "test"});
    const auto d = differences(one, merged);
    INFO((d.empty() ? std::string() : d.front()));
    CHECK(d.empty());

    // The draws table: one row per replicate, the same rows as drawing them directly.
    const io::DrawsTable t = io::read_draws(one, "/uncertainty");
    REQUIRE(t.rows.size() == 2);
    CHECK(t.columns == draw_column_names(*loaded.base));
    CHECK(t.seed == 5);
    for (std::uint32_t k = 0; k < 2; ++k) CHECK(t.rows[k] == draw_parameters(*loaded.points[1], 5, k).drawn);

    // The draws change the runs: the same runs without uncertainty differ, and have no draws.
    REQUIRE(run_sweep(plain, plain_loaded, run_options(none)).written);
    const auto with = io::File::open_read_only(one).read<double>("/runs/summary").values;
    const auto without = io::File::open_read_only(none).read<double>("/runs/summary").values;
    CHECK(with != without);
    CHECK_FALSE(io::File::open_read_only(none).is_group("/uncertainty"));
}

TEST_CASE("the uncertainty choice is part of the manifest; another choice cannot resume or expand it",
          "[unit][sweep][uncertainty]") {
    TempDir dir;
    const auto file = write_sweep(dir, "u.toml", kGrid, 2);
    LoadedSweep loaded_on, loaded_off;
    const Manifest on = plan(read_sweep_file(file), &loaded_on, prior_draws(5, 1));
    const Manifest off = plan(read_sweep_file(file), &loaded_off);
    CHECK(on.hash() != off.hash());
    CHECK(on.runs[0].hash != off.runs[0].hash);
    CHECK(plan(read_sweep_file(file), nullptr, prior_draws(6, 1)).hash() != on.hash());
    CHECK(plan(read_sweep_file(file), nullptr, prior_draws(5, 2)).hash() != on.hash());
    // Off is one value whatever its seed: a plan without uncertainty keeps its hash.
    CHECK(plan(read_sweep_file(file), nullptr, {.on = false, .seed = 9, .per_draw = 3}).hash() == off.hash());

    // The CSV keeps the choice (and its hash checks).
    const Manifest back = parse_manifest(to_csv(on), "m.csv", dir.path());
    CHECK(back.uncertainty.on);
    CHECK(back.uncertainty.seed == 5);
    CHECK(back.hash() == on.hash());
    CHECK_THROWS_WITH(expand(on, off), Contains("parameter uncertainty differs"));

    // A sweep run without uncertainty, resumed with it: refused, naming the file, from part files
    // (a failed run leaves the others' parts) and from a finished results file.
    const auto out = dir / "r.h5";
    auto failing = run_options(out);
    failing.before_commit = [](std::int64_t run) {
        if (run == 1) throw Error("", "", "injected failure");
    };
    CHECK_FALSE(run_sweep(off, loaded_off, failing).written);
    auto resume = run_options(out);
    resume.resume = true;
    CHECK_THROWS_WITH(run_sweep(on, loaded_on, resume),
                      Contains("run-00000000.h5") && Contains("made with parameter uncertainty none"));
    REQUIRE(run_sweep(off, loaded_off, resume).written);
    CHECK_THROWS_WITH(run_sweep(on, loaded_on, resume),
                      Contains("r.h5") && Contains("made with parameter uncertainty none"));
}
