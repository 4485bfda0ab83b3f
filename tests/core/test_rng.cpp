#include "core/rng.hpp"

#include <catch2/catch.hpp>

#include <array>
#include <cmath>
#include <cstdint>
#include <vector>

using cpcsim::Draws;
using cpcsim::RandomKey;
using cpcsim::stream_id;

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

// Known answers. The literals below were computed once with this code (2026-12); a change to
// Philox, the key derivation or the mapping from words to draws changes results and must fail here.
TEST_CASE("Philox4x32-10 matches the Random123 published known-answer vectors", "[unit][rng]") {
    // From Random123's kat_vectors (philox4x32 10: counter, key, result).
    using C = r123::Philox4x32::ctr_type;
    using K = r123::Philox4x32::key_type;
    r123::Philox4x32 philox;
    CHECK(philox(C{{0, 0, 0, 0}}, K{{0, 0}}) == C{{0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8}});
    CHECK(philox(C{{0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff}}, K{{0xffffffff, 0xffffffff}}) ==
          C{{0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd}});
    CHECK(philox(C{{0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344}}, K{{0xa4093822, 0x299f31d0}}) ==
          C{{0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1}});
}

TEST_CASE("first blocks computed together give the same draws as one at a time", "[unit][rng]") {
    const RandomKey key(20261126, 5);
    std::vector<std::uint32_t> entity;
    for (std::uint32_t i = 0; i < 37; ++i) entity.push_back(i * 2654435761u);  // 4 batches of 8 and a tail of 5
    std::vector<cpcsim::DrawBlock> blocks(entity.size());
    cpcsim::first_blocks(key, stream_id("admission.daily"), entity, 4000, blocks);
    for (std::size_t i = 0; i < entity.size(); ++i) {
        Draws one(key, stream_id("admission.daily"), entity[i], 4000);
        Draws batched(key, stream_id("admission.daily"), entity[i], 4000, blocks[i]);
        for (int k = 0; k < 5; ++k) REQUIRE(one.uniform() == batched.uniform());  // across the next refill too
    }
}

TEST_CASE("draws whose first two blocks are computed together are the same draws", "[unit][rng]") {
    const RandomKey key(20261126, 2);
    for (std::uint32_t entity : {0u, 7u, 123456u}) {
        Draws one(key, stream_id("phase"), entity, 9);
        Draws two(key, stream_id("phase"), entity, 9, Draws::TwoBlocks{});
        for (int k = 0; k < 9; ++k) REQUIRE(one.uniform() == two.uniform());  // blocks 0, 1 and later refills
    }
}

TEST_CASE("stream names hash with 32-bit FNV-1a", "[unit][rng]") {
    // The FNV offset basis and the published FNV-1a hash of "a".
    STATIC_REQUIRE(stream_id("") == 0x811c9dc5u);
    STATIC_REQUIRE(stream_id("a") == 0xe40c292cu);
    STATIC_REQUIRE(stream_id("phase.stable_to_unstable") == 0xf05d3860u);
}

TEST_CASE("replicate keys and draws are pinned to known values", "[unit][rng]") {
    auto words = [](const RandomKey& k) { return std::array<std::uint32_t, 2>{k.key().v[0], k.key().v[1]}; };
    CHECK(words(RandomKey(20261126, 0)) == std::array<std::uint32_t, 2>{0x8dc7ee68, 0xb937ea7c});
    CHECK(words(RandomKey(20261126, 1)) == std::array<std::uint32_t, 2>{0xbf947f7e, 0x4e3266a6});
    CHECK(words(RandomKey(1, 3)) == std::array<std::uint32_t, 2>{0x04601896, 0xddf575b7});

    const RandomKey key(20261126, 0);
    // Uniforms are exact (integer arithmetic), across a refill of the Philox block.
    Draws u(key, stream_id("phase.stable_to_unstable"), 7, 365);
    CHECK(u.uniform() == 0x1.b9afaea586f77p-2);
    CHECK(u.uniform() == 0x1.2e55407d729e4p-4);
    CHECK(u.uniform() == 0x1.dd87532d0ec31p-2);
    CHECK(u.uniform() == 0x1.bcfee7c86749ap-1);
    CHECK(u.uniform() == 0x1.6814b5a08ecfcp-1);
    // The first uniform is words 0 and 1 of Philox(counter = (stream, entity, time, 0), key), 53 bits.
    const auto block = r123::Philox4x32()({{stream_id("phase.stable_to_unstable"), 7, 365, 0}}, key.key());
    const std::uint64_t bits = ((std::uint64_t{block.v[0]} << 32) | block.v[1]) >> 11;
    CHECK((static_cast<double>(bits) + 0.5) * 0x1.0p-53 == 0x1.b9afaea586f77p-2);

    // Derived draws, in sequence on one stream. exp, log and cos come from libm, so the
    // continuous ones allow a few units in the last place; the discrete ones are exact.
    Draws d(key, stream_id("test.derived"), 42, 10);
    CHECK_THAT(d.exponential(0.5), Catch::Matchers::WithinRel(0x1.8be20fdd1e7fbp+0, 1e-15));
    CHECK_THAT(d.normal(), Catch::Matchers::WithinRel(-0x1.8ef84904bcd2fp+0, 1e-15));
    CHECK(d.poisson(3.7) == 1);
    const std::array<double, 4> weights{0.1, 0.2, 0.3, 0.4};
    CHECK(d.categorical(weights) == 0);
    CHECK(d.below(1000) == 108);
    CHECK(!d.bernoulli(0.5));
    CHECK(d.uniform() == 0x1.7359eeed33384p-1);
}
