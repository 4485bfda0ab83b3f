#include "core/memory.hpp"

#include <cstdint>

#if defined(__linux__)
#include <malloc.h>
#include <sys/mman.h>
#endif

namespace cpcsim {

void advise_huge_pages(void* data, std::size_t bytes) noexcept {
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    constexpr std::uintptr_t kHuge = std::uintptr_t{2} << 20;
    const auto begin = reinterpret_cast<std::uintptr_t>(data);
    const std::uintptr_t first = (begin + kHuge - 1) & ~(kHuge - 1);
    const std::uintptr_t last = (begin + bytes) & ~(kHuge - 1);
    if (last > first) (void)madvise(reinterpret_cast<void*>(first), last - first, MADV_HUGEPAGE);
#else
    (void)data;
    (void)bytes;
#endif
}

void keep_large_allocations() noexcept {
#if defined(__GLIBC__)
    constexpr int kLarge = 32 << 20;  // glibc's largest mmap threshold on 64-bit
    (void)mallopt(M_MMAP_THRESHOLD, kLarge);
    (void)mallopt(M_TRIM_THRESHOLD, 2 * kLarge);
#endif
}

}  // namespace cpcsim
