// Runs with parameter uncertainty (--uncertainty): each replicate's parameter draw is a pure
// function of (uncertainty seed, draw index, parameter key), so it is the same for any thread
// count or grouping of replicates and the same in both arms of a comparison; collapsing every
// distribution to a point gives the plain run bit for bit; and drawing parameters widens the
// spread of outcomes over replicates.
#include "engine_test_support.hpp"

#include "metrics/run_measures.hpp"
#include "scenario/uncertainty.hpp"

#include <algorithm>

using namespace engine_test;

namespace {

Scenario with_draws(Scenario sc, std::uint64_t seed = 7, int per_draw = 1) {
    sc.draws = {.on = true, .seed = seed, .per_draw = per_draw};
    return sc;
}

std::vector<double> measure_over_runs(const Scenario& sc, const std::vector<RunOutputs>& runs, const char* name) {
    const auto& m = summary_measures();
    const auto i = static_cast<std::size_t>(
        std::find_if(m.begin(), m.end(), [&](const Measure& x) { return x.name == name; }) - m.begin());
    std::vector<double> out;
    for (const auto& r : measure_runs(sc, runs)) out.push_back(r.summary.at(i));
    return out;
}

double sd(const std::vector<double>& v) {
    double m = 0;
    for (double x : v) m += x / static_cast<double>(v.size());
    double s = 0;
    for (double x : v) s += (x - m) * (x - m);
    return std::sqrt(s / static_cast<double>(v.size() - 1));
}

}  // namespace

TEST_CASE("a parameter draw is reproducible and differs between draws", "[unit][uncertainty]") {
    const Scenario sc = with_draws(load(two_area(), short_run(1, 1)));
    REQUIRE(uncertain_parameters(sc).size() > 40);
    const auto d3 = draw_parameters(sc, 7, 3), again = draw_parameters(sc, 7, 3), d4 = draw_parameters(sc, 7, 4);
    CHECK(d3.drawn == again.drawn);
    CHECK(d3.drawn != d4.drawn);
    CHECK(draw_parameters(sc, 8, 3).drawn != d3.drawn);
    // Every drawn parameter set is valid for its declarations.
    const ParamSet p = apply_draw(sc, d3);
    for (std::size_t i : uncertain_parameters(sc))
        for (double v : p.values(i)) CHECK(sc.params.registry().specs()[i].check(v).empty());
}

TEST_CASE("runs with parameter draws are bit-identical for any thread count and grouping",
          "[regression][uncertainty]") {
    const Scenario sc = with_draws(load(two_area(), short_run(1, 1)));
    const auto one = run_replicates(sc, 11, 0, 4, 1);
    const auto two = run_replicates(sc, 11, 0, 4, 2);
    const auto tail = run_replicates(sc, 11, 2, 2, 2);  // replicates 2 and 3 on their own
    for (std::size_t i = 0; i < 4; ++i) {
        INFO("replicate " << i);
        CHECK(joined(differences(one[i], two[i])) == "(none)");
    }
    CHECK(joined(differences(one[2], tail[0])) == "(none)");
    CHECK(joined(differences(one[3], tail[1])) == "(none)");
    // The draws change the runs: replicate 0 with and without uncertainty differ.
    Scenario plain = sc;
    plain.draws.on = false;
    CHECK(joined(differences(one[0], run_replicates(plain, 11, 0, 1, 1)[0])) != "(none)");
}

TEST_CASE("both arms of a comparison share each draw; a value the arm sets wins", "[unit][uncertainty]") {
    const Scenario a = with_draws(load(two_area(), short_run(1, 1)));
    const Scenario b = with_draws(
        load(two_area(),
             short_run(1, 1, {"network.coordinator_wte=1", "network.training=1", "referral.delay_mean_days=20"})));
    const auto names_a = draw_column_names(a), names_b = draw_column_names(b);
    const auto da = draw_parameters(a, 7, 5), db = draw_parameters(b, 7, 5);
    int shared = 0;
    for (std::size_t i = 0; i < names_a.size(); ++i) {
        const auto j = std::find(names_b.begin(), names_b.end(), names_a[i]);
        if (j == names_b.end()) continue;
        ++shared;
        CHECK(da.drawn[i] == db.drawn[static_cast<std::size_t>(j - names_b.begin())]);
    }
    CHECK(shared == static_cast<int>(names_a.size()) - 1);
    // B sets referral.delay_mean_days itself: B keeps 20 in every draw, A draws it.
    CHECK(std::find(names_b.begin(), names_b.end(), "referral.delay_mean_days") == names_b.end());
    CHECK(replicate_parameters(b, 3).get("referral.delay_mean_days") == 20.0);
    CHECK(replicate_parameters(a, 3).get("referral.delay_mean_days") != 35.0);
}

TEST_CASE("with every distribution collapsed to a point, results equal a plain run bit for bit",
          "[regression][uncertainty]") {
    const Scenario plain = load(two_area(), short_run(2, 1));
    Scenario collapsed = with_draws(plain);
    for (std::size_t i : uncertain_parameters(collapsed)) {
        Distribution& d = collapsed.uncertainty[i];
        const auto& values = plain.params.values(i);
        const double centre =
            d.applies == Applies::Value ? values.at(d.element < 0 ? 0 : static_cast<std::size_t>(d.element)) : 1.0;
        Distribution point = prior::triangular(centre, centre, centre, "point");
        point.applies = d.applies;
        point.element = d.element;
        d = point;
    }
    REQUIRE(uncertain_parameters(collapsed).size() > 40);
    const auto a = run_replicates(plain, 5, 0, 3, 2), b = run_replicates(collapsed, 5, 0, 3, 2);
    for (std::size_t i = 0; i < a.size(); ++i) {
        INFO("replicate " << i);
        CHECK(joined(differences(a[i], b[i])) == "(none)");
    }
    const auto ma = measure_runs(plain, a), mb = measure_runs(collapsed, b);
    for (std::size_t i = 0; i < ma.size(); ++i) {
        for (std::size_t m = 0; m < ma[i].summary.size(); ++m) {
            const double x = ma[i].summary[m], y = mb[i].summary[m];
            CHECK((x == y || (std::isnan(x) && std::isnan(y))));
        }
    }
}

TEST_CASE("drawing parameters widens the spread of outcomes over replicates", "[validation][uncertainty]") {
    const Scenario plain = load(two_area(), short_run(2, 1));
    const Scenario drawn = with_draws(plain);
    const int n = 10;
    for (const char* name : {"unplanned_admissions_per_year", "referrals_per_year", "bed_days_per_year"}) {
        INFO(name);
        const double s_plain = sd(measure_over_runs(plain, run_replicates(plain, 3, 0, n, 2), name));
        const double s_drawn = sd(measure_over_runs(drawn, run_replicates(drawn, 3, 0, n, 2), name));
        CHECK(s_drawn >= s_plain);
    }
}
