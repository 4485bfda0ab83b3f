#include "metrics/paired.hpp"
#include "metrics/summary.hpp"

#include <catch2/catch.hpp>

#include <cmath>

using namespace cpcsim;

TEST_CASE("mean_interval gives the t-interval of the mean", "[unit][metrics]") {
    // Hand-worked: values 1..5, mean 3, sd sqrt(2.5), t(4) = 2.776, half-width 2.776*sqrt(2.5)/sqrt(5).
    const auto r = mean_interval({1, 2, 3, 4, 5});
    REQUIRE(r.n == 5);
    REQUIRE(r.mean == Approx(3.0));
    REQUIRE(r.sd == Approx(std::sqrt(2.5)));
    REQUIRE(r.high - r.mean == Approx(2.776 * std::sqrt(2.5) / std::sqrt(5.0)).epsilon(1e-4));
    REQUIRE(std::isnan(mean_interval({}).mean));
    REQUIRE(std::isnan(mean_interval({1.0}).low));
    REQUIRE(t_quantile_975(1) == Approx(12.706));
    REQUIRE(t_quantile_975(1000) == Approx(1.9623).epsilon(1e-3));
}

TEST_CASE("pairing narrows the interval when the arms are correlated", "[unit][metrics]") {
    // B = A + 1 + small noise: the paired interval is far narrower than Welch's.
    const std::vector<double> a{10, 14, 9, 20, 13, 17, 11, 15};
    std::vector<double> b;
    const double noise[] = {0.1, -0.1, 0.05, 0.0, -0.05, 0.1, -0.1, 0.0};
    for (std::size_t i = 0; i < a.size(); ++i) b.push_back(a[i] + 1.0 + noise[i]);
    const auto c = compare_paired(a, b);
    REQUIRE(c.difference.mean == Approx(1.0));
    REQUIRE(c.difference.low < 1.0);
    REQUIRE(c.difference.high > 1.0);
    REQUIRE(c.unpaired_low < c.difference.low);
    REQUIRE(c.unpaired_high > c.difference.high);
    REQUIRE(c.narrowing > 0.9);
    // Independent noise of the same size: pairing cannot help much.
    const std::vector<double> shuffled{15, 11, 17, 13, 20, 9, 14, 10};
    REQUIRE(compare_paired(a, shuffled).narrowing < 0.5);
}
