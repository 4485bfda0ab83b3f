// cpcsim's own compression of mostly-zero chunks (io/zero_run_deflate.hpp): what it stores must
// be what HDF5 itself would accept from shuffle -> deflate -> Fletcher-32, for any values.
#include "io/h5.hpp"
#include "io/zero_run_deflate.hpp"
#include "io_test_util.hpp"

#include <hdf5.h>
#include <catch2/catch.hpp>

#include <cstdint>
#include <filesystem>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

using namespace cpcsim::io;
using cpcsim::io::test::TempDir;

namespace {

/// `n` values, a share `density` of them non-zero, drawn over the whole int32 range or small.
std::vector<std::int32_t> sparse_values(std::size_t n, double density, std::uint32_t seed, bool wide) {
    std::mt19937 rng(seed);
    std::uniform_real_distribution<double> u(0, 1);
    std::uniform_int_distribution<std::int32_t> small(-3, 300),
        any(std::numeric_limits<std::int32_t>::min(), std::numeric_limits<std::int32_t>::max());
    std::vector<std::int32_t> v(n, 0);
    for (auto& x : v)
        if (u(rng) < density) {
            x = wide ? any(rng) : small(rng);
            if (x == 0) x = 1;
        }
    return v;
}

/// Writes `values` (shape `shape`) slab by slab with mostly_zero, reads them back through HDF5.
std::vector<std::int32_t> round_trip(const TempDir& dir, const std::vector<std::int32_t>& values, const Shape& shape,
                                     bool mostly_zero, DatasetInfo* info = nullptr) {
    const auto path = dir / "t.h5";
    std::filesystem::remove(path);
    {
        auto f = File::create(path);
        f.write_dataset_by_slabs<std::int32_t>(
            "x", shape, {.deflate_level = 2, .mostly_zero = mostly_zero},
            [&](const Shape& start, const Shape& count, std::span<std::int32_t> out) {
                // Row-major copy of the slab out of the whole array.
                std::size_t k = 0;
                Shape idx = start;
                const std::uint64_t n = element_count(count);
                for (std::uint64_t e = 0; e < n; ++e) {
                    std::uint64_t flat = 0;
                    for (std::size_t d = 0; d < shape.size(); ++d) flat = flat * shape[d] + idx[d];
                    out[k++] = values[flat];
                    for (std::size_t d = shape.size(); d-- > 0;) {
                        if (++idx[d] < start[d] + count[d]) break;
                        idx[d] = start[d];
                    }
                }
            });
        f.close();
    }
    auto f = File::open_read_only(path);
    const auto ds = f.open_dataset("x");
    if (info) *info = ds.info();
    auto a = ds.read<std::int32_t>();
    CHECK(a.shape == shape);
    return a.values;
}

/// Bytes of the dataset's stored chunks (all of them).
std::uint64_t stored_bytes(const std::filesystem::path& path) {
    const hid_t f = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
    const hid_t d = H5Dopen2(f, "x", H5P_DEFAULT);
    const auto n = H5Dget_storage_size(d);
    H5Dclose(d);
    H5Fclose(f);
    return n;
}

}  // namespace

TEST_CASE("zero-run deflate chunks read back through HDF5's own filters, any values", "[unit][io]") {
    TempDir dir;
    // 3 x 37 x 1000 int32: chunks of whole rows, an edge chunk along the first dimension
    // (the writer pads it to full chunk extent), runs of zeros of every length.
    const Shape shape{3, 37, 1000};
    const std::size_t n = 3 * 37 * 1000;
    for (const double density : {0.0, 0.001, 0.08, 0.5, 1.0})
        for (const bool wide : {false, true}) {
            INFO("density " << density << (wide ? ", any int32" : ", small counts"));
            const auto values = sparse_values(n, density, static_cast<std::uint32_t>(density * 1000) + wide, wide);
            DatasetInfo info;
            CHECK(round_trip(dir, values, shape, true, &info) == values);
            // Stored with the standard pipeline any HDF5 reader knows.
            CHECK(info.layout == Layout::chunked);
            CHECK(info.filters == std::vector<std::string>{"shuffle", "deflate(2)", "fletcher32"});
        }
}

