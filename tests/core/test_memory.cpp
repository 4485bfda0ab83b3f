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
