// Runs with a calibrated ensemble (--uncertainty ENSEMBLE.h5): draw k uses set k mod N, the same
// in both arms of a comparison and on every call; a run with a set equals a plain run with the
// set's values given as overrides; a bad, foreign or damaged ensemble file is refused with the
// file, the dataset and what was expected.
#include "engine_test_support.hpp"

#include "core/error.hpp"
#include "io/ensemble_file.hpp"
#include "io/h5.hpp"
#include "io/uncertainty_file.hpp"
#include "scenario/ensemble.hpp"
#include "scenario/uncertainty.hpp"

#include <algorithm>
#include <fstream>
#include <functional>
#include <memory>

using namespace engine_test;

namespace {

const std::vector<std::string> kColumns = {"eol.unidentified_hospital_prob", "phase.deteriorating_to_dying.<1"};
const std::vector<std::vector<double>> kSets = {{0.5, 0.6}, {0.55, 0.7}, {0.7, 0.55}};

std::filesystem::path temp_file(const std::string& name) {
    const auto dir = std::filesystem::temp_directory_path() / "cpcsim-ensemble-tests";
    std::filesystem::create_directories(dir);
    return dir / name;
}

/// Writes an ensemble file as analysis.calibrate does (or breaks one part of it).
std::filesystem::path write_file(const std::string& name, const std::vector<std::string>& columns,
                                 const std::vector<std::vector<double>>& sets, bool with_format = true) {
    const auto path = temp_file(name);
    io::File f = io::File::create(path);
    if (with_format) f.set_string_attr("format", io::kEnsembleFormat);
    f.write_strings("parameters", columns);
    std::vector<double> flat;
    for (const auto& s : sets) flat.insert(flat.end(), s.begin(), s.end());
    f.write_dataset("values", flat, {sets.size(), sets.empty() ? columns.size() : sets[0].size()});
    f.close();
    return path;
}

Scenario with_ensemble(Scenario sc, std::shared_ptr<const Ensemble> e, int per_draw) {
    sc.draws = {.on = true, .seed = 1, .per_draw = per_draw, .ensemble = std::move(e)};
    return sc;
}

std::string error_of(const std::function<void()>& f) {
    try {
        f();
    } catch (const Error& e) {
        return e.what();
    }
    return "(no error)";
}

}  // namespace

TEST_CASE("draw k uses ensemble set k mod N, the same in both arms and on every call", "[unit][ensemble]") {
    const auto path = write_file("good.h5", kColumns, kSets);
    const auto e = io::read_ensemble(path, model_parameters());
    REQUIRE(e->size() == 3);
    const Scenario a = with_ensemble(load(two_area(), short_run(1, 1)), e, 2);
    const Scenario b =
        with_ensemble(load(two_area(), short_run(1, 1, {"network.coordinator_wte=1", "network.training=1"})), e, 2);
    const std::string dying = "phase.deteriorating_to_dying";
    const auto under1 = [&](const ParamSet& p) { return p.array(dying)[0]; };
    for (std::uint32_t r = 0; r < 14; ++r) {
        INFO("replicate " << r);
        const auto& set = kSets[(r / 2) % 3];
        const ParamSet pa = replicate_parameters(a, r), pb = replicate_parameters(b, r);
        CHECK(pa.get("eol.unidentified_hospital_prob") == set[0]);
        CHECK(under1(pa) == set[1]);
        CHECK(pb.get("eol.unidentified_hospital_prob") == set[0]);
        CHECK(under1(pb) == set[1]);
        CHECK(replicate_parameters(a, r).get("eol.unidentified_hospital_prob") == set[0]);
        // The other elements and parameters keep the scenario's values.
        CHECK(pa.array(dying)[1] == a.params.array(dying)[1]);
        CHECK(pa.get("referral.delay_mean_days") == a.params.get("referral.delay_mean_days"));
    }
}

