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

TEST_CASE("narrowing is 1 - paired / unpaired half-width (hand-worked)", "[unit][metrics]") {
    // A = 1, 2, 3 and B = 2, 4, 3: differences 1, 2, 0 (mean 1, sd 1), so the paired half-width
    // is t(0.975, 2) / sqrt(3) = 4.303 / 1.732051 = 2.484338 (t from the 3-decimal table of
    // t_quantile_975). Both arms have variance 1, so Welch's df is exactly 4 and its half-width
    // t(0.975, 4) * sqrt(1/3 + 1/3) = 2.776 * 0.816497 = 2.266595. Pairing made the interval
    // wider: narrowing = 1 - 2.484338 / 2.266595 = -0.096066 ("10% wider"). analysis/stats.py
    // gives -0.095802 on the same data with exact t-quantiles (tests/analysis/test_compare.py).
    const auto c = compare_paired({1, 2, 3}, {2, 4, 3});
    CHECK((c.difference.high - c.difference.low) / 2 == Approx(2.484338).epsilon(1e-6));
    CHECK((c.unpaired_high - c.unpaired_low) / 2 == Approx(2.266595).epsilon(1e-6));
    CHECK(c.narrowing == Approx(-0.096066).epsilon(1e-4));
    // B = A + 1 exactly: the paired interval has zero width, 100% narrower.
    CHECK(compare_paired({1, 2, 3}, {2, 3, 4}).narrowing == 1.0);
    // Constant arms: no unpaired width to compare with.
    CHECK(std::isnan(compare_paired({2, 2}, {3, 3}).narrowing));
}
