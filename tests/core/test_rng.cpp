#include "core/rng.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

using cpcsim::Draws;
using cpcsim::RandomKey;

TEST_CASE("draws are a pure function of their key", "[unit][rng]") {
    const RandomKey key(42, 3);
    Draws a(key, cpcsim::stream_id("x"), 7, 100);
    Draws b(key, cpcsim::stream_id("x"), 7, 100);
    for (int i = 0; i < 10; ++i) REQUIRE(a.uniform() == b.uniform());
    Draws c(key, cpcsim::stream_id("y"), 7, 100);
    Draws d(RandomKey(42, 4), cpcsim::stream_id("x"), 7, 100);
    Draws e(RandomKey(43, 3), cpcsim::stream_id("x"), 7, 100);
    Draws f(key, cpcsim::stream_id("x"), 8, 100);
    const double u = Draws(key, cpcsim::stream_id("x"), 7, 100).uniform();
    REQUIRE(c.uniform() != u);
    REQUIRE(d.uniform() != u);
    REQUIRE(e.uniform() != u);
    REQUIRE(f.uniform() != u);
}

TEST_CASE("uniforms have the moments of U(0,1)", "[unit][rng]") {
    const RandomKey key(1, 0);
    const int n = 200000;
    double sum = 0, sum2 = 0;
    for (int i = 0; i < n; ++i) {
        Draws d(key, 1, static_cast<std::uint32_t>(i), 0);
        const double u = d.uniform();
        REQUIRE(u > 0.0);
        REQUIRE(u < 1.0);
        sum += u;
        sum2 += u * u;
    }
    const double mean = sum / n, var = sum2 / n - mean * mean;
    // Sampling error of the mean: sqrt(1/12/n) = 0.00065; 5 sigma.
    REQUIRE(mean == Approx(0.5).margin(0.0033));
    REQUIRE(var == Approx(1.0 / 12).margin(0.002));
}

TEST_CASE("exponential, poisson and categorical match their expectations", "[unit][rng]") {
    const RandomKey key(9, 1);
    Draws d(key, 2, 0, 0);
    const int n = 100000;
    double se = 0, sp = 0;
    std::vector<int> counts(3, 0);
    const std::vector<double> w{1.0, 2.0, 7.0};
    for (int i = 0; i < n; ++i) {
        se += d.exponential(2.0);
        sp += d.poisson(0.7);
        ++counts[d.categorical(w)];
    }
    REQUIRE(se / n == Approx(0.5).margin(5 * 0.5 / std::sqrt(n)));
    REQUIRE(sp / n == Approx(0.7).margin(5 * std::sqrt(0.7 / n)));
    REQUIRE(counts[0] / double(n) == Approx(0.1).margin(5 * std::sqrt(0.09 / n)));
    REQUIRE(counts[2] / double(n) == Approx(0.7).margin(5 * std::sqrt(0.21 / n)));
    REQUIRE(std::isinf(d.exponential(0.0)));
    REQUIRE(d.poisson(0.0) == 0u);
}
