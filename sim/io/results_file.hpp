// Top-level conventions of a cpcsim results file (see docs/hdf5-conventions.md).
//
// Root attributes: format = "cpcsim-results", schema_version, kind ("run" | "compare" |
// "sweep"), program_version, git_commit, command_line, created_utc (ISO 8601), scenario_name,
// seed (uint64), replicates (int64), stored_outputs. The scenario inputs are kept verbatim as scalar string
// datasets scenario_toml, areas_csv, providers_csv in a scenario group ("/scenario"; a compare
// file has "/arms/A/scenario" and "/arms/B/scenario").
#pragma once

#include "io/h5.hpp"

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

namespace cpcsim::io {

inline constexpr int kSchemaVersion = 1;
inline constexpr const char* kResultsFormat = "cpcsim-results";
inline constexpr const char* kDefaultScenarioGroup = "/scenario";

struct Provenance {
    std::string kind;  ///< "run" | "compare" | "sweep"
    std::string program_version, git_commit, command_line;
    std::string created_utc;  ///< ISO 8601, e.g. utc_now_iso8601()
    std::string scenario_name, scenario_toml, areas_csv, providers_csv;
    std::uint64_t seed = 0;
    std::int64_t replicates = 0;
    /// What the runs store (StoredOutputs::names()); files without the attribute store everything.
    std::string stored_outputs = "monthly,annual,provider";
};

/// Writes the root attributes and, under `scenario_group`, the scenario inputs.
void write_provenance(File& file, const Provenance& p, std::string_view scenario_group = kDefaultScenarioGroup);
/// Writes only the scenario inputs (scenario_name attribute; scenario_toml, areas_csv,
/// providers_csv datasets) under `group`, e.g. the second arm of a compare file.
void write_scenario_inputs(File& file, std::string_view group, const Provenance& p);
/// Reads what write_provenance wrote; scenario texts are empty if `scenario_group` is absent.
[[nodiscard]] Provenance read_provenance(const File& file, std::string_view scenario_group = kDefaultScenarioGroup);

/// Checks every global heap collection of an HDF5 file (where variable-length strings live):
/// HDF5 1.10 trusts each object's stored length and copies that many bytes, so a damaged length
/// crashes the reader, and it steps over the free-space object by its stored size, so a size of 0
/// makes it loop for ever (both found by fuzzing, tests/fuzz). Walks each collection as HDF5 does and
/// throws Error naming the file, the collection and the object when an object or the free space does
/// not fit. Files that are not HDF5 pass (opening says why).
void check_global_heaps(const std::filesystem::path& path);

/// Reads an HDF5 file's whole structure (every link, group, attribute value and dataset's type,
/// shape and creation properties; not the data, whose chunks are checksummed) in a child process
/// first, because HDF5 1.10 crashes, overflows its stack or loops on some damaged files instead of
/// reporting an error (found by fuzzing: docs/reliability.md, "Fuzzing"). Throws Error naming the file
/// when the child dies from a signal, takes longer than `seconds` or fails otherwise (out of
/// memory, an allocation over a limit); an ordinary error the child meets reading what
/// `cpcsim info` reads (not HDF5, not a results file, a damaged object) is thrown here as the child
/// found it, so the parent never repeats a read that made HDF5 allocate gigabytes.
void probe_readable(const std::filesystem::path& path, unsigned seconds = 60);

/// Opens a results file read-only and checks that it is one this program can read (after
/// check_global_heaps and probe_readable).
/// Errors: missing file; "<path>: not an HDF5 file"; truncated or corrupt;
/// "<path>: not a cpcsim results file (no 'format' attribute ...)"; schema newer than kSchemaVersion.
[[nodiscard]] File open_results(const std::filesystem::path& path);

/// Human-readable summary for `cpcsim info`: provenance, then every group and dataset with
/// shape, dimension names, type, layout and stored bytes, then the file size.
[[nodiscard]] std::string describe_results(const std::filesystem::path& path);

/// The current time in UTC as "YYYY-MM-DDThh:mm:ssZ".
[[nodiscard]] std::string utc_now_iso8601();

}  // namespace cpcsim::io