TEST_CASE("with priors and an ensemble, the calibrated inputs come from the ensemble and the rest from the priors",
          "[unit][ensemble]") {
    const auto e = std::make_shared<const Ensemble>(make_ensemble("mem", kColumns, kSets, model_parameters()));
    Scenario both = load(two_area(), short_run(1, 1));
    set_draws(both, {.on = true, .seed = 5, .per_draw = 2, .ensemble = e, .with_priors = true});
    Scenario priors = load(two_area(), short_run(1, 1));
    set_draws(priors, {.on = true, .seed = 5, .per_draw = 2});
    const auto& reg = model_parameters();
    // The ensemble's parameters are no longer drawn from their priors; the others still are.
    CHECK(both.uncertainty[static_cast<std::size_t>(reg.index("eol.unidentified_hospital_prob"))].fixed());
    CHECK_FALSE(priors.uncertainty[static_cast<std::size_t>(reg.index("eol.unidentified_hospital_prob"))].fixed());
    REQUIRE_FALSE(both.uncertainty[static_cast<std::size_t>(reg.index("referral.loss_prob"))].fixed());
    bool moved = false;
    for (std::uint32_t r = 0; r < 8; ++r) {
        INFO("replicate " << r);
        const auto& set = kSets[(r / 2) % 3];
        const ParamSet p = replicate_parameters(both, r), q = replicate_parameters(priors, r);
        CHECK(p.get("eol.unidentified_hospital_prob") == set[0]);
        CHECK(p.array("phase.deteriorating_to_dying")[0] == set[1]);
        // Every other parameter is the prior draw, unchanged by the ensemble (keyed by name).
        CHECK(p.get("referral.loss_prob") == q.get("referral.loss_prob"));
        moved = moved || p.get("referral.loss_prob") != both.params.get("referral.loss_prob");
    }
    CHECK(moved);
    // The draws table: the prior columns, then the ensemble's, each parameter once.
    const io::DrawsTable t = io::draws_table(both, 6);
    REQUIRE(t.columns.size() > kColumns.size());
    CHECK(std::vector<std::string>(t.columns.end() - 2, t.columns.end()) == kColumns);
    CHECK(std::count(t.columns.begin(), t.columns.end(), "eol.unidentified_hospital_prob") == 1);
    REQUIRE(t.rows.size() == 6);
    for (std::size_t r = 0; r < 6; ++r) {
        CHECK(t.rows[r].size() == t.columns.size());
        CHECK(t.rows[r].back() == kSets[(r / 2) % 3][1]);
    }
}

TEST_CASE("a parameter the scenario sets itself is not taken from the ensemble", "[unit][ensemble]") {
    // The scenario's choice wins over the calibrated ensemble, as it does over a prior: its own
    // value of a parameter with a prior on its value, or its own [uncertainty] entry.
    const auto e = std::make_shared<const Ensemble>(make_ensemble("mem", kColumns, kSets, model_parameters()));
    for (const bool with_priors : {false, true}) {
        INFO("with priors " << with_priors);
        Scenario own = load(two_area(), short_run(1, 1, {"eol.unidentified_hospital_prob=0.45"}));
        set_draws(own, {.on = true, .seed = 5, .per_draw = 2, .ensemble = e, .with_priors = with_priors});
        CHECK(own.set_over_ensemble == std::vector<std::string>{"eol.unidentified_hospital_prob"});
        REQUIRE(own.draws.ensemble->columns == std::vector<std::string>{kColumns[1]});
        for (std::uint32_t r = 0; r < 6; ++r) {
            const ParamSet p = replicate_parameters(own, r);
            CHECK(p.get("eol.unidentified_hospital_prob") == 0.45);
            CHECK(p.array("phase.deteriorating_to_dying")[0] == kSets[(r / 2) % 3][1]);
        }
    }
    // A distribution of its own: drawn from it, not set by the ensemble.
    const auto file = temp_file("own-prior.toml");
    {
        std::ofstream f(file);
        f << "[scenario]\nextends = \"" << two_area().generic_string() << "\"\n"
          << "[uncertainty]\n\"eol.unidentified_hospital_prob\" = { family = \"uniform\", min = 0.2, max = 0.3 }\n";
    }
    Scenario drawn = load(file, short_run(1, 1));
    set_draws(drawn, {.on = true, .seed = 5, .per_draw = 1, .ensemble = e, .with_priors = true});
    CHECK(drawn.set_over_ensemble == std::vector<std::string>{"eol.unidentified_hospital_prob"});
    for (std::uint32_t r = 0; r < 6; ++r) {
        const double v = replicate_parameters(drawn, r).get("eol.unidentified_hospital_prob");
        CHECK(v >= 0.2);
        CHECK(v <= 0.3);
    }
    // Untouched, the ensemble sets it.
    Scenario plain = load(two_area(), short_run(1, 1));
    set_draws(plain, {.on = true, .seed = 5, .per_draw = 2, .ensemble = e, .with_priors = true});
    CHECK(plain.set_over_ensemble.empty());
    CHECK(replicate_parameters(plain, 0).get("eol.unidentified_hospital_prob") == kSets[0][0]);
}

