// Allocator and page hints for the large tables of a run. On this project's virtual machines a
// page fault costs several microseconds, so a 10 MB table zeroed 4 KiB at a time, or a buffer
// mapped and unmapped for every HDF5 chunk, costs more than filling it. Hints only: results
// never depend on them, and where they are unsupported they do nothing.
#pragma once

#include <cstddef>

namespace cpcsim {

/// Asks the kernel to back the whole 2 MiB pages inside [data, data + bytes) with huge pages
/// (Linux transparent huge pages, "madvise" mode), before they are first written.
void advise_huge_pages(void* data, std::size_t bytes) noexcept;

/// Process-wide: buffers up to 32 MiB come from the heap and freed memory is kept for the next
/// allocation, instead of each large buffer being mapped fresh (and faulted in page by page) and
/// unmapped when freed. For executables; a library never changes this behind its caller's back.
void keep_large_allocations() noexcept;

}  // namespace cpcsim