TEST_CASE("zero runs of lengths around the match limits are encoded exactly", "[unit][io]") {
    TempDir dir;
    // Deflate matches are 3..258 bytes: runs of 1, 2, 3, 257..262, 516, 517 and a long tail,
    // at the start, between non-zeros and at the end of each shuffled byte plane.
    std::vector<std::int32_t> v;
    for (const int run : {0, 1, 2, 3, 4, 257, 258, 259, 260, 261, 262, 516, 517, 1000}) {
        v.insert(v.end(), static_cast<std::size_t>(run), 0);
        v.push_back(run % 2 == 0 ? 0x01020304 : -1);
        v.push_back(7);
    }
    v.insert(v.end(), 5000, 0);
    const Shape shape{v.size()};
    CHECK(round_trip(dir, v, shape, true) == v);
}

TEST_CASE("zero-run deflate stores a mostly-zero table smaller than its raw bytes", "[unit][io]") {
    TempDir dir;
    const Shape shape{4, 50000};
    const auto zeros = std::vector<std::int32_t>(200000, 0);
    CHECK(round_trip(dir, zeros, shape, true) == zeros);
    CHECK(stored_bytes(dir / "t.h5") < 2000);  // 800 kB of zeros: a few bits per 258 zeros
    const auto sparse = sparse_values(200000, 0.08, 5, false);
    CHECK(round_trip(dir, sparse, shape, true) == sparse);
    const auto ours = stored_bytes(dir / "t.h5");
    CHECK(round_trip(dir, sparse, shape, false) == sparse);  // zlib through HDF5's pipeline
    const auto zlib = stored_bytes(dir / "t.h5");
    INFO("zero-run deflate " << ours << " bytes, zlib level 2 " << zlib << " bytes");
    CHECK(ours < zlib);  // runs of zeros cost less as matches than zlib's hashed search finds
}

TEST_CASE("HDF5's Fletcher-32 as the filter computes it", "[unit][io]") {
    TempDir dir;
    // A chunk stored by HDF5's own pipeline ends with the checksum of the bytes before it.
    const auto path = dir / "f.h5";
    {
        auto f = File::create(path);
        const auto values = sparse_values(100000, 0.3, 11, true);
        f.write_dataset("x", values, Shape{values.size()}, {.deflate_level = 4});
        f.close();
    }
    const hid_t f = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
    const hid_t d = H5Dopen2(f, "x", H5P_DEFAULT);
    const hsize_t origin[1] = {0};
    hsize_t size = 0;
    REQUIRE(H5Dget_chunk_storage_size(d, origin, &size) >= 0);
    std::vector<std::uint8_t> chunk(size);
    std::uint32_t mask = 0;
    REQUIRE(H5Dread_chunk(d, H5P_DEFAULT, origin, &mask, chunk.data()) >= 0);
    H5Dclose(d);
    H5Fclose(f);
    REQUIRE(chunk.size() > 4);
    const std::uint32_t stored =
        static_cast<std::uint32_t>(chunk[size - 4]) | (static_cast<std::uint32_t>(chunk[size - 3]) << 8) |
        (static_cast<std::uint32_t>(chunk[size - 2]) << 16) | (static_cast<std::uint32_t>(chunk[size - 1]) << 24);
    CHECK(hdf5_fletcher32(std::span(chunk.data(), chunk.size() - 4)) == stored);
    // An odd length takes the last byte as the high half of a word.
    const std::vector<std::uint8_t> odd = {0x61, 0x62, 0x63, 0x64, 0x65};
    CHECK(hdf5_fletcher32(odd) == ((((0x6162u + (0x6162u + 0x6364u)) + (0x6162u + 0x6364u + 0x6500u)) % 0xffffu) << 16 |
                                   ((0x6162u + 0x6364u + 0x6500u) % 0xffffu)));
}

