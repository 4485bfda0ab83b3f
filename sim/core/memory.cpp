#include "core/memory.hpp"

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <new>

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

HugePageArena::~HugePageArena() {
    for (const Block& b : blocks_) {
#if defined(__linux__)
        (void)munmap(b.mapping, b.mapped);
#else
        std::free(b.mapping);
#endif
    }
}

void* HugePageArena::take(std::size_t bytes) {
    constexpr std::size_t kAlign = 64;
    constexpr std::size_t kHuge = std::size_t{2} << 20;
    constexpr std::size_t kBlock = std::size_t{16} << 20;
    bytes = (bytes + kAlign - 1) & ~(kAlign - 1);
    if (blocks_.empty() || static_cast<std::size_t>(blocks_.back().end - blocks_.back().next) < bytes) {
        const std::size_t size = std::max(kBlock, (bytes + kHuge - 1) & ~(kHuge - 1));
#if defined(__linux__)
        // Fresh pages (never touched, so the advice applies at their first fault), 2 MiB-aligned.
        const std::size_t mapped = size + kHuge;
        void* m = mmap(nullptr, mapped, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (m == MAP_FAILED) throw std::bad_alloc();
        char* data = reinterpret_cast<char*>((reinterpret_cast<std::uintptr_t>(m) + kHuge - 1) & ~(kHuge - 1));
        advise_huge_pages(data, size);
#else
        const std::size_t mapped = size;
        void* m = std::aligned_alloc(kHuge, size);
        if (!m) throw std::bad_alloc();
        char* data = static_cast<char*>(m);
#endif
        blocks_.push_back({m, mapped, data, data + size});
    }
    Block& b = blocks_.back();
    void* p = b.next;
    b.next += bytes;
    return p;
}

int HugePageArena::size_class(std::size_t bytes) noexcept {
    int k = 6;  // 64 bytes at least (the alignment; room for the free-list link)
    while ((std::size_t{1} << k) < bytes) ++k;
    return k;
}

void* HugePageArena::take_pooled(std::size_t bytes) {
    const int k = size_class(bytes);
    if (k >= kClasses) throw std::bad_alloc();
    if (void* p = free_[static_cast<std::size_t>(k)]) {
        free_[static_cast<std::size_t>(k)] = *static_cast<void**>(p);
        return p;
    }
    return take(std::size_t{1} << k);
}

void HugePageArena::give_back(void* p, std::size_t bytes) noexcept {
    if (!p) return;
    const auto k = static_cast<std::size_t>(size_class(bytes));
    *static_cast<void**>(p) = free_[k];
    free_[k] = p;
}

void keep_large_allocations() noexcept {
#if defined(__GLIBC__)
    constexpr int kLarge = 32 << 20;  // glibc's largest mmap threshold on 64-bit
    (void)mallopt(M_MMAP_THRESHOLD, kLarge);
    (void)mallopt(M_TRIM_THRESHOLD, 2 * kLarge);
#endif
}

}  // namespace cpcsim
