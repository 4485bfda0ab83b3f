#include "io/zero_run_deflate.hpp"

#include <algorithm>
#include <array>
#include <cstring>
#include <limits>
#include <queue>
#include <stdexcept>
#include <string>
#include <utility>

namespace cpcsim::io {
namespace {

constexpr std::uint32_t kAdlerMod = 65521;

// Length symbols 257..285 (RFC 1951 3.2.5): base length and extra bits.
constexpr std::array<int, 29> kLengthBase = {3,  4,  5,  6,  7,  8,  9,  10, 11,  13,  15,  17,  19,  23, 27,
                                             31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258};
constexpr std::array<int, 29> kLengthExtra = {0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2,
                                              2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0};

/// The length symbol's index (0..28) for each match length 3..258.
constexpr std::array<std::uint8_t, 259> make_length_index() {
    std::array<std::uint8_t, 259> t{};
    for (int len = 3; len <= 258; ++len) {
        int s = 28;
        while (kLengthBase[static_cast<std::size_t>(s)] > len) --s;
        t[static_cast<std::size_t>(len)] = static_cast<std::uint8_t>(s);
    }
    return t;
}
constexpr auto kLengthIndex = make_length_index();

/// Bits reversed: deflate sends Huffman codes most significant bit first into an LSB-first stream.
constexpr std::uint32_t reversed(std::uint32_t code, int bits) {
    std::uint32_t r = 0;
    for (int i = 0; i < bits; ++i) r |= ((code >> i) & 1u) << (bits - 1 - i);
    return r;
}

class BitWriter {
public:
    explicit BitWriter(std::size_t reserve) { out_.reserve(reserve); }
    [[gnu::always_inline]] void put(std::uint32_t bits, int count) {
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

private:
    std::vector<std::uint8_t> out_;
    std::uint64_t acc_ = 0;
    int n_ = 0;
};

/// The data as deflate tokens (a literal byte 0..255, or 256 + a match length 3..258 at
/// distance 1) and the Adler-32 of the bytes they stand for.
class Tokenizer {
public:
    explicit Tokenizer(std::size_t reserve) { tokens_.reserve(reserve); }
    void literal(std::uint8_t b) {
        tokens_.push_back(b);
        a_ = (a_ + b) % kAdlerMod;
        b_ = (b_ + a_) % kAdlerMod;
        last_zero_ = b == 0;
        any_ = true;
    }
    void zeros(std::uint64_t k) {
        if (k == 0) return;
        b_ = static_cast<std::uint32_t>((b_ + (k % kAdlerMod) * a_) % kAdlerMod);
        if (!any_ || !last_zero_) {  // a distance-1 match needs a zero before it
            tokens_.push_back(0);
            any_ = last_zero_ = true;
            --k;
        }
        while (k >= 3) {
            std::uint64_t m = k < 258 ? k : 258;
            if (k - m == 1 || k - m == 2) m = k - 3;  // leave a match, never 1-2 bytes, behind
            tokens_.push_back(static_cast<std::uint16_t>(256 + m));
            k -= m;
        }
        for (; k > 0; --k) tokens_.push_back(0);
    }
    [[nodiscard]] std::uint32_t adler() const { return (b_ << 16) | a_; }
    [[nodiscard]] const std::vector<std::uint16_t>& tokens() const { return tokens_; }

private:
    std::vector<std::uint16_t> tokens_;
    std::uint32_t a_ = 1, b_ = 0;
    bool last_zero_ = false, any_ = false;
};

/// Huffman code lengths for `freq` (at least two symbols), none longer than `limit`; symbols
/// of frequency 0 get 0. Frequencies are halved until the lengths fit the limit, which costs
/// little on these alphabets.
std::vector<int> code_lengths(std::vector<std::uint64_t> freq, int limit) {
    std::vector<int> len(freq.size(), 0);
    std::vector<std::size_t> used;
    for (std::size_t s = 0; s < freq.size(); ++s)
        if (freq[s] > 0) used.push_back(s);
    if (used.empty()) return len;
    if (used.size() == 1) {  // a lone symbol: one bit, with an unused partner to complete the code
        len[used[0]] = 1;
        len[used[0] == 0 ? 1 : 0] = 1;
        return len;
    }
    while (true) {
        // Nodes: leaves 0..n-1 then internal nodes; a min-heap on (weight, node) for a fixed order.
        const std::size_t n = used.size();
        std::vector<std::uint64_t> weight(2 * n);
        std::vector<std::size_t> parent(2 * n, 0);
        using Item = std::pair<std::uint64_t, std::size_t>;
        std::priority_queue<Item, std::vector<Item>, std::greater<>> heap;
        for (std::size_t i = 0; i < n; ++i) heap.emplace(weight[i] = freq[used[i]], i);
        std::size_t next = n;
        while (heap.size() > 1) {
            const auto [wa, a] = heap.top();
            heap.pop();
            const auto [wb, b] = heap.top();
            heap.pop();
            weight[next] = wa + wb;
            parent[a] = parent[b] = next;
            heap.emplace(weight[next], next);
            ++next;
        }
        const std::size_t root = next - 1;
        std::vector<int> depth(2 * n, 0);
        for (std::size_t i = root; i-- > 0;) depth[i] = depth[parent[i]] + 1;
        int longest = 0;
        for (std::size_t i = 0; i < n; ++i) longest = std::max(longest, depth[i]);
        if (longest <= limit) {
            for (std::size_t i = 0; i < n; ++i) len[used[i]] = depth[i];
            return len;
        }
        for (const auto s : used) freq[s] = std::max<std::uint64_t>(1, freq[s] / 2);
    }
}

/// Canonical codes (RFC 1951 3.2.2) for `len`, bit-reversed ready to send.
std::vector<std::uint32_t> canonical_codes(const std::vector<int>& len) {
    std::array<std::uint32_t, 16> count{}, next{};
    for (const int l : len)
        if (l > 0) ++count[static_cast<std::size_t>(l)];
    std::uint32_t code = 0;
    for (std::size_t bits = 1; bits < 16; ++bits) {
        code = (code + count[bits - 1]) << 1;
        next[bits] = code;
    }
    std::vector<std::uint32_t> codes(len.size(), 0);
    for (std::size_t s = 0; s < len.size(); ++s)
        if (len[s] > 0) codes[s] = reversed(next[static_cast<std::size_t>(len[s])]++, len[s]);
    return codes;
}

/// One deflate block with dynamic Huffman codes for `tokens` (distance always 1), last block.
void write_dynamic_block(BitWriter& w, const std::vector<std::uint16_t>& tokens) {
    std::vector<std::uint64_t> freq(286, 0);
    for (const auto t : tokens) ++freq[t < 256 ? t : 257 + kLengthIndex[t - 256]];
    freq[256] = 1;  // end of block
    const auto lit_len = code_lengths(freq, 15);
    const auto lit_code = canonical_codes(lit_len);
    std::size_t nlit = 286;
    while (nlit > 257 && lit_len[nlit - 1] == 0) --nlit;
    // Distance code 0 (distance 1) is the only one sent; code 1 completes the code.
    const std::vector<int> dist_len = {1, 1};

    // The code lengths of both alphabets, run-length coded (RFC 1951 3.2.7) with 16/17/18.
    std::vector<int> lengths(lit_len.begin(), lit_len.begin() + static_cast<std::ptrdiff_t>(nlit));
    lengths.insert(lengths.end(), dist_len.begin(), dist_len.end());
    struct Rle {
        int sym, extra, extra_bits;
    };
    std::vector<Rle> rle;
    for (std::size_t i = 0; i < lengths.size();) {
        const int l = lengths[i];
        std::size_t run = 1;
        while (i + run < lengths.size() && lengths[i + run] == l) ++run;
        std::size_t left = run;
        if (l == 0) {
            while (left >= 11) {
                const auto k = std::min<std::size_t>(left, 138);
                rle.push_back({18, static_cast<int>(k - 11), 7});
                left -= k;
            }
            if (left >= 3) {
                rle.push_back({17, static_cast<int>(left - 3), 3});
                left = 0;
            }
        } else {
            rle.push_back({l, 0, 0});
            --left;
            while (left >= 3) {
                const auto k = std::min<std::size_t>(left, 6);
                rle.push_back({16, static_cast<int>(k - 3), 2});
                left -= k;
            }
        }
        for (; left > 0; --left) rle.push_back({l, 0, 0});
        i += run;
    }
    std::vector<std::uint64_t> cl_freq(19, 0);
    for (const auto& r : rle) ++cl_freq[static_cast<std::size_t>(r.sym)];
    const auto cl_len = code_lengths(cl_freq, 7);
    const auto cl_code = canonical_codes(cl_len);
    constexpr std::array<int, 19> kOrder = {16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15};
    std::size_t nclen = 19;
    while (nclen > 4 && cl_len[static_cast<std::size_t>(kOrder[nclen - 1])] == 0) --nclen;

    w.put(1, 1), w.put(2, 2);  // the last block, dynamic Huffman codes
    w.put(static_cast<std::uint32_t>(nlit - 257), 5);
    w.put(static_cast<std::uint32_t>(dist_len.size() - 1), 5);
    w.put(static_cast<std::uint32_t>(nclen - 4), 4);
    for (std::size_t i = 0; i < nclen; ++i)
        w.put(static_cast<std::uint32_t>(cl_len[static_cast<std::size_t>(kOrder[i])]), 3);
    for (const auto& r : rle) {
        const auto s = static_cast<std::size_t>(r.sym);
        w.put(cl_code[s], cl_len[s]);
        if (r.extra_bits > 0) w.put(static_cast<std::uint32_t>(r.extra), r.extra_bits);
    }
    for (const auto t : tokens) {
        if (t < 256) {
            w.put(lit_code[t], lit_len[t]);
        } else {
            const int m = t - 256;
            const auto s = kLengthIndex[static_cast<std::size_t>(m)];
            w.put(lit_code[257 + s], lit_len[257 + s]);
            if (kLengthExtra[s] > 0) w.put(static_cast<std::uint32_t>(m - kLengthBase[s]), kLengthExtra[s]);
            w.put(0, 1);  // distance code 0
        }
    }
    w.put(lit_code[256], lit_len[256]);  // end of block
}

/// Indices of the non-zero words of w[0, n), ascending: one pass, blocks of 16 zero words (most of
/// a mostly-zero table) skipped with one test. Each byte plane then visits these only.
std::vector<std::uint32_t> nonzero_words(const std::uint32_t* w, std::size_t n) {
    std::vector<std::uint32_t> at;
    at.reserve(n / 8 + 16);
    std::size_t i = 0;
    for (; i + 16 <= n; i += 16) {
        std::uint32_t acc = 0;
        for (std::size_t k = 0; k < 16; ++k) acc |= w[i + k];
        if (acc == 0) continue;
        for (std::size_t k = i; k < i + 16; ++k)
            if (w[k] != 0) at.push_back(static_cast<std::uint32_t>(k));
    }
    for (; i < n; ++i)
        if (w[i] != 0) at.push_back(static_cast<std::uint32_t>(i));
    return at;
}

/// Tokens of n 4-byte elements that are zero but at at[k] (ascending), where they are value_of(k):
/// each byte plane is zeros up to the next element whose byte in the plane is not zero, then it.
template <class ValueOf>
void tokenize_planes4(Tokenizer& tok, std::size_t n, std::span<const std::uint32_t> at, ValueOf value_of) {
    for (int plane = 0; plane < 4; ++plane) {
        std::size_t next = 0;  // the first element of the plane not yet tokenised
        for (std::size_t k = 0; k < at.size(); ++k) {
            const auto b = static_cast<std::uint8_t>(value_of(k) >> (8 * plane));
            if (b == 0) continue;
            tok.zeros(at[k] - next);
            tok.literal(b);
            next = std::size_t{at[k]} + 1;
        }
        tok.zeros(n - next);
    }
}

/// The zlib stream of the tokens: header, one dynamic block, Adler-32.
std::vector<std::uint8_t> zlib_stream(const Tokenizer& tok, std::size_t raw_bytes) {
    BitWriter w(64 + tok.tokens().size() + raw_bytes / 64);
    w.put(0x78, 8), w.put(0x01, 8);  // zlib header: deflate, 32 KiB window, no dictionary
    write_dynamic_block(w, tok.tokens());
    auto out = w.finish();
    const std::uint32_t adler = tok.adler();
    for (int s = 24; s >= 0; s -= 8) out.push_back(static_cast<std::uint8_t>(adler >> s));
    return out;
}
}  // namespace

std::vector<std::uint8_t> shuffle_zero_run_deflate(std::span<const std::byte> data, std::size_t element_size) {
    if (element_size == 0 || data.size() % element_size != 0)
        throw std::invalid_argument("shuffle_zero_run_deflate: " + std::to_string(data.size()) +
                                    " bytes are not whole elements of " + std::to_string(element_size));
    const std::size_t n = data.size() / element_size;
    const auto* bytes = reinterpret_cast<const std::uint8_t*>(data.data());
    // Word loads need 4-byte alignment; a caller's span that lacks it is copied.
    std::vector<std::uint32_t> copy;
    const auto* words = reinterpret_cast<const std::uint32_t*>(bytes);
    if (element_size == 4 && reinterpret_cast<std::uintptr_t>(bytes) % alignof(std::uint32_t) != 0) {
        copy.resize(n);
        std::memcpy(copy.data(), bytes, data.size());
        words = copy.data();
    }
    Tokenizer tok(64 + data.size() / 16);
    if (element_size == 4 && n <= std::numeric_limits<std::uint32_t>::max()) {
        const auto at = nonzero_words(words, n);
        tokenize_planes4(tok, n, at, [&](std::size_t k) { return words[at[k]]; });
    } else {
        for (std::size_t plane = 0; plane < element_size; ++plane) {
            std::size_t i = 0;
            while (i < n) {
                std::size_t j = i;
                while (j < n && bytes[j * element_size + plane] == 0) ++j;
                tok.zeros(j - i);
                if (j == n) break;
                tok.literal(bytes[j * element_size + plane]);
                i = j + 1;
            }
        }
    }
    return zlib_stream(tok, data.size());
}

std::vector<std::uint8_t> shuffle_zero_run_deflate_sparse(std::size_t n, std::span<const std::uint32_t> index,
                                                          std::span<const std::uint32_t> value) {
    if (index.size() != value.size())
        throw std::invalid_argument("shuffle_zero_run_deflate_sparse: " + std::to_string(index.size()) +
                                    " indices but " + std::to_string(value.size()) + " values");
    for (std::size_t k = 0; k < index.size(); ++k)
        if (index[k] >= n || (k > 0 && index[k] <= index[k - 1]))
            throw std::invalid_argument("shuffle_zero_run_deflate_sparse: index " + std::to_string(index[k]) +
                                        " at position " + std::to_string(k) + " is not ascending within [0, " +
                                        std::to_string(n) + ")");
    Tokenizer tok(64 + index.size() * 4);
    tokenize_planes4(tok, n, index, [&](std::size_t k) { return value[k]; });
    return zlib_stream(tok, n * 4);
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