TEST_CASE("zero-run deflate rejects bytes that are not whole elements", "[unit][io]") {
    const std::vector<std::byte> seven(7);
    CHECK_THROWS_AS(shuffle_zero_run_deflate(seven, 4), std::invalid_argument);
    CHECK_THROWS_AS(shuffle_zero_run_deflate(seven, 0), std::invalid_argument);
    CHECK_NOTHROW(shuffle_zero_run_deflate(seven, 1));
}

TEST_CASE("write_dataset with mostly_zero cuts each chunk out of the array, edge chunks included", "[unit][io]") {
    TempDir dir;
    const auto path = dir / "w.h5";
    // Extents that the chunk shape does not divide, so chunks at the far edge of several
    // dimensions are partial; int32 counts and float64 values.
    const Shape shape{5, 13, 7, 5, 4, 2, 19};  // 1.4 MB: chunks of 3 along the first dimension (at most 1 MiB)
    const std::size_t n = 5 * 13 * 7 * 5 * 4 * 2 * 19;
    const auto ints = sparse_values(n, 0.27, 11, false);
    std::vector<double> reals(n, 0.0);
    for (std::size_t i = 0; i < n; ++i)
        if (ints[i] != 0) reals[i] = ints[i] * 0.37 + 1e-3 * static_cast<double>(i);
    {
        auto f = File::create(path);
        f.write_dataset("i", ints, shape, {.deflate_level = 2, .mostly_zero = true});
        f.write_dataset("r", reals, {n / 19, 19}, {.mostly_zero = true});
        f.write_dataset("small", std::vector<std::int32_t>{0, 5, 0}, {3}, {.mostly_zero = true});
        f.close();
    }
    auto f = File::open_read_only(path);
    const auto i = f.open_dataset("i");
    const auto info = i.info();
    CHECK(info.layout == Layout::chunked);
    CHECK(info.filters == std::vector<std::string>{"shuffle", "deflate(2)", "fletcher32"});
    // More than one chunk along some dimension, and a partial one: the cut-out is exercised.
    bool partial = false;
    std::uint64_t chunks = 1;
    for (std::size_t d = 0; d < shape.size(); ++d) {
        chunks *= (shape[d] + info.chunk[d] - 1) / info.chunk[d];
        partial |= shape[d] % info.chunk[d] != 0;
    }
    INFO("chunk " << shape_to_string(info.chunk) << ", " << chunks << " chunks");
    CHECK(chunks > 1);
    CHECK(partial);
    const auto a = i.read<std::int32_t>();
    CHECK(a.shape == shape);
    CHECK(a.values == ints);
    const auto r = f.read<double>("r");
    CHECK(r.values == reals);
    CHECK(f.read<std::int32_t>("small").values == std::vector<std::int32_t>{0, 5, 0});
}

TEST_CASE("zero-run deflate from non-zero entries gives the dense encoder's bytes", "[unit][io]") {
    for (const double density : {0.0, 0.001, 0.08, 0.5, 1.0})
        for (const bool wide : {false, true}) {
            INFO("density " << density << (wide ? ", any int32" : ", small counts"));
            const std::size_t n = 37 * 1000 + 3;
            const auto values = sparse_values(n, density, static_cast<std::uint32_t>(density * 777) + wide, wide);
            std::vector<std::uint32_t> index, bits;
            for (std::size_t i = 0; i < n; ++i)
                if (values[i] != 0) index.push_back(static_cast<std::uint32_t>(i)), bits.push_back(values[i]);
            const auto dense =
                shuffle_zero_run_deflate(std::as_bytes(std::span<const std::int32_t>(values)), sizeof(std::int32_t));
            CHECK(shuffle_zero_run_deflate_sparse(n, index, bits) == dense);
            // A zero value among the entries is a zero like any other.
            if (!index.empty() && index.front() > 0) {
                index.insert(index.begin(), 0), bits.insert(bits.begin(), 0u);
                CHECK(shuffle_zero_run_deflate_sparse(n, index, bits) == dense);
            }
        }
    // Entries at the first and last element, and none at all.
    std::vector<std::int32_t> ends(300, 0);
    ends.front() = 0x01000001;
    ends.back() = -2;
    const std::vector<std::uint32_t> at = {0, 299}, v = {0x01000001u, static_cast<std::uint32_t>(-2)};
    CHECK(shuffle_zero_run_deflate_sparse(300, at, v) ==
          shuffle_zero_run_deflate(std::as_bytes(std::span<const std::int32_t>(ends)), 4));
    const std::vector<std::int32_t> none(300, 0);
    CHECK(shuffle_zero_run_deflate_sparse(300, {}, {}) ==
          shuffle_zero_run_deflate(std::as_bytes(std::span<const std::int32_t>(none)), 4));
}