TEST_CASE("a run with an ensemble set equals a plain run with the set as overrides", "[regression][ensemble]") {
    const auto e = std::make_shared<const Ensemble>(make_ensemble("mem", kColumns, kSets, model_parameters()));
    const Scenario with = with_ensemble(load(two_area(), short_run(1, 1)), e, 1);
    const auto runs = run_replicates(with, 9, 0, 3, 2);
    for (std::size_t s = 0; s < 3; ++s) {
        INFO("set " << s);
        const Scenario plain =
            load(two_area(), short_run(1, 1,
                                       {"eol.unidentified_hospital_prob=" + std::to_string(kSets[s][0]),
                                        "phase.deteriorating_to_dying.<1=" + std::to_string(kSets[s][1])}));
        const auto one = run_replicates(plain, 9, static_cast<int>(s), 1, 1);
        CHECK(joined(differences(runs[s], one[0])) == "(none)");
    }
}

TEST_CASE("bad ensemble files are refused naming the file and what was expected", "[unit][ensemble]") {
    const auto& reg = model_parameters();
    const auto missing = temp_file("none.h5");
    std::filesystem::remove(missing);
    CHECK_THAT(error_of([&] { (void)io::read_ensemble(missing, reg); }),
               Catch::Matchers::Contains("none.h5") && Catch::Matchers::Contains("expected a calibrated ensemble"));
    const auto text = temp_file("text.h5");
    std::ofstream(text) << "not hdf5\n";
    CHECK_THAT(error_of([&] { (void)io::read_ensemble(text, reg); }),
               Catch::Matchers::Contains("text.h5") && Catch::Matchers::Contains("not a readable HDF5 file"));
    const auto foreign = write_file("foreign.h5", kColumns, kSets, false);
    CHECK_THAT(error_of([&] { (void)io::read_ensemble(foreign, reg); }),
               Catch::Matchers::Contains("foreign.h5") && Catch::Matchers::Contains("not an ensemble"));
    const auto unknown = write_file("unknown.h5", {"eol.no_such_thing", "phase.deteriorating_to_dying.<1"}, kSets);
    CHECK_THAT(
        error_of([&] { (void)io::read_ensemble(unknown, reg); }),
        Catch::Matchers::Contains("unknown.h5") && Catch::Matchers::Contains("'eol.no_such_thing' is not a parameter"));
    const auto label =
        write_file("label.h5", {"eol.unidentified_hospital_prob", "phase.deteriorating_to_dying.<9"}, kSets);
    CHECK_THAT(error_of([&] { (void)io::read_ensemble(label, reg); }),
               Catch::Matchers::Contains("has no element '<9'"));
    const auto range = write_file("range.h5", kColumns, {{0.5, 0.6}, {1.5, 0.6}});
    CHECK_THAT(error_of([&] { (void)io::read_ensemble(range, reg); }),
               Catch::Matchers::Contains("range.h5") &&
                   Catch::Matchers::Contains("row 1, column eol.unidentified_hospital_prob"));
    const auto shape = write_file("shape.h5", {"eol.unidentified_hospital_prob"}, kSets);
    CHECK_THAT(error_of([&] { (void)io::read_ensemble(shape, reg); }),
               Catch::Matchers::Contains("dataset values") && Catch::Matchers::Contains("got shape"));
    const auto empty = write_file("empty.h5", kColumns, {});
    CHECK_THAT(error_of([&] { (void)io::read_ensemble(empty, reg); }),
               Catch::Matchers::Contains("holds no parameter sets"));
    CHECK_THAT(error_of([&] { (void)make_ensemble("f.h5", {"phase.deteriorating_to_dying"}, {{0.5}}, reg); }),
               Catch::Matchers::Contains("is an array: name one element"));
}
