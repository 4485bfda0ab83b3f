#include "core/rng.hpp"

namespace cpcsim {

namespace {
// SplitMix64 finaliser: spreads seed and replicate over the 64-bit Philox key.
std::uint64_t mix64(std::uint64_t z) noexcept {
    z += 0x9e3779b97f4a7c15ull;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}
}  // namespace

RandomKey::RandomKey(std::uint64_t seed, std::uint32_t replicate) noexcept {
    const std::uint64_t k = mix64(mix64(seed) ^ (0x5851f42d4c957f2dull * (replicate + 1ull)));
    key_ = {{static_cast<std::uint32_t>(k), static_cast<std::uint32_t>(k >> 32)}};
}

double Draws::normal() noexcept {
    const double u1 = uniform();
    const double u2 = uniform();
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
}

std::uint32_t Draws::poisson(double mean) noexcept {
    if (!(mean > 0.0)) return 0;
    // Inversion on one uniform: walk the CDF. Exact; cost grows with the mean.
    const double u = uniform();
    double p = std::exp(-mean);
    double cdf = p;
    std::uint32_t k = 0;
    while (u > cdf && k < 100000u) {
        ++k;
        p *= mean / k;
        cdf += p;
        if (p == 0.0 && cdf < u) break;  // underflow guard for very large means
    }
    return k;
}

std::size_t Draws::categorical(std::span<const double> weights) noexcept {
    double total = 0.0;
    for (double w : weights) total += w;
    const double target = uniform() * total;
    double acc = 0.0;
    for (std::size_t i = 0; i < weights.size(); ++i) {
        acc += weights[i];
        if (target < acc) return i;
    }
    // Rounding: return the last index with positive weight.
    for (std::size_t i = weights.size(); i-- > 0;)
        if (weights[i] > 0.0) return i;
    return 0;
}

std::uint32_t Draws::below(std::uint32_t n) noexcept {
    return static_cast<std::uint32_t>(uniform() * n) % (n == 0 ? 1 : n);
}

}  // namespace cpcsim