TEST_CASE("zero-run deflate from entries refuses indices out of order or range", "[unit][io]") {
    const std::vector<std::uint32_t> two = {1, 2};
    CHECK_THROWS_AS(shuffle_zero_run_deflate_sparse(10, std::vector<std::uint32_t>{3, 3}, two), std::invalid_argument);
    CHECK_THROWS_AS(shuffle_zero_run_deflate_sparse(10, std::vector<std::uint32_t>{4, 2}, two), std::invalid_argument);
    CHECK_THROWS_AS(shuffle_zero_run_deflate_sparse(10, std::vector<std::uint32_t>{4, 10}, two), std::invalid_argument);
    CHECK_THROWS_AS(shuffle_zero_run_deflate_sparse(10, std::vector<std::uint32_t>{4}, two), std::invalid_argument);
}

TEST_CASE("an int32 dataset written from each chunk's non-zero entries reads back whole", "[unit][io]") {
    TempDir dir;
    const auto path = dir / "s.h5";
    // Like runs/monthly: runs x months x cells x counters, chunks of a block of months of one run
    // (at most 1 MiB: 38 of the 75 months), the last block of each run partial.
    const Shape shape{2, 75, 5, 4, 3, 2, 37};
    const std::size_t n = 2 * 75 * 5 * 4 * 3 * 2 * 37;
    const auto values = sparse_values(n, 0.08, 21, false);
    for (const bool mostly_zero : {true, false}) {
        INFO((mostly_zero ? "encoded from the entries" : "laid out densely, HDF5's own filters"));
        std::filesystem::remove(path);
        Shape chunk_seen;
        {
            auto f = File::create(path);
            f.write_int32_by_sparse_chunks("x", shape, {.deflate_level = 2, .mostly_zero = mostly_zero},
                                           [&](const Shape& start, const Shape& count, const Shape& chunk,
                                               std::vector<std::uint32_t>& index, std::vector<std::uint32_t>& bits) {
                                               chunk_seen = chunk;
                                               // Every element of the block, at its place in the chunk laid out at full
                                               // extent.
                                               Shape idx(shape.size(), 0);
                                               const std::uint64_t total = element_count(count);
                                               for (std::uint64_t e = 0; e < total; ++e) {
                                                   std::uint64_t flat = 0, in_chunk = 0;
                                                   for (std::size_t d = 0; d < shape.size(); ++d) {
                                                       flat = flat * shape[d] + start[d] + idx[d];
                                                       in_chunk = in_chunk * chunk[d] + idx[d];
                                                   }
                                                   if (values[flat] != 0) {
                                                       index.push_back(static_cast<std::uint32_t>(in_chunk));
                                                       bits.push_back(static_cast<std::uint32_t>(values[flat]));
                                                   }
                                                   for (std::size_t d = shape.size(); d-- > 0;) {
                                                       if (++idx[d] < count[d]) break;
                                                       idx[d] = 0;
                                                   }
                                               }
                                           });
            f.close();
        }
        auto f = File::open_read_only(path);
        const auto ds = f.open_dataset("x");
        const auto info = ds.info();
        CHECK(info.layout == Layout::chunked);
        CHECK(info.filters == std::vector<std::string>{"shuffle", "deflate(2)", "fletcher32"});
        CHECK(shape[1] % chunk_seen[1] != 0);  // edge chunks were written
        const auto a = ds.read<std::int32_t>();
        CHECK(a.shape == shape);
        CHECK(a.values == values);
    }
}
