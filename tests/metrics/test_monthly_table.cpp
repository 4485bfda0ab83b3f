// The sparse monthly table (metrics/monthly_table.hpp) against a dense reference.
#include "metrics/monthly_table.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <random>
#include <span>
#include <stdexcept>
#include <tuple>
#include <utility>
#include <vector>

using cpcsim::MonthlyTable;

TEST_CASE("the sparse monthly table holds what a dense table would", "[unit][metrics]") {
    const int months = 14;
    const std::size_t row = 101;  // not a multiple of the 16-entry blocks the store skips
    for (const double density : {0.0, 0.02, 0.3, 1.0}) {
        INFO("density " << density);
        std::mt19937 rng(static_cast<std::uint32_t>(density * 100) + 1);
        std::uniform_real_distribution<double> u(0, 1);
        std::uniform_int_distribution<std::int32_t> val(-5, 50);
        MonthlyTable t(months, row);
        std::vector<std::int32_t> dense(static_cast<std::size_t>(months) * row, 0);
        for (int m = 0; m < months; ++m) {
            if (m == 3 || m == 4 || m == 9) continue;  // months with no counts at all
            for (int k = 0; k < 400; ++k) {
                const auto slot = static_cast<std::size_t>(rng() % row);
                if (u(rng) >= density) continue;
                const auto n = val(rng);
                t.add(m, slot, n);
                dense[static_cast<std::size_t>(m) * row + slot] += n;
            }
            // While a month is being counted it reads back too.
            for (std::size_t s = 0; s < row; ++s) REQUIRE(t.at(m, s) == dense[static_cast<std::size_t>(m) * row + s]);
        }
        // Counts that cancel to zero are not stored.
        const auto last = static_cast<std::size_t>(months - 1) * row;
        t.add(months - 1, 0, 5);
        t.add(months - 1, 0, -5 - dense[last]);
        dense[last] = 0;
        t.finish();
        CHECK(t.dense() == dense);
        std::size_t nonzero = 0;
        for (const auto x : dense) nonzero += x != 0 ? 1 : 0;
        CHECK(t.stored_nonzeros() == nonzero);
        for (int m = 0; m < months; ++m)
            for (std::size_t s = 0; s < row; ++s) REQUIRE(t.at(m, s) == dense[static_cast<std::size_t>(m) * row + s]);
        // A block of months, as the HDF5 writer asks for a chunk.
        std::vector<std::int32_t> block(5 * row, -99);
        t.fill(8, 13, block);
        CHECK(std::equal(block.begin(), block.end(), dense.begin() + 8 * static_cast<std::ptrdiff_t>(row)));
        CHECK_THROWS_AS(t.fill(8, 13, std::span<std::int32_t>(block.data(), 4 * row)), std::logic_error);
        // The same block as its non-zero entries, in the dense order (what the writer encodes).
        std::vector<std::pair<std::size_t, std::int32_t>> entries, expected;
        t.for_each_nonzero(8, 13, [&](int m, std::size_t slot, std::int32_t v) {
            entries.emplace_back(static_cast<std::size_t>(m - 8) * row + slot, v);
        });
        for (std::size_t i = 0; i < block.size(); ++i)
            if (block[i] != 0) expected.emplace_back(i, block[i]);
        CHECK(entries == expected);
    }
}

TEST_CASE("the monthly table's non-zero entries include the month being counted", "[unit][metrics]") {
    MonthlyTable t(6, 10);
    t.add(1, 7, 3);
    t.add(1, 2, 4);
    t.add(4, 9, -1);  // month 4 is being counted: not stored yet
    t.add(4, 0, 2);
    std::vector<std::tuple<int, std::size_t, std::int32_t>> seen;
    t.for_each_nonzero(0, 6, [&](int m, std::size_t slot, std::int32_t v) { seen.emplace_back(m, slot, v); });
    const std::vector<std::tuple<int, std::size_t, std::int32_t>> want = {{1, 2, 4}, {1, 7, 3}, {4, 0, 2}, {4, 9, -1}};
    CHECK(seen == want);
    seen.clear();
    t.for_each_nonzero(2, 4, [&](int m, std::size_t slot, std::int32_t v) { seen.emplace_back(m, slot, v); });
    CHECK(seen.empty());
}

TEST_CASE("the monthly table refuses counts out of month order or outside it", "[unit][metrics]") {
    MonthlyTable t(12, 10);
    t.add(2, 1, 1);
    t.add(5, 1, 1);
    CHECK_THROWS_AS(t.add(4, 1, 1), std::logic_error);
    CHECK_THROWS_AS(t.add(12, 1, 1), std::logic_error);
    t.finish();
    CHECK_THROWS_AS(t.add(11, 1, 1), std::logic_error);  // a finished table takes no more counts
    CHECK(t.at(2, 1) == 1);
    CHECK(t.at(5, 1) == 1);
    CHECK(t.at(3, 1) == 0);
    // Two tables counted the same way are equal; one count more and they are not.
    MonthlyTable a(3, 4), b(3, 4);
    for (auto* x : {&a, &b}) x->add(0, 2, 7), x->add(2, 3, 1);
    b.add(2, 0, 1);
    a.finish(), b.finish();
    CHECK_FALSE(a == b);
    MonthlyTable c(3, 4);
    c.add(0, 2, 7), c.add(2, 3, 1), c.finish();
    CHECK(a == c);
}
