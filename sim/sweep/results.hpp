// Sweep results on disk (layout in docs/hdf5-schema.md, "Results layout of a sweep"):
//
//  * part files: one small HDF5 file per completed run, <out>.parts/run-00000042.h5, written
//    under a temporary name and renamed the moment the run finishes (so a kill -9 loses at most
//    the runs in progress), and fsynced within a second by a background thread;
//  * results files: the runs of a sweep (or of one task of it) in run-id order, assembled from
//    part files, from task files (merge) or from an earlier results file (resume after expand).
//    Every mode goes through write_results(), so the datasets do not depend on how the runs
//    were distributed.
//
// This file decides what goes in them and where rows come from; the layouts themselves (group,
// dataset and attribute names) are io's (io/sweep_files.hpp).
#pragma once

#include "io/results_file.hpp"
#include "io/sweep_files.hpp"
#include "io/uncertainty_file.hpp"
#include "metrics/outcomes.hpp"
#include "sweep/manifest.hpp"

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace cpcsim::sweep {

/// <out>.parts: the folder of part files beside a results (or task) file.
std::filesystem::path parts_dir_of(const std::filesystem::path& out);
/// The part file of run `run` in `dir`.
std::filesystem::path part_path(const std::filesystem::path& dir, std::int64_t run);

/// Writes one run's outputs to its part file: under a temporary name (.run-....h5.tmp-...) in
/// the same folder, then renamed, so the final name only ever holds a complete file and a kill
/// at any moment leaves at worst a temporary file. The file is not fsynced here: a PartSyncer
/// does that in the background. `params` are those the run was simulated with (its parameter
/// draw, with uncertainty). Returns the part's path.
std::filesystem::path write_part(const std::filesystem::path& dir, const Manifest& m, const RunRow& row,
                                 const Scenario& scenario, const ModelParams& params, RunOutputs outputs);

/// Makes part files durable (fsync of each file, then of the folder) on a background thread,
/// at most `interval` after they were written, so that the simulation threads never wait for
/// the disk. A power failure can lose only the parts of the last interval; resume finds them
/// missing or unreadable (HDF5 refuses a truncated file) and runs them again.
class PartSyncer {
public:
    explicit PartSyncer(std::chrono::milliseconds interval = std::chrono::milliseconds(1000));
    ~PartSyncer();  ///< syncs what is pending, then stops
    PartSyncer(const PartSyncer&) = delete;
    PartSyncer& operator=(const PartSyncer&) = delete;

    /// Queues a written file (thread-safe).
    void add(const std::filesystem::path& file);
    /// Syncs every queued file and its folder now, in the calling thread.
    void flush();

private:
    void loop();
    std::chrono::milliseconds interval_;
    std::mutex mutex_;
    std::condition_variable wake_;
    std::vector<std::filesystem::path> pending_;
    bool stop_ = false;
    std::thread thread_;
};

/// Completed runs and where their rows are: run id -> (file index, row in that file).
struct Sources {
    std::vector<std::filesystem::path> files;
    std::map<std::int64_t, std::pair<std::size_t, std::uint64_t>> rows;
};

/// Part files in `dir` that belong to `m` (run id and content hash match) are added to `s`
/// (later ones replace earlier sources of the same run). Leftover temporary files of runs
/// killed while being written are removed when `remove_temporaries`. Returns the number of
/// part files that did not match (left alone; they are overwritten when their run is redone).
/// Throws, naming the file, if a part of one of the manifest's runs was made with another
/// parameter uncertainty (a resumed sweep must keep its --uncertainty choice).
int scan_parts(const std::filesystem::path& dir, const Manifest& m, Sources& s, bool remove_temporaries);
/// Rows of an existing sweep results or task file whose run hash matches `m` are added to `s`.
/// Returns false (adding nothing) if the file is absent or not a sweep results file. Throws,
/// naming the file, if it was made with another parameter uncertainty.
bool scan_results_file(const std::filesystem::path& file, const Manifest& m, Sources& s);
/// Counts part and temporary files in a parts folder (0 if absent).
int count_part_files(const std::filesystem::path& dir);

/// What goes into a results file besides the runs.
struct ResultsHeader {
    io::Provenance provenance;            ///< kind "sweep"
    std::vector<double> point_values;     ///< [point][parameter]
    io::SweepLabels labels;               ///< where /labels and /population come from
    int task = -1, tasks = 0;             ///< a task file: its index and the task count
    std::optional<io::DrawsTable> draws;  ///< /uncertainty: the parameter draws, with uncertainty
};

/// Provenance of a sweep results file made with `base` (the base scenario).
io::Provenance sweep_provenance(const Manifest& m, const Scenario& base, const std::string& command_line);

/// Writes a results file (atomically) holding `runs` (sorted by id), each read from `s`.
void write_results(const std::filesystem::path& out, const Manifest& m, const ResultsHeader& h, const Sources& s,
                   const std::vector<std::int64_t>& runs);

struct MergeOptions {
    std::string command_line;
    const Manifest* expected = nullptr;  ///< if given, every task file must be for this manifest
};
/// Joins task files (each from `cpcsim sweep run --task I --tasks N`) into one results file,
/// sorted by run id. Refuses files made for another manifest (naming the file), runs present
/// twice, and missing runs (naming the missing task indices).
void merge(const std::vector<std::filesystem::path>& task_files, const std::filesystem::path& out,
           const MergeOptions& o);

}  // namespace cpcsim::sweep
