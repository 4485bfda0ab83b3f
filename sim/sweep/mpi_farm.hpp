// MPI farming of sweep runs (Open MPI; built when CPCSIM_WITH_MPI is defined).
//
// Rank 0 holds the queue of runs left to do and hands out one run id at a time to whichever
// rank asks (dynamic farming: a slow run never stalls the others); rank 0 also simulates on
// its own worker threads. Every rank writes each finished run to its part file in
// <out>.parts/ (a shared file system, as on any cluster), and reports success or failure with
// its next request. When all runs are done, rank 0 assembles the one results file exactly as
// the other modes do. Only each rank's main thread calls MPI (MPI_THREAD_FUNNELED).
#pragma once

#include "sweep/runner.hpp"

namespace cpcsim::sweep {

/// True when this cpcsim was built with MPI.
bool mpi_built() noexcept;
/// True when the process looks started by an MPI launcher (mpirun/mpiexec, srun --mpi=pmix):
/// OMPI_COMM_WORLD_SIZE, PMIX_RANK or PMI_RANK is set.
bool launched_by_mpi() noexcept;

/// MPI_Init_thread on construction, MPI_Finalize on destruction. Throws cpcsim::Error when
/// built without MPI.
class MpiSession {
public:
    MpiSession();
    ~MpiSession();
    MpiSession(const MpiSession&) = delete;
    MpiSession& operator=(const MpiSession&) = delete;

    [[nodiscard]] int rank() const noexcept { return rank_; }
    [[nodiscard]] int size() const noexcept { return size_; }
    /// True on every rank if `ok` is true on every rank (a collective call).
    [[nodiscard]] bool all_ok(bool ok) const;

private:
    int rank_ = 0, size_ = 1;
};

/// Runs a sweep (or a task's share) over the ranks of `session`, with `options.threads`
/// simulation threads per rank (0 = 1). Collective: every rank must call it. Rank 0's report
/// covers every rank; the others' reports are empty.
RunReport run_sweep_mpi(const MpiSession& session, const Manifest& m, const LoadedSweep& loaded,
                        const RunOptions& options, const SweepProgress& progress = {});

}  // namespace cpcsim::sweep
