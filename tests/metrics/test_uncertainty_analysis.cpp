// Analysis of draws (metrics/uncertainty.hpp): the sensitivity measure ranks first the one input
// that drives an output, the noise share separates replicates sharing a draw, and the
// acceptability curve and CE plane follow from the per-replicate differences.
#include "metrics/uncertainty.hpp"

#include "core/rng.hpp"

#include <catch2/catch.hpp>

#include <cmath>

using namespace cpcsim;

TEST_CASE("partial rank correlation ranks first the input that alone drives the output", "[unit][uncertainty]") {
    // 60 rows, 8 inputs; the output is a monotone (non-linear) function of input 5 plus noise.
    const RandomKey key(1, 0);
    std::vector<std::vector<double>> x;
    std::vector<double> y;
    for (std::uint32_t r = 0; r < 60; ++r) {
        Draws d(key, stream_id("test.inputs"), r, 0);
        std::vector<double> row;
        for (int j = 0; j < 8; ++j) row.push_back(d.uniform());
        y.push_back(std::exp(3 * row[5]) + 0.3 * d.normal());
        x.push_back(row);
    }
    for (const auto& s :
         {rank_sensitivity(x, y), rank_sensitivity({x.begin(), x.begin() + 10}, {y.begin(), y.begin() + 10})}) {
        INFO(s.method);
        std::size_t best = 0;
        for (std::size_t j = 1; j < 8; ++j)
            if (std::fabs(s.coefficient[j]) > std::fabs(s.coefficient[best])) best = j;
        CHECK(best == 5);
        CHECK(s.low[5] > 0);
        CHECK(s.coefficient[5] <= s.high[5]);
    }
    CHECK(rank_sensitivity(x, y).method == "prcc");
    CHECK(rank_sensitivity({x.begin(), x.begin() + 10}, {y.begin(), y.begin() + 10}).method == "spearman");
    // A constant input has no coefficient.
    for (auto& row : x) row[2] = 1.0;
    CHECK(std::isnan(rank_sensitivity(x, y).coefficient[2]));
}

TEST_CASE("with many inputs and few draws, a coefficient must beat the chance level to be a driver",
          "[unit][uncertainty]") {
    // 40 rows, 100 inputs (Spearman: too few rows for partial correlations); the output follows
    // input 0 only. The chance level comes from permutations; with 40 rows it is close to the
    // Bonferroni bound tanh(z_{1 - 0.025/100} / sqrt(37)) = 0.52.
    const RandomKey key(7, 0);
    std::vector<std::vector<double>> x;
    std::vector<double> y;
    for (std::uint32_t r = 0; r < 40; ++r) {
        Draws d(key, stream_id("test.many"), r, 0);
        std::vector<double> row;
        for (int j = 0; j < 100; ++j) row.push_back(d.uniform());
        y.push_back(row[0] + 0.05 * d.normal());
        x.push_back(row);
    }
    const Sensitivity s = rank_sensitivity(x, y);
    CHECK(s.method == "spearman");
    CHECK(s.chance == Approx(std::tanh(3.4807564 / std::sqrt(37.0))).margin(0.05));
    CHECK(rank_sensitivity(x, y).chance == s.chance);  // fixed permutations: the same every time
    CHECK(s.coefficient[0] > s.chance);
    int nulls_above = 0;
    for (std::size_t j = 1; j < 100; ++j) nulls_above += std::fabs(s.coefficient[j]) > s.chance;
    CHECK(nulls_above <= 1);  // about 5% of such tables have one
    // The level is above a plain 95% interval's edge: a coefficient between the two is no driver.
    CHECK(s.chance > std::tanh(1.959964 / std::sqrt(37.0)));
}

