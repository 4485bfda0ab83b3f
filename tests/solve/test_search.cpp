// The search behind `cpcsim solve` on cheap synthetic responses with known answers: the design
// is space-filling, the quadratic surrogate recovers a quadratic, the Wilson interval has its
// textbook values, the search finds the cheapest setting meeting the target in the asked share
// of replicates and verifies it on fresh replicates, bisection brackets a one-lever threshold;
// targets and levers are parsed and refused with clear errors; a difference target is zero on
// common random numbers when the lever is left at the baseline's value.
#include "core/error.hpp"
#include "model/parameter_table.hpp"
#include "solve/search.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <set>

#include <unistd.h>

using namespace cpcsim;
using namespace cpcsim::solve;

namespace {

/// Replicate r's noise: a fixed, well-spread value in [-0.1, 0.1) (golden-ratio sequence).
double noise(int r) {
    const double g = std::fmod(0.6180339887498949 * (r + 1), 1.0);
    return (g - 0.5) * 0.2;
}

/// The smallest s with s + noise(r) >= level in at least `share` of replicates 0..n-1.
double threshold(double level, double share, int n) {
    std::vector<double> need;
    for (int r = 0; r < n; ++r) need.push_back(level - noise(r));
    std::sort(need.begin(), need.end());
    return need[static_cast<std::size_t>(std::ceil(share * n)) - 1];
}

Target at_least(double value) {
    Target t;
    t.measure = "y";
    t.value = value;
    return t;
}

/// y = a + b + noise, objective (cost) = 2a + b: b buys the target at half the price of a.
std::vector<ReplicateValue> two_levers(const std::vector<double>& x, int first, int count, std::set<int>* seen) {
    std::vector<ReplicateValue> out;
    for (int r = first; r < first + count; ++r) {
        if (seen) seen->insert(r);
        out.push_back({x[0] + x[1] + noise(r), 2 * x[0] + x[1]});
    }
    return out;
}

}  // namespace

TEST_CASE("the design is a Latin hypercube, the same for the same seed", "[unit][solve]") {
    const auto d = unit_design(7, 0, 10, {"a", "b"});
    REQUIRE(d.size() == 10);
    for (std::size_t j = 0; j < 2; ++j) {
        std::set<int> strata;
        for (const auto& p : d) {
            CHECK(p[j] >= 0.0);
            CHECK(p[j] < 1.0);
            strata.insert(static_cast<int>(p[j] * 10));
        }
        CHECK(strata.size() == 10);  // one point in every tenth of each lever's range
    }
    CHECK(unit_design(7, 0, 10, {"a", "b"}) == d);
    CHECK(unit_design(7, 1, 10, {"a", "b"}) != d);
}

TEST_CASE("the quadratic surrogate recovers a quadratic and falls back to a line", "[unit][solve]") {
    const auto f = [](const std::vector<double>& u) {
        return 1 + 2 * u[0] - u[1] + 3 * u[0] * u[1] + 0.5 * u[1] * u[1] - 0.7 * u[0] * u[0];
    };
    const auto u = unit_design(3, 0, 12, {"a", "b"});
    std::vector<std::vector<double>> y;
    for (const auto& p : u) y.push_back({f(p), -f(p)});
    const QuadraticFit fit(u, y);
    CHECK(fit.quadratic());
    CHECK(fit.terms() == 6);
    CHECK(fit.r_squared() == Approx(1.0).margin(1e-9));
    const auto p = fit.predict({0.3, 0.9});
    CHECK(p[0] == Approx(f({0.3, 0.9})).margin(1e-6));
    CHECK(p[1] == Approx(-f({0.3, 0.9})).margin(1e-6));

    const std::vector<std::vector<double>> few = {{0, 0}, {1, 0}, {0, 1}, {1, 1}};
    std::vector<std::vector<double>> lin;
    for (const auto& q : few) lin.push_back({2 + q[0] - 3 * q[1]});
    const QuadraticFit line(few, lin);
    CHECK_FALSE(line.quadratic());
    CHECK(line.predict({0.5, 0.5})[0] == Approx(1.0).margin(1e-6));
}

TEST_CASE("the Wilson interval has its textbook values", "[unit][solve]") {
    const auto w = wilson_interval(8, 10);
    CHECK(w.share == Approx(0.8));
    CHECK(w.low == Approx(0.49016).margin(1e-4));
    CHECK(w.high == Approx(0.94332).margin(1e-4));
    CHECK(wilson_interval(0, 10).low == 0.0);
    CHECK(wilson_interval(0, 10).high == Approx(0.27753).margin(1e-4));
    CHECK(wilson_interval(10, 10).high == Approx(1.0));
}

