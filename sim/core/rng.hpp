// Counter-based, keyed random numbers (Philox4x32-10 from Random123).
//
// Every draw is a pure function of (seed, replicate, named stream, entity id, time or event
// index, draw index). There is no generator state shared between children, threads or
// scenarios, so results do not depend on thread count or on the order of work, and two
// scenarios with the same seed draw the same numbers for the same decision about the same child
// (common random numbers). Distributions are our own, so results are the same with any
// standard library.
#pragma once

#include <Random123/philox.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <numbers>
#include <span>
#include <string_view>

namespace cpcsim {

/// 32-bit FNV-1a hash of a stream name, evaluated at compile time for literals.
constexpr std::uint32_t stream_id(std::string_view name) noexcept {
    std::uint32_t h = 2166136261u;
    for (char c : name) {
        h ^= static_cast<std::uint8_t>(c);
        h *= 16777619u;
    }
    return h;
}

/// Identifies one replicate's random numbers: the user's seed and the replicate index.
class RandomKey {
public:
    RandomKey(std::uint64_t seed, std::uint32_t replicate) noexcept;
    [[nodiscard]] r123::Philox4x32::key_type key() const noexcept { return key_; }

private:
    r123::Philox4x32::key_type key_{};
};

/// One Philox block: four 32-bit words, two uniforms.
using DrawBlock = r123::Philox4x32::ctr_type;

/// The first block of Draws(key, stream, entity[i], time) for each i, into out[i] (out.size() >=
/// entity.size()). The same words as Draws computes one at a time, computed together: a loop that
/// draws once per child (the daily admission risk of every active child) otherwise waits for each
/// block's ten dependent rounds in turn. Uses AVX2 where the processor has it, the same arithmetic
/// either way (integers only).
void first_blocks(const RandomKey& key, std::uint32_t stream, std::span<const std::uint32_t> entity, std::uint32_t time,
                  std::span<DrawBlock> out) noexcept;

/// A sequence of uniforms for one decision: (stream, entity, time). Each call consumes the
/// next value; the sequence is the same every time it is built with the same arguments.
class Draws {
public:
    Draws(const RandomKey& key, std::uint32_t stream, std::uint32_t entity, std::uint32_t time) noexcept
        : key_(key.key()), ctr_{{stream, entity, time, 0u}} {}
    /// The same sequence, given its first block as first_blocks computed it.
    Draws(const RandomKey& key, std::uint32_t stream, std::uint32_t entity, std::uint32_t time,
          const DrawBlock& first) noexcept
        : key_(key.key()), ctr_{{stream, entity, time, 1u}}, block_(first), used_(0) {}
    struct TwoBlocks {};
    /// The same sequence, its first two blocks computed together (their rounds interleaved, so the
    /// processor overlaps them): for decisions known to take three or four uniforms.
    Draws(const RandomKey& key, std::uint32_t stream, std::uint32_t entity, std::uint32_t time, TwoBlocks) noexcept
        : key_(key.key()), ctr_{{stream, entity, time, 2u}}, used_(0), has_next_(true) {
        DrawBlock a{{stream, entity, time, 0u}}, b{{stream, entity, time, 1u}};
        r123::Philox4x32::key_type k = key_;
        for (int round = 0; round < 10; ++round) {
            if (round > 0) k = _philox4x32bumpkey(k);
            a = _philox4x32round(a, k);
            b = _philox4x32round(b, k);
        }
        block_ = a;
        next_ = b;
    }

    /// Uniform on the open interval (0, 1), 53-bit resolution. Inline, with the block refill:
    /// the daily loop draws a few numbers per decision, so a call per draw is most of their cost.
    double uniform() noexcept {
        if (used_ > 2) refill();
        const std::uint64_t hi = block_.v[used_];
        const std::uint64_t lo = block_.v[used_ + 1];
        used_ += 2;
        const std::uint64_t bits = ((hi << 32) | lo) >> 11;    // 53 bits
        return (static_cast<double>(bits) + 0.5) * 0x1.0p-53;  // never 0 or 1
    }
    /// True with probability p.
    bool bernoulli(double p) noexcept { return uniform() < p; }
    /// Exponential with the given rate (per unit time); +inf when rate <= 0.
    double exponential(double rate) noexcept {
        const double u = uniform();
        if (!(rate > 0.0)) return std::numeric_limits<double>::infinity();
        return -std::log(u) / rate;
    }
    /// Standard normal (Box-Muller, one value per two uniforms).
    double normal() noexcept;
    /// Poisson by inversion (exact; intended for small means, as in daily entries).
    std::uint32_t poisson(double mean) noexcept { return poisson(mean, std::exp(-mean)); }
    /// The same, given exp(-mean) (a caller drawing many times with one mean computes it once).
    std::uint32_t poisson(double mean, double exp_neg_mean) noexcept;
    /// Index i with probability weights[i] / sum(weights). Weights must be >= 0, sum > 0.
    std::size_t categorical(std::span<const double> weights) noexcept;
    /// Uniform integer in [0, n).
    std::uint32_t below(std::uint32_t n) noexcept;

private:
    void refill() noexcept {
        if (has_next_) {
            block_ = next_;
            has_next_ = false;
        } else {
            block_ = philox_(ctr_, key_);
            ++ctr_.v[3];
        }
        used_ = 0;
    }

    r123::Philox4x32 philox_{};
    r123::Philox4x32::key_type key_{};
    r123::Philox4x32::ctr_type ctr_{};
    r123::Philox4x32::ctr_type block_{};
    r123::Philox4x32::ctr_type next_{};  // the second block when computed with the first (TwoBlocks)
    int used_ = 4;                       // 32-bit words of block_ already consumed
    bool has_next_ = false;
};

}  // namespace cpcsim
