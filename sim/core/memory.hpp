// Allocator and page hints for the large tables of a run. On this project's virtual machines a
// page fault costs several microseconds, so a 10 MB table zeroed 4 KiB at a time, or a buffer
// mapped and unmapped for every HDF5 chunk, costs more than filling it. Hints only: results
// never depend on them, and where they are unsupported they do nothing.
#pragma once

#include <array>
#include <cstddef>
#include <memory>
#include <type_traits>
#include <vector>

namespace cpcsim {

/// Asks the kernel to back the whole 2 MiB pages inside [data, data + bytes) with huge pages
/// (Linux transparent huge pages, "madvise" mode), before they are first written.
void advise_huge_pages(void* data, std::size_t bytes) noexcept;

/// Process-wide: buffers up to 32 MiB come from the heap and freed memory is kept for the next
/// allocation, instead of each large buffer being mapped fresh (and faulted in page by page) and
/// unmapped when freed. For executables; a library never changes this behind its caller's back.
void keep_large_allocations() noexcept;

/// Memory for large arrays read at scattered places (a replicate's children), carved from fresh
/// 2 MiB-aligned blocks advised onto huge pages before first use: one TLB entry then covers 2 MiB
/// instead of 4 KiB, and the random reads of a large population miss the TLB far less. Memory
/// is released when the arena is destroyed, not before. One thread at a time.
class HugePageArena {
public:
    HugePageArena() = default;
    HugePageArena(const HugePageArena&) = delete;
    HugePageArena& operator=(const HugePageArena&) = delete;
    ~HugePageArena();
    /// `bytes` of uninitialised memory, 64-byte aligned; throws std::bad_alloc when none is left.
    [[nodiscard]] void* take(std::size_t bytes);
    /// Like take, for memory handed back (give_back) and reused: sizes are rounded up to a power of
    /// two, each size kept on its own free list.
    [[nodiscard]] void* take_pooled(std::size_t bytes);
    void give_back(void* p, std::size_t bytes) noexcept;

private:
    static constexpr int kClasses = 48;
    [[nodiscard]] static int size_class(std::size_t bytes) noexcept;
    std::array<void*, kClasses> free_{};  // per size class: a list linked through the blocks'
                                          // first bytes
    struct Block {
        void* mapping;
        std::size_t mapped;
        char* next;
        char* end;
    };
    std::vector<Block> blocks_;
};

/// A std::vector allocator drawing from a HugePageArena when given one, and from the ordinary
/// heap otherwise. Plain (Pooled = false), for arrays reserved once (the children): its
/// deallocate does nothing, the arena frees everything at once. Pooled, for buffers freed and
/// allocated again all the time (the calendar's days): a freed buffer goes back to the arena's
/// pool and is reused.
template <class T, bool Pooled = false>
struct ArenaAllocator {
    using value_type = T;
    using propagate_on_container_move_assignment = std::true_type;
    using propagate_on_container_copy_assignment = std::true_type;
    using propagate_on_container_swap = std::true_type;
    template <class U>
    struct rebind {
        using other = ArenaAllocator<U, Pooled>;
    };
    HugePageArena* arena = nullptr;

    ArenaAllocator() noexcept = default;
    explicit ArenaAllocator(HugePageArena* a) noexcept : arena(a) {}
    template <class U>
    ArenaAllocator(const ArenaAllocator<U, Pooled>& other) noexcept : arena(other.arena) {}  // NOLINT: rebinding
    [[nodiscard]] T* allocate(std::size_t n) {
        if (!arena) return std::allocator<T>{}.allocate(n);
        return static_cast<T*>(Pooled ? arena->take_pooled(n * sizeof(T)) : arena->take(n * sizeof(T)));
    }
    void deallocate(T* p, std::size_t n) noexcept {
        if (!arena) {
            std::allocator<T>{}.deallocate(p, n);
        } else if (Pooled) {
            arena->give_back(p, n * sizeof(T));
        }
    }
    template <class U>
    friend bool operator==(const ArenaAllocator& a, const ArenaAllocator<U, Pooled>& b) noexcept {
        return a.arena == b.arena;
    }
};
template <class T>
using PooledArenaAllocator = ArenaAllocator<T, true>;

}  // namespace cpcsim
