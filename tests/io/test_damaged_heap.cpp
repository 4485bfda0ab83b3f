// Fuzzing finding (tests/fuzz/corpus/fuzz_results_file/crash-global-heap-object-too-long.h5): a
// results file whose global heap object claims 2,490,382 bytes in a 4,096-byte collection made
// HDF5 1.10 copy past the collection, and `cpcsim info` died with SIGSEGV. The collections are now
// checked before HDF5 reads them; the damaged file is an error naming the file and the collection.
#include "core/error.hpp"
#include "io/results_file.hpp"
#include "io_test_util.hpp"

#include <catch2/catch.hpp>

#include <cstring>

using Catch::Matchers::Contains;

namespace {
const std::filesystem::path kCrash = std::filesystem::path(CPCSIM_SOURCE_DIR) /
                                     "tests/fuzz/corpus/fuzz_results_file/crash-global-heap-object-too-long.h5";
const std::filesystem::path kGood =
    std::filesystem::path(CPCSIM_SOURCE_DIR) / "tests/fuzz/corpus/fuzz_results_file/run-two-area.h5";
}  // namespace

TEST_CASE("a global heap object longer than its collection is an error, not a crash", "[regression][io]") {
    try {
        (void)cpcsim::io::describe_results(kCrash);
        FAIL("expected cpcsim::Error");
    } catch (const cpcsim::Error& e) {
        CHECK_THAT(e.what(), Contains("crash-global-heap-object-too-long.h5"));
        CHECK_THAT(e.what(), Contains("global heap collection at byte 2048"));
        CHECK_THAT(e.what(), Contains("claims 2490382 bytes"));
    }
}

TEST_CASE("a global heap object of 6.9e18 bytes is an error, not a crash", "[regression][io]") {
    const auto huge = kCrash.parent_path() / "crash-global-heap-object-huge.h5";
    CHECK_THROWS_WITH(cpcsim::io::describe_results(huge),
                      Contains("object 4 of the global heap collection at byte 2048 claims 6989586621679009807 bytes"));
}

TEST_CASE("global heap check: intact files pass, a collection past the end of the file fails", "[unit][io]") {
    CHECK_NOTHROW(cpcsim::io::check_global_heaps(kGood));
    CHECK_NOTHROW(cpcsim::io::describe_results(kGood));
    cpcsim::io::test::TempDir dir;
    std::string bytes = cpcsim::io::test::read_file(kGood);
    const auto at = bytes.find("GCOL");
    REQUIRE(at != std::string::npos);
    const std::uint64_t huge = 1ULL << 40;
    std::memcpy(bytes.data() + at + 8, &huge, 8);  // little-endian machine, as HDF5 stores it
    cpcsim::io::test::write_file(dir / "long.h5", bytes);
    CHECK_THROWS_WITH(cpcsim::io::check_global_heaps(dir / "long.h5"), Contains("beyond the end of the file"));
}