TEST_CASE("with few draws the chance level holds false drivers to about 5% of tables", "[unit][uncertainty]") {
    // 8 rows, 120 inputs, an output unrelated to all of them, in 200 independent tables: a table
    // names a (false) driver when its largest |rho| beats the chance level. Fisher's z with a
    // Bonferroni bound, tanh(z_{1 - 0.025/120} / sqrt(5)) = 0.904, understates the tails of a rank
    // correlation of 8 rows; the permutation level does not.
    const RandomKey key(11, 0);
    const double fisher = std::tanh(3.3416 / std::sqrt(5.0));
    int tables_permutation = 0, tables_fisher = 0;
    for (std::uint32_t t = 0; t < 200; ++t) {
        std::vector<std::vector<double>> x;
        std::vector<double> y;
        for (std::uint32_t r = 0; r < 8; ++r) {
            Draws d(key, stream_id("test.few"), t, r);
            std::vector<double> row;
            for (int j = 0; j < 120; ++j) row.push_back(d.uniform());
            x.push_back(row);
            y.push_back(d.uniform());
        }
        const Sensitivity s = rank_sensitivity(x, y);
        REQUIRE(s.method == "spearman");
        double top = 0;
        for (double c : s.coefficient) top = std::max(top, std::fabs(c));
        tables_permutation += top > s.chance;
        tables_fisher += top > fisher;
    }
    INFO("tables with a false driver: permutation " << tables_permutation << ", Fisher " << tables_fisher);
    CHECK(tables_permutation <= 20);  // 5% of 200 is 10; binomial 99.9% bound about 21
    CHECK(tables_fisher > 2 * tables_permutation);
}

TEST_CASE("the chance level is the same in the simulator and the analysis package", "[unit][uncertainty]") {
    // The fixed table of tests/analysis/test_uncertainty.py: 8 rows (with ties), 30 inputs.
    std::vector<std::vector<double>> x;
    std::vector<double> y;
    for (int r = 0; r < 8; ++r) {
        std::vector<double> row;
        for (int j = 0; j < 30; ++j) row.push_back(((r * 31 + j * 17) % 13) / 13.0);
        x.push_back(row);
        y.push_back(((r * 7) % 11) / 11.0);
    }
    CHECK(rank_sensitivity(x, y).chance == Approx(0.8809523809523807).margin(1e-12));  // 74/84
}

TEST_CASE("the noise share is the within-draw variance over the total", "[unit][uncertainty]") {
    // Pairs share a draw: values 10 +- 1 and 20 +- 1 -> within-pair variance 2, total about 35.
    const std::vector<double> v = {9, 11, 19, 21, 9, 11, 19, 21};
    const auto u = uncertain_interval(v, 2);
    CHECK(u.mean == Approx(15));
    CHECK(u.noise_half_width == Approx(1.959963984540054 * std::sqrt(2.0)));
    double total = 0;
    for (double x : v) total += (x - 15) * (x - 15) / 7.0;
    CHECK(u.noise_share == Approx(2.0 / total));
    CHECK(u.prob_positive == 1.0);
    CHECK(std::isnan(uncertain_interval(v, 1).noise_share));
    CHECK(u.low == Approx(quantile_type7(v, 0.025)));
}

TEST_CASE("cost-effectiveness plane and acceptability curve", "[unit][uncertainty]") {
    // Effects +1 each; costs 100, 200, 300, -50.
    const auto ce = cost_effectiveness({100, 200, 300, -50}, {1, 1, 1, 1}, {0, 150, 250, 1000});
    CHECK(ce.delta_cost == Approx(137.5));
    CHECK(ce.icer == Approx(137.5));
    CHECK(ce.dominant == Approx(0.25));
    CHECK(ce.more_effect_more_cost == Approx(0.75));
    REQUIRE(ce.acceptability.size() == 4);
    CHECK(ce.acceptability[0] == Approx(0.25));
    CHECK(ce.acceptability[1] == Approx(0.5));
    CHECK(ce.acceptability[2] == Approx(0.75));
    CHECK(ce.acceptability[3] == Approx(1.0));
}
