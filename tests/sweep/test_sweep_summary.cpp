#include "sweep/summary.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

using namespace cpcsim::sweep;

TEST_CASE("elementary effects of a known function", "[unit][sweep]") {
    // y = 3 a + 2 a b on a in [0, 2], b in [0, 1]; effects per whole range.
    const std::vector<std::string> params = {"a", "b"};
    const std::vector<double> lo = {0, 0}, hi = {2, 1};
    // trajectory 0: (0,0) -> (1,0) [a] -> (1,1) [b]; trajectory 1: (2,1) -> (2,0) [b] -> (1,0) [a]
    const std::vector<double> x = {0, 0, 1, 0, 1, 1, 2, 1, 2, 0, 1, 0};
    std::vector<double> y;
    for (std::size_t i = 0; i < 6; ++i) y.push_back(3 * x[2 * i] + 2 * x[2 * i] * x[2 * i + 1]);
    const std::vector<std::int64_t> traj = {0, 0, 0, 1, 1, 1}, changed = {-1, 0, 1, -1, 1, 0};
    const auto e = morris_effects(y, traj, changed, x, params, lo, hi);
    REQUIRE(e.size() == 2);
    // a: (3-0)/(1/2) = 6, (3-6)/(-1/2) = 6 -> mu* 6, sigma 0; b: (5-3)/1 = 2, (6-10)/(-1) = 4 -> mu* 3
    CHECK(e[0].parameter == "a");
    CHECK(e[0].mu_star == Approx(6));
    CHECK(e[0].sigma == Approx(0).margin(1e-12));
    CHECK(e[0].n == 2);
    CHECK(e[1].parameter == "b");
    CHECK(e[1].mu_star == Approx(3));
    CHECK(e[1].mu == Approx(3));
    CHECK(e[1].sigma == Approx(std::sqrt(2.0)));
}
