// Content hashes of sweep plans: 64-bit FNV-1a over a canonical text, finished with the
// SplitMix64 mixer so that similar texts give unrelated hashes. Stable across platforms,
// compilers and runs (no std::hash), shown as 16 lower-case hex digits.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace cpcsim::sweep {

class Hasher {
public:
    Hasher& add(std::string_view text) noexcept {
        for (const char c : text) {
            h_ ^= static_cast<std::uint8_t>(c);
            h_ *= 0x100000001b3ULL;
        }
        return *this;
    }
    /// A field: its text and a separator that cannot occur in field text.
    Hasher& field(std::string_view text) noexcept {
        add(text);
        h_ ^= 0x1fULL;  // ASCII unit separator
        h_ *= 0x100000001b3ULL;
        return *this;
    }
    [[nodiscard]] std::uint64_t value() const noexcept { return mix(h_); }

    /// The SplitMix64 finaliser.
    static constexpr std::uint64_t mix(std::uint64_t z) noexcept {
        z += 0x9e3779b97f4a7c15ULL;
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        return z ^ (z >> 31);
    }

private:
    std::uint64_t h_ = 0xcbf29ce484222325ULL;
};

/// 16 lower-case hex digits.
[[nodiscard]] inline std::string hex64(std::uint64_t v) {
    static constexpr char digits[] = "0123456789abcdef";
    std::string s(16, '0');
    for (int i = 15; i >= 0; --i, v >>= 4) s[static_cast<std::size_t>(i)] = digits[v & 0xf];
    return s;
}

}  // namespace cpcsim::sweep
