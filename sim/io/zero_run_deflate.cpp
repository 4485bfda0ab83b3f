#include "io/zero_run_deflate.hpp"

#include <array>
#include <cstring>
#include <stdexcept>
#include <string>
#include <utility>

namespace cpcsim::io {
namespace {

constexpr std::uint32_t kAdlerMod = 65521;

/// Bits reversed: deflate sends Huffman codes most significant bit first into an LSB-first stream.
constexpr std::uint32_t reversed(std::uint32_t code, int bits) {
    std::uint32_t r = 0;
    for (int i = 0; i < bits; ++i) r |= ((code >> i) & 1u) << (bits - 1 - i);
    return r;
}

/// A match of length 3..258 at distance 1, as the bits to send (fixed codes, RFC 1951 3.2.6).
struct MatchBits {
    std::uint32_t bits = 0;
    int count = 0;
};

constexpr std::array<MatchBits, 259> make_match_table() {
    // Length symbols 257..285: base length and extra bits.
    constexpr std::array<int, 29> base = {3,  4,  5,  6,  7,  8,  9,  10, 11,  13,  15,  17,  19,  23, 27,
                                          31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258};
    constexpr std::array<int, 29> extra = {0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2,
                                           2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0};
    std::array<MatchBits, 259> t{};
    for (int len = 3; len <= 258; ++len) {
        int s = 28;
        while (base[static_cast<std::size_t>(s)] > len) --s;
        const int sym = 257 + s;
        // Fixed codes: 256..279 are 7 bits from 0; 280..287 are 8 bits from 0xC0.
        const auto [code, n] = sym <= 279 ? std::pair{static_cast<std::uint32_t>(sym - 256), 7}
                                          : std::pair{static_cast<std::uint32_t>(0xC0 + sym - 280), 8};
        MatchBits m;
        m.bits = reversed(code, n);
        m.count = n;
        const int e = extra[static_cast<std::size_t>(s)];
        m.bits |= static_cast<std::uint32_t>(len - base[static_cast<std::size_t>(s)]) << m.count;
        m.count += e;
        // Distance 1: distance code 0, five bits, no extra bits.
        m.count += 5;
        t[static_cast<std::size_t>(len)] = m;
    }
    return t;
}
constexpr auto kMatch = make_match_table();

constexpr std::array<MatchBits, 256> make_literal_table() {
    std::array<MatchBits, 256> t{};
    for (std::uint32_t b = 0; b < 256; ++b)
        t[b] = b < 144 ? MatchBits{reversed(0x30 + b, 8), 8} : MatchBits{reversed(0x190 + b - 144, 9), 9};
    return t;
}
constexpr auto kLiteral = make_literal_table();

class BitWriter {
public:
    explicit BitWriter(std::size_t reserve) { out_.reserve(reserve); }
    void put(std::uint32_t bits, int count) {
        acc_ |= static_cast<std::uint64_t>(bits) << n_;
        n_ += count;
        while (n_ >= 8) {
            out_.push_back(static_cast<std::uint8_t>(acc_));
            acc_ >>= 8;
            n_ -= 8;
        }
    }
    std::vector<std::uint8_t> finish() {
        if (n_ > 0) out_.push_back(static_cast<std::uint8_t>(acc_));
        acc_ = 0, n_ = 0;
        return std::move(out_);
    }
    void byte(std::uint8_t b) { put(b, 8); }

private:
    std::vector<std::uint8_t> out_;
    std::uint64_t acc_ = 0;
    int n_ = 0;
};

/// The deflate body and the Adler-32 of the bytes it encodes.
class Encoder {
public:
    explicit Encoder(BitWriter& w) : w_(w) {}
    void literal(std::uint8_t b) {
        const auto& c = kLiteral[b];
        w_.put(c.bits, c.count);
        a_ = (a_ + b) % kAdlerMod;
        b_ = (b_ + a_) % kAdlerMod;
        last_zero_ = b == 0;
        any_ = true;
    }
    void zeros(std::uint64_t k) {
        if (k == 0) return;
        b_ = static_cast<std::uint32_t>((b_ + (k % kAdlerMod) * a_) % kAdlerMod);
        if (!any_ || !last_zero_) {  // a distance-1 match needs a zero before it
            w_.put(kLiteral[0].bits, kLiteral[0].count);
            any_ = last_zero_ = true;
            --k;
        }
        while (k >= 3) {
            std::uint64_t m = k < 258 ? k : 258;
            if (k - m == 1 || k - m == 2) m = k - 3;  // leave a match, never 1-2 bytes, behind
            const auto& c = kMatch[m];
            w_.put(c.bits, c.count);
            k -= m;
        }
        for (; k > 0; --k) w_.put(kLiteral[0].bits, kLiteral[0].count);
    }
    [[nodiscard]] std::uint32_t adler() const { return (b_ << 16) | a_; }

private:
    BitWriter& w_;
    std::uint32_t a_ = 1, b_ = 0;
    bool last_zero_ = false, any_ = false;
};

/// First index >= i of plane `plane` (byte `plane` of each 4-byte element) that is non-zero, or n.
std::size_t next_nonzero4(const std::uint32_t* w, std::size_t i, std::size_t n, int plane) {
    const std::uint32_t mask = 0xFFu << (8 * plane);
    while (i + 16 <= n) {
        std::uint32_t acc = 0;
        for (int k = 0; k < 16; ++k) acc |= w[i + static_cast<std::size_t>(k)];
        if ((acc & mask) != 0) break;
        i += 16;
    }
    for (; i < n; ++i)
        if ((w[i] & mask) != 0) return i;
    return n;
}

}  // namespace

std::vector<std::uint8_t> shuffle_zero_run_deflate(std::span<const std::byte> data, std::size_t element_size) {
    if (element_size == 0 || data.size() % element_size != 0)
        throw std::invalid_argument("shuffle_zero_run_deflate: " + std::to_string(data.size()) +
                                    " bytes are not whole elements of " + std::to_string(element_size));
    const std::size_t n = data.size() / element_size;
    BitWriter w(64 + data.size() / 16);
    w.byte(0x78), w.byte(0x01);  // zlib header: deflate, 32 KiB window, no dictionary
    w.put(1, 1), w.put(1, 2);    // the last block, fixed Huffman codes
    Encoder e(w);
    const auto* bytes = reinterpret_cast<const std::uint8_t*>(data.data());
    // Word loads need 4-byte alignment; a caller's span that lacks it is copied.
    std::vector<std::uint32_t> copy;
    const std::uint32_t* words = reinterpret_cast<const std::uint32_t*>(bytes);
    if (element_size == 4 && reinterpret_cast<std::uintptr_t>(bytes) % alignof(std::uint32_t) != 0) {
        copy.resize(n);
        std::memcpy(copy.data(), bytes, data.size());
        words = copy.data();
    }
    for (std::size_t plane = 0; plane < element_size; ++plane) {
        std::size_t i = 0;
        while (i < n) {
            std::size_t j = i;
            if (element_size == 4) {
                j = next_nonzero4(words, i, n, static_cast<int>(plane));
            } else {
                while (j < n && bytes[j * element_size + plane] == 0) ++j;
            }
            e.zeros(j - i);
            if (j == n) break;
            e.literal(bytes[j * element_size + plane]);
            i = j + 1;
        }
    }
    w.put(0, 7);  // end of block: symbol 256, seven zero bits
    auto out = w.finish();
    const std::uint32_t adler = e.adler();
    for (int s = 24; s >= 0; s -= 8) out.push_back(static_cast<std::uint8_t>(adler >> s));
    return out;
}

std::uint32_t hdf5_fletcher32(std::span<const std::uint8_t> bytes) noexcept {
    // 16-bit words, big-endian, a trailing odd byte as the high half; sums folded every 360 words.
    std::uint32_t sum1 = 0, sum2 = 0;
    std::size_t words = bytes.size() / 2;
    const std::uint8_t* p = bytes.data();
    while (words > 0) {
        std::size_t block = words > 360 ? 360 : words;
        words -= block;
        for (; block > 0; --block, p += 2) {
            sum1 += (static_cast<std::uint32_t>(p[0]) << 8) | p[1];
            sum2 += sum1;
        }
        sum1 = (sum1 & 0xffff) + (sum1 >> 16);
        sum2 = (sum2 & 0xffff) + (sum2 >> 16);
    }
    if (bytes.size() % 2 != 0) {
        sum1 += static_cast<std::uint32_t>(*p) << 8;
        sum2 += sum1;
        sum1 = (sum1 & 0xffff) + (sum1 >> 16);
        sum2 = (sum2 & 0xffff) + (sum2 >> 16);
    }
    sum1 = (sum1 & 0xffff) + (sum1 >> 16);
    sum2 = (sum2 & 0xffff) + (sum2 >> 16);
    return (sum2 << 16) | sum1;
}

}  // namespace cpcsim::io
