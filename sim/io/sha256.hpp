// SHA-256 (FIPS 180-4), for content digests of results files (`cpcsim info --digest`).
// Written from the standard; checked against its example vectors in tests/io/test_digest.cpp.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace cpcsim::io {

/// Incremental SHA-256: add() any number of times, then hex() once.
class Sha256 {
public:
    Sha256() noexcept;
    Sha256& add(const void* data, std::size_t size) noexcept;
    Sha256& add(std::string_view text) noexcept { return add(text.data(), text.size()); }
    /// The digest as 64 lower-case hex digits. Finishes the hash: call once.
    [[nodiscard]] std::string hex();

private:
    void block(const std::uint8_t* p) noexcept;
    std::array<std::uint32_t, 8> h_;
    std::array<std::uint8_t, 64> buf_{};
    std::size_t used_ = 0;
    std::uint64_t total_ = 0;  ///< bytes added
};

}  // namespace cpcsim::io
