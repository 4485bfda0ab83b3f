// Running a sweep: on one machine with TBB across runs, as one task of a job array, or farmed
// out over MPI ranks (sweep/mpi_farm.hpp). Every mode simulates run r as
// simulate_replicate(scenario of its point, params, seed, replicate of r), commits it to its
// part file as soon as it finishes, and assembles the results file with write_results() from
// the part files in run-id order, so the results do not depend on the mode.
#pragma once

#include "sweep/manifest.hpp"
#include "sweep/results.hpp"

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace cpcsim::sweep {

struct RunOptions {
    std::filesystem::path out;  ///< results file (or this task's file)
    int threads = 0;            ///< 0 = every core
    int task = -1, tasks = 0;   ///< run only this task's share (run id % tasks == task)
    bool resume = false;        ///< keep completed runs (parts, or rows of an existing results file)
    bool keep_parts = false;    ///< keep <out>.parts after assembling
    std::string command_line;
    /// Called with a run's id after the run is simulated and before its part file is committed;
    /// empty in normal use. Tests pass one to inject a failure (throw) or to slow runs down.
    std::function<void(std::int64_t run)> before_commit;
};

struct RunFailure {
    std::int64_t run = 0;
    std::string reason;
};

struct RunReport {
    std::size_t share = 0;         ///< runs of this task (all runs without --task)
    std::size_t already_done = 0;  ///< found complete (--resume)
    std::size_t simulated = 0;     ///< simulated now
    std::vector<RunFailure> failures;
    bool written = false;  ///< the results file was written
    double seconds = 0;    ///< wall time simulating
};

/// State shared by every way of running a sweep.
class SweepRun {
public:
    SweepRun(const Manifest& m, const LoadedSweep& loaded, RunOptions options);

    /// Checks the output, prepares <out>.parts and returns the runs still to simulate (in id
    /// order). Without --resume, a parts folder holding runs is an error (it would be mixed in).
    std::vector<std::int64_t> prepare();
    /// Simulates run `id` and commits its part file. Throws on failure.
    void execute(std::int64_t id) const;
    /// execute(), with a failure recorded instead of thrown; returns false if the run failed.
    bool try_execute(std::int64_t id, RunReport& report, std::mutex& report_mutex) const;
    /// Assembles the results file if every run of the share is complete (and no failures), then
    /// removes the parts folder unless keep_parts. Sets report.written.
    void finish(RunReport& report) const;
    /// Makes every part this process wrote durable now (see PartSyncer).
    void sync_parts() const { syncer_->flush(); }

    [[nodiscard]] const Manifest& manifest() const noexcept { return m_; }
    [[nodiscard]] const RunOptions& options() const noexcept { return o_; }
    [[nodiscard]] const std::filesystem::path& parts_dir() const noexcept { return parts_; }
    [[nodiscard]] const std::vector<std::int64_t>& share() const noexcept { return share_; }
    [[nodiscard]] std::size_t already_done() const noexcept { return done_before_; }

private:
    const Manifest& m_;
    const LoadedSweep& loaded_;
    RunOptions o_;
    std::filesystem::path parts_;
    std::vector<std::int64_t> share_;
    std::size_t done_before_ = 0;
    bool use_existing_results_ = false;
    std::unique_ptr<PartSyncer> syncer_;
};

/// Called after each run with (runs finished, runs to do); never concurrently.
using SweepProgress = std::function<void(int, int)>;

/// Runs a sweep (or one task's share) on this machine with TBB across runs.
RunReport run_sweep(const Manifest& m, const LoadedSweep& loaded, const RunOptions& options,
                    const SweepProgress& progress = {});

}  // namespace cpcsim::sweep