TEST_CASE("the search finds the cheapest setting meeting the target and verifies it", "[unit][solve]") {
    const std::vector<Lever> levers = {{"a", 0, 1}, {"b", 0, 1}};
    Settings s;
    s.confidence = 0.8;
    s.replicates = 20;
    s.verify_replicates = 40;
    s.minimise = true;
    std::set<int> seen;
    const auto r = search(levers, at_least(1.0), s,
                          [&](const auto& x, int first, int count) { return two_levers(x, first, count, &seen); });
    REQUIRE(r.answer);
    const auto& a = r.points[*r.answer];
    // The optimum: b at its top, a just enough for a + b to reach the threshold.
    const double need = threshold(1.0, 0.8, 20);
    const double best_cost = 2 * (need - 1) + 1;
    INFO("a = " << a.x[0] << ", b = " << a.x[1] << ", threshold " << need << ", best cost " << best_cost);
    CHECK(a.share() >= 0.8);
    CHECK(a.x[0] + a.x[1] >= need - 1e-12);
    CHECK(a.x[1] > 0.9);
    CHECK(a.objective.mean <= best_cost + 0.05);
    CHECK(r.surrogate_r2_target > 0.99);
    // Every point of the search ran replicates 0-19; the verification ran 20-59 only.
    REQUIRE(r.verification);
    CHECK(r.verification->first == 20);
    CHECK(r.verification->replicates == 40);
    CHECK(r.verification->x == a.x);
    CHECK(seen.size() == 60);
    CHECK(r.verified_share.low <= r.verified_share.share);
    CHECK(r.verified_share.share == Approx(r.verification->share()));
    CHECK(r.points.back().stage == "verify");
    const auto stages =
        std::count_if(r.points.begin(), r.points.end(), [](const Point& p) { return p.stage == "design"; });
    CHECK(stages == 12);  // twice the six terms of a quadratic in two levers
}

TEST_CASE("the search minimises the levers' positions without an objective and says when nothing works",
          "[unit][solve]") {
    const std::vector<Lever> levers = {{"a", 0, 2}, {"b", 0, 1}};
    Settings s;
    s.replicates = 20;
    s.verify_replicates = 0;
    const auto eval = [](const std::vector<double>& x, int first, int count) {
        std::vector<ReplicateValue> out;
        for (int r = first; r < first + count; ++r) out.push_back({x[0] / 2 + x[1] + noise(r), 0});
        return out;
    };
    const auto r = search(levers, at_least(1.0), s, eval);
    REQUIRE(r.answer);
    const auto& a = r.points[*r.answer];
    const double need = threshold(1.0, 0.8, 20);  // in unit positions: u_a + u_b >= need
    CHECK(a.share() >= 0.8);
    CHECK(a.objective.mean == Approx(a.x[0] / 2 + a.x[1]));
    CHECK(a.objective.mean <= need + 0.06);
    CHECK_FALSE(r.verification);

    const auto none = search(levers, at_least(5.0), s, eval);
    CHECK_FALSE(none.answer);
    CHECK_FALSE(none.verification);
}

TEST_CASE("bisection brackets a one-lever threshold", "[unit][solve]") {
    Settings s;
    s.replicates = 20;
    const Lever lever{"a", 0, 1};
    const auto eval = [](const std::vector<double>& x, int first, int count) {
        std::vector<ReplicateValue> out;
        for (int r = first; r < first + count; ++r) out.push_back({x[0] + noise(r), 0});
        return out;
    };
    const auto b = bisect(lever, at_least(0.5), s, 0.01, eval);
    REQUIRE(b.result.answer);
    const double hi = b.result.points[*b.result.answer].x[0], need = threshold(0.5, 0.8, 20);
    CHECK(b.bracket_low < need);
    CHECK(hi >= need);
    CHECK(hi - b.bracket_low <= 0.01);
    CHECK_FALSE(bisect(lever, at_least(2.0), s, 0.01, eval).result.answer);
}

