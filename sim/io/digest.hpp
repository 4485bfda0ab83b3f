// Content digests of results files: one line per dataset with its element type, shape and the
// SHA-256 of its values, for golden-output tests and for checking that a change left results
// bit-identical (`cpcsim info --digest FILE`, tests/golden/, scripts/update-golden.sh).
//
// Only datasets are digested. Attributes are not: the provenance attributes (creation time,
// git commit, command line, program version) differ between runs with identical results, and
// the others (dims, units, descriptions) describe rather than hold results. Two datasets are
// provenance too and are listed without a hash: the resolved scenario (`scenario_toml` in any
// group), which names its files by absolute path, and a sweep's manifest (`sweep/manifest`),
// which names the base scenario by absolute path. Their content is covered by the datasets
// that hold it (the scenario tables, labels and population; the sweep's point and run tables).
#pragma once

#include "io/h5.hpp"

#include <filesystem>
#include <string>
#include <vector>

namespace cpcsim::io {

struct DatasetDigest {
    std::string path;    ///< inside the file, without the leading '/': "runs/deaths"
    std::string dtype;   ///< "float64", "int64", "int32", "uint32", "uint8" or "string"
    Shape shape;         ///< empty for a scalar
    std::string sha256;  ///< 64 hex digits, or kNotDigested for a provenance dataset
};

inline constexpr const char* kNotDigested = "provenance";

/// True for the provenance datasets that are listed but not hashed (see above).
[[nodiscard]] bool is_provenance_dataset(const std::string& path);

/// Digests every dataset of an HDF5 file, sorted by path. The bytes hashed are, for numbers,
/// the values as little-endian elements of the stored type in row-major order (so the digest
/// equals hashlib.sha256(numpy_array.tobytes()) on a little-endian machine); for strings, each
/// string's UTF-8 bytes followed by one zero byte. Errors name a dataset of another type.
[[nodiscard]] std::vector<DatasetDigest> digest_file(const std::filesystem::path& path);

/// One line per dataset: "path dtype [d0,d1,...] sha256" ("[]" for a scalar).
[[nodiscard]] std::string format_digest(const std::vector<DatasetDigest>& digests);

}  // namespace cpcsim::io
