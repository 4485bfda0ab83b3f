// Compression of mostly-zero chunks, done by cpcsim instead of HDF5's filter pipeline: the
// bytes HDF5 would store for a chunk under shuffle -> deflate -> Fletcher-32, produced in time
// proportional to the non-zero bytes. zlib spends ~2 ns on every byte, zeros included, which
// made the monthly table (92% zeros) most of a run's recording (issue 14). Readers see standard
// filters: any HDF5 or h5py inflates these chunks as it would its own.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace cpcsim::io {

/// A zlib stream (RFC 1950) of `data` after HDF5's shuffle of `element_size`-byte elements
/// (byte 0 of every element, then byte 1, ...; element_size 1 = no shuffle). One deflate block
/// with dynamic Huffman codes built for the chunk: non-zero bytes as literals, zero runs as
/// distance-1 matches.
/// data.size() must be a multiple of element_size.
[[nodiscard]] std::vector<std::uint8_t> shuffle_zero_run_deflate(std::span<const std::byte> data,
                                                                 std::size_t element_size);

/// The same stream for `n` 4-byte elements that are zero except at `index` (strictly ascending,
/// each < n), where they hold `value` (little-endian words; a zero value is allowed): the bytes
/// shuffle_zero_run_deflate gives for the dense elements, in time that grows with index.size()
/// only. Throws std::invalid_argument on sizes that differ or indices out of order or range.
[[nodiscard]] std::vector<std::uint8_t> shuffle_zero_run_deflate_sparse(std::size_t n,
                                                                        std::span<const std::uint32_t> index,
                                                                        std::span<const std::uint32_t> value);

/// HDF5's Fletcher-32 checksum of a stored chunk (the filter appends it little-endian).
[[nodiscard]] std::uint32_t hdf5_fletcher32(std::span<const std::uint8_t> bytes) noexcept;

}  // namespace cpcsim::io