TEST_CASE("targets and levers are parsed, and bad ones refused with what was expected", "[unit][solve]") {
    const auto t = parse_target("diff access_rate >= 0.01");
    CHECK(t.difference);
    CHECK(t.measure == "access_rate");
    CHECK(t.at_least);
    CHECK(t.value == Approx(0.01));
    CHECK(t.text() == "diff access_rate >= 0.01");
    CHECK(t.met(0.01));
    CHECK_FALSE(t.met(std::nan("")));
    const auto u = parse_target("cost_total_per_year <= 6e6");
    CHECK_FALSE(u.difference);
    CHECK_FALSE(u.at_least);
    CHECK_THROWS_WITH(parse_target("access_rate > 0.2"), Catch::Contains("expected MEASURE >= VALUE"));
    CHECK_THROWS_WITH(parse_target("nope >= 1"), Catch::Contains("'nope' is not a summary measure"));
    CHECK_THROWS_WITH(measure_index("nope", "--minimise"), Catch::Contains("not a summary measure"));

    const auto l = parse_lever("funding.statutory_multiplier=0.5:2", model_parameters());
    CHECK(l.key == "funding.statutory_multiplier");
    CHECK(l.low == 0.5);
    CHECK(l.at(0.5) == Approx(1.25));
    CHECK(l.unit(2.0) == Approx(1.0));
    CHECK_THROWS_WITH(parse_lever("funding.statutory_multiplier=2:0.5", model_parameters()),
                      Catch::Contains("LOW must be a number below HIGH"));
    CHECK_THROWS_WITH(parse_lever("funding.statutory_multiplier=-1:2", model_parameters()),
                      Catch::Contains("valid range"));
    CHECK_THROWS_WITH(parse_lever("network.rota_24_7=0:1", model_parameters()),
                      Catch::Contains("not a numeric scalar parameter"));
    CHECK_THROWS_WITH(parse_lever("funding.statutory_multiplier=1..2:3", model_parameters()),
                      Catch::Contains("must be numbers"));
    CHECK_THROWS_WITH(parse_lever("funding.statutory_multiplier", model_parameters()), Catch::Contains("KEY=LOW:HIGH"));
}

TEST_CASE("a difference target is changed minus baseline on the same replicates", "[regression][solve]") {
    const auto file = std::filesystem::path(CPCSIM_SOURCE_DIR) / "tests/data/two-area/scenario.toml";
    const auto lever = parse_lever("funding.statutory_multiplier=0:3", model_parameters());
    ScenarioEvaluator::Options o;
    o.scenario = file;
    o.seed = 11;
    o.threads = 1;
    o.objective = measure_index("cost_total_per_year", "test");
    ScenarioEvaluator eval({lever}, parse_target("diff cost_total_per_year >= 0"), o);
    // At the baseline's own value, every replicate's change is exactly zero (common random numbers).
    const auto same = eval({1.0}, 0, 2);
    REQUIRE(same.size() == 2);
    for (const auto& v : same) CHECK(v.target == 0.0);
    // Doubled statutory funding costs more on every replicate; the objective is the plain measure.
    const auto more = eval({2.0}, 0, 2);
    for (std::size_t i = 0; i < 2; ++i) {
        CHECK(more[i].target > 0);
        CHECK(more[i].objective == Approx(same[i].objective + more[i].target));
    }
    CHECK(eval.runs() == 6);  // two settings and the baseline, two replicates each
}

TEST_CASE("a difference target's baseline can be another scenario file", "[regression][solve]") {
    const auto dir = std::filesystem::temp_directory_path() / ("cpcsim-solve-baseline-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    const auto baseline = dir / "doubled.toml";
    {
        std::ofstream f(baseline);
        f << "[scenario]\nextends = \""
          << (std::filesystem::path(CPCSIM_SOURCE_DIR) / "tests/data/two-area/scenario.toml").string()
          << "\"\nname = \"doubled statutory funding\"\n\n[funding]\nstatutory_multiplier = 2.0\n";
    }
    ScenarioEvaluator::Options o;
    o.scenario = std::filesystem::path(CPCSIM_SOURCE_DIR) / "tests/data/two-area/scenario.toml";
    o.baseline_file = baseline;
    o.seed = 5;
    o.threads = 1;
    ScenarioEvaluator eval({parse_lever("funding.statutory_multiplier=0:3", model_parameters())},
                           parse_target("diff cost_total_per_year <= 0"), o);
    // The scenario at the baseline file's value is the baseline, replicate by replicate.
    for (const auto& v : eval({2.0}, 3, 2)) CHECK(v.target == 0.0);
    for (const auto& v : eval({1.0}, 3, 2)) CHECK(v.target < 0);  // less funding, less cost than the baseline
    std::filesystem::remove_all(dir);
}
