// Row access to numeric datasets, for assembling and merging sweep results without reading
// whole datasets into memory. The io wrapper (io/h5.hpp) has no partial reads, so this is the
// one place in sim/sweep that calls the HDF5 C API (through Object::id()); a candidate for
// io::Dataset::read_rows().
#pragma once

#include "io/h5.hpp"

#include <cstdint>
#include <optional>
#include <string>

namespace cpcsim::sweep {

/// The element type of a numeric dataset as one of the io NumTypes, from DatasetInfo::type_name.
std::optional<io::NumType> num_type_of(const io::DatasetInfo& info);

/// Reads rows [first, first + count) of a numeric dataset (leading dimension) into `out`, which
/// must hold count x (elements per row) values of `type`.
void read_rows(const io::Dataset& ds, io::NumType type, std::uint64_t first, std::uint64_t count, void* out);

/// Appends rows [first, first + count) of `src` to the extendible dataset `dst` by copying their
/// stored (compressed) chunks as they are, without decompressing and compressing again. Only
/// when both datasets hold one row per chunk with the same chunk shape, element type and filter
/// pipeline, and every source chunk is stored; returns false without changing anything
/// otherwise. The bytes copied are those HDF5 would write for the same values, so the result is
/// the same as reading and appending the rows.
bool append_rows_by_chunks(const io::Dataset& src, std::uint64_t first, std::uint64_t count, io::Dataset& dst);

}  // namespace cpcsim::sweep
