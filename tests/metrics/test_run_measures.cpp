// Per-run measures and their paired comparison (the numbers io writes to compare files).
#include "metrics/equity.hpp"
#include "metrics/run_measures.hpp"
#include "metrics/summary.hpp"

#include <catch2/catch.hpp>

using namespace cpcsim;

namespace {
/// A run whose every summary value is `v` and whose equity rows are `per_year` then `horizon`.
RunMeasures fake_run(double v, double per_year, double horizon) {
    const std::size_t ne = EquitySummary::names().size();
    RunMeasures m;
    m.summary.assign(summary_measures().size(), v);
    m.equity_access.assign(ne, per_year);
    m.equity_access.insert(m.equity_access.end(), ne, horizon);
    m.equity_preferred_place.assign(2 * ne, -horizon);
    return m;
}
}  // namespace

TEST_CASE("compare_summaries pairs run i of A with run i of B for every summary measure", "[unit][metrics]") {
    const std::vector<RunMeasures> a = {fake_run(1, 0, 0), fake_run(2, 0, 0), fake_run(4, 0, 0)};
    const std::vector<RunMeasures> b = {fake_run(2, 0, 0), fake_run(4, 0, 0), fake_run(5, 0, 0)};
    const auto c = compare_summaries(a, b);
    REQUIRE(c.size() == summary_measures().size());
    // Differences 1, 2, 1: mean 4/3.
    CHECK(c.front().difference.mean == Approx(4.0 / 3.0));
    CHECK(c.back().a.mean == Approx(7.0 / 3.0));
    CHECK(c.back().b.mean == Approx(11.0 / 3.0));
    CHECK(summaries_of(a)[2].front() == 4.0);
}

TEST_CASE("compare_horizon_equity uses the whole-horizon row of each run", "[unit][metrics]") {
    const std::vector<RunMeasures> a = {fake_run(0, 100, 1), fake_run(0, 100, 2)};
    const std::vector<RunMeasures> b = {fake_run(0, -100, 4), fake_run(0, -100, 6)};
    const auto access = compare_horizon_equity(a, b, false);
    REQUIRE(access.size() == EquitySummary::names().size());
    CHECK(access.front().a.mean == Approx(1.5));
    CHECK(access.front().difference.mean == Approx(3.5));
    const auto place = compare_horizon_equity(a, b, true);
    CHECK(place.back().b.mean == Approx(-5.0));
}
