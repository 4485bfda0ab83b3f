// cpcsim's zero-run deflate (io/zero_run_deflate.hpp) against zlib's inflate: for any bytes and
// element size, the stream must inflate (Adler-32 checked) to exactly HDF5's shuffle of them.
// Byte 0 picks the element size (1, 2, 4, 8); if byte 1 is odd the rest is read as (zero-run
// length, value) triples, so that long runs of zeros, the tables' common case, are exercised.
// For 4-byte elements the stream made from the non-zero words alone must be the same bytes.
#include "io/zero_run_deflate.hpp"

#include <zlib.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 2) return 0;
    const std::size_t es = std::size_t{1} << (data[0] % 4);
    std::vector<std::uint8_t> raw;
    if (data[1] % 2 == 1) {
        for (std::size_t i = 2; i + 2 < size && raw.size() < (1u << 20); i += 3) {
            raw.insert(raw.end(), static_cast<std::size_t>(data[i]) * 16 + data[i + 1], 0);
            raw.push_back(data[i + 2]);
        }
    } else {
        raw.assign(data + 2, data + size);
    }
    raw.resize(raw.size() - raw.size() % es);
    const std::size_t n = raw.size() / es;
    std::vector<std::uint8_t> shuffled(raw.size());
    for (std::size_t b = 0; b < es; ++b)
        for (std::size_t i = 0; i < n; ++i) shuffled[b * n + i] = raw[i * es + b];

    const auto stream =
        cpcsim::io::shuffle_zero_run_deflate(std::span(reinterpret_cast<const std::byte*>(raw.data()), raw.size()), es);
    std::vector<std::uint8_t> back(raw.size() + 1);
    uLongf len = static_cast<uLongf>(back.size());
    const int rc = uncompress(back.data(), &len, stream.data(), static_cast<uLong>(stream.size()));
    if (rc != Z_OK || len != raw.size() || (!raw.empty() && std::memcmp(back.data(), shuffled.data(), raw.size()) != 0))
        std::abort();
    if (es == 4) {  // the same stream from the non-zero words alone
        std::vector<std::uint32_t> index, bits;
        for (std::size_t i = 0; i < n; ++i) {
            std::uint32_t w = 0;
            std::memcpy(&w, raw.data() + i * 4, 4);
            if (w != 0) index.push_back(static_cast<std::uint32_t>(i)), bits.push_back(w);
        }
        if (cpcsim::io::shuffle_zero_run_deflate_sparse(n, index, bits) != stream) std::abort();
    }
    return 0;
}
