#include "core/memory.hpp"

#include <catch2/catch.hpp>

#include <cstdint>
#include <vector>

using cpcsim::ArenaAllocator;
using cpcsim::HugePageArena;

TEST_CASE("a huge-page arena hands out aligned, disjoint memory that vectors can grow in", "[unit][memory]") {
    HugePageArena arena;
    auto* a = static_cast<char*>(arena.take(100));
    auto* b = static_cast<char*>(arena.take(20u << 20));  // larger than a block: a block of its own
    auto* c = static_cast<char*>(arena.take(1));
    for (const char* p : {a, b, c}) CHECK(reinterpret_cast<std::uintptr_t>(p) % 64 == 0);
    CHECK((b >= a + 100 || b + (20u << 20) <= a));
    CHECK((c >= b + (20u << 20) || c + 1 <= b));
    a[99] = 1;
    b[(20u << 20) - 1] = 2;  // the whole of each range is writable
    c[0] = 3;
    CHECK(a[99] + b[(20u << 20) - 1] + c[0] == 6);

    std::vector<std::uint64_t, ArenaAllocator<std::uint64_t>> v{ArenaAllocator<std::uint64_t>(&arena)};
    for (std::uint64_t i = 0; i < 300000; ++i) v.push_back(i * 3);  // grows, its old buffers left in the arena
    std::uint64_t wrong = 0;
    for (std::uint64_t i = 0; i < v.size(); ++i) wrong += v[i] != i * 3;
    CHECK(wrong == 0);
    CHECK(v.get_allocator().arena == &arena);

    std::vector<int, ArenaAllocator<int>> heap;  // no arena: the ordinary heap
    heap.assign(1000, 7);
    CHECK(heap.get_allocator().arena == nullptr);
    CHECK(heap[999] == 7);
}

TEST_CASE("pooled arena memory handed back is reused for its size class", "[unit][memory]") {
    HugePageArena arena;
    void* a = arena.take_pooled(100);
    void* b = arena.take_pooled(100);
    CHECK(a != b);
    arena.give_back(a, 100);
    CHECK(arena.take_pooled(120) == a);  // 100 and 120 bytes share the 128-byte class
    void* c = arena.take_pooled(100);
    CHECK(c != a);
    CHECK(c != b);

    std::vector<int, cpcsim::PooledArenaAllocator<int>> v{cpcsim::PooledArenaAllocator<int>(&arena)};
    for (int i = 0; i < 100000; ++i) v.push_back(i);  // each growth hands the old buffer back
    long wrong = 0;
    for (int i = 0; i < 100000; ++i) wrong += v[static_cast<std::size_t>(i)] != i;
    CHECK(wrong == 0);
    std::vector<int, cpcsim::PooledArenaAllocator<int>> w{cpcsim::PooledArenaAllocator<int>(&arena)};
    w.assign(1000, 5);  // a freed buffer of v's growth (4096 bytes) is taken again
    CHECK(w[999] == 5);
}
