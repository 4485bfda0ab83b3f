#include "core/rng.hpp"

#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace cpcsim {

namespace {

#if defined(__x86_64__)
/// The 32-bit high and low halves of the products of the eight 32-bit lanes of x with m (m
/// repeated in the low half of each 64-bit lane): the even lanes and the odd lanes multiplied apart.
__attribute__((target("avx2"), always_inline)) inline void mulhilo_avx2(const __m256i& x, const __m256i& m, __m256i& hi,
                                                                        __m256i& lo) noexcept {
    const __m256i even = _mm256_mul_epu32(x, m);
    const __m256i odd = _mm256_mul_epu32(_mm256_srli_epi64(x, 32), m);
    hi = _mm256_blend_epi32(_mm256_srli_epi64(even, 32), odd, 0xAA);
    lo = _mm256_blend_epi32(even, _mm256_slli_epi64(odd, 32), 0xAA);
}

/// first_blocks for eight counters at a time, the words of eight blocks side by side in AVX2
/// registers; returns how many it computed (a multiple of 8).
__attribute__((target("avx2"))) std::size_t first_blocks_avx2(r123::Philox4x32::key_type key, std::uint32_t stream,
                                                              const std::uint32_t* entity, std::uint32_t time,
                                                              std::size_t n, DrawBlock* out) noexcept {
    const __m256i m0 = _mm256_set1_epi64x(PHILOX_M4x32_0);
    const __m256i m1 = _mm256_set1_epi64x(PHILOX_M4x32_1);
    std::size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        __m256i x0 = _mm256_set1_epi32(static_cast<int>(stream));
        __m256i x1 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(entity + i));
        __m256i x2 = _mm256_set1_epi32(static_cast<int>(time));
        __m256i x3 = _mm256_setzero_si256();
        std::uint32_t k0 = key.v[0], k1 = key.v[1];
        for (int round = 0; round < 10; ++round) {
            if (round > 0) k0 += PHILOX_W32_0, k1 += PHILOX_W32_1;
            __m256i hi0, lo0, hi1, lo1;
            mulhilo_avx2(x0, m0, hi0, lo0);
            mulhilo_avx2(x2, m1, hi1, lo1);
            const __m256i y0 = _mm256_xor_si256(_mm256_xor_si256(hi1, x1), _mm256_set1_epi32(static_cast<int>(k0)));
            const __m256i y2 = _mm256_xor_si256(_mm256_xor_si256(hi0, x3), _mm256_set1_epi32(static_cast<int>(k1)));
            x0 = y0, x1 = lo1, x2 = y2, x3 = lo0;
        }
        alignas(32) std::uint32_t w[4][8];
        _mm256_store_si256(reinterpret_cast<__m256i*>(w[0]), x0);
        _mm256_store_si256(reinterpret_cast<__m256i*>(w[1]), x1);
        _mm256_store_si256(reinterpret_cast<__m256i*>(w[2]), x2);
        _mm256_store_si256(reinterpret_cast<__m256i*>(w[3]), x3);
        for (int j = 0; j < 8; ++j)
            out[i + static_cast<std::size_t>(j)] = DrawBlock{{w[0][j], w[1][j], w[2][j], w[3][j]}};
    }
    return i;
}

bool has_avx2() noexcept {
    static const bool yes = (__builtin_cpu_init(), __builtin_cpu_supports("avx2"));
    return yes;
}
#else
bool has_avx2() noexcept {
    return false;
}
std::size_t first_blocks_avx2(r123::Philox4x32::key_type, std::uint32_t, const std::uint32_t*, std::uint32_t,
                              std::size_t, DrawBlock*) noexcept {
    return 0;
}
#endif

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

void first_blocks(const RandomKey& key, std::uint32_t stream, std::span<const std::uint32_t> entity, std::uint32_t time,
                  std::span<DrawBlock> out) noexcept {
    const std::size_t n = entity.size();
    const std::size_t done = has_avx2() ? first_blocks_avx2(key.key(), stream, entity.data(), time, n, out.data()) : 0;
    r123::Philox4x32 philox;
    for (std::size_t i = done; i < n; ++i) out[i] = philox(DrawBlock{{stream, entity[i], time, 0u}}, key.key());
}

double Draws::normal() noexcept {
    const double u1 = uniform();
    const double u2 = uniform();
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
}

std::uint32_t Draws::poisson(double mean, double exp_neg_mean) noexcept {
    if (!(mean > 0.0)) return 0;
    // Inversion on one uniform: walk the CDF. Exact; cost grows with the mean.
    const double u = uniform();
    double p = exp_neg_mean;
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
