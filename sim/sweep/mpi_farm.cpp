// Launcher detection, and stand-ins for the MPI functions when cpcsim is built without MPI
// (sweep/mpi_farm_mpi.cpp holds the real ones).
#include "sweep/mpi_farm.hpp"

#include "core/error.hpp"

#include <cstdlib>

namespace cpcsim::sweep {

bool launched_by_mpi() noexcept {
    for (const char* v : {"OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_RANK"})
        if (const char* s = std::getenv(v); s != nullptr && *s != '\0') return true;
    return false;
}

#ifndef CPCSIM_WITH_MPI

bool mpi_built() noexcept {
    return false;
}

namespace {
[[noreturn]] void no_mpi() {
    throw Error("", "",
                "this cpcsim was built without MPI (CPCSIM_WITH_MPI=OFF or Open MPI not found); "
                "rebuild with MPI, or run the sweep with threads or as array tasks");
}
}  // namespace

MpiSession::MpiSession() {
    no_mpi();
}
MpiSession::~MpiSession() = default;
bool MpiSession::all_ok(bool ok) const {
    return ok;
}

RunReport run_sweep_mpi(const MpiSession&, const Manifest&, const LoadedSweep&, const RunOptions&,
                        const SweepProgress&) {
    no_mpi();
}

#endif

}  // namespace cpcsim::sweep
