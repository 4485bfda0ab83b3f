// Fuzzing finding (tests/fuzz/corpus/fuzz_results_file/crash-global-heap-object-too-long.h5): a
// results file whose global heap object claims 2,490,382 bytes in a 4,096-byte collection made
// HDF5 1.10 copy past the collection, and `cpcsim info` died with SIGSEGV. The collections are now
// checked before HDF5 reads them; the damaged file is an error naming the file and the collection.
#include "core/error.hpp"
#include "io/results_file.hpp"
#include "io_test_util.hpp"

#include <catch2/catch.hpp>

#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

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

// Fuzzing finding 3 (tests/fuzz/corpus/fuzz_results_file/hang-global-heap-free-space-zero.h5): the
// free-space object of the collection at byte 42560 claims 0 bytes. HDF5 1.10 steps over a free-space
// object by its stored size, so it parsed the same object for ever (H5Aread -> H5HG_read ->
// H5C_protect -> the collection's deserialize callback) and `cpcsim info` spun for minutes. The open
// runs in a child process, killed after 60 s, so that a regression fails this test instead of hanging.
TEST_CASE("a global heap free-space object of 0 bytes is an error, not a hang", "[regression][io]") {
    const auto hang = kCrash.parent_path() / "hang-global-heap-free-space-zero.h5";
    int fds[2];
    REQUIRE(::pipe(fds) == 0);
    const pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        ::close(fds[0]);
        int code = 1;  // no error at all
        std::string message = "no error";
        try {
            (void)cpcsim::io::describe_results(hang);
        } catch (const cpcsim::Error& e) {
            message = e.what();
            code = 0;
        } catch (const std::exception& e) {
            message = e.what();
            code = 2;  // an error of the wrong kind
        }
        (void)!::write(fds[1], message.data(), message.size());
        ::_exit(code);
    }
    ::close(fds[1]);
    int status = 0;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (::waitpid(pid, &status, WNOHANG) == 0) {
        if (std::chrono::steady_clock::now() > deadline) {
            ::kill(pid, SIGKILL);
            ::waitpid(pid, &status, 0);
            ::close(fds[0]);
            FAIL("describe_results did not return within 60 s (HDF5 hangs on the damaged heap)");
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    std::string message;
    char buffer[4096];
    for (ssize_t got; (got = ::read(fds[0], buffer, sizeof buffer)) > 0;) message.append(buffer, std::size_t(got));
    ::close(fds[0]);
    INFO(message);
    REQUIRE(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 0);
    CHECK_THAT(message, Contains("hang-global-heap-free-space-zero.h5"));
    CHECK_THAT(message,
               Contains("the free space at byte 608 of the global heap collection at byte 42560 claims 0 bytes"));
}

// Fuzzing findings 4-9: damaged metadata on which HDF5 1.10.8 itself crashes (a half-decoded
// attribute table, a damaged variable-length reference, unbounded recursion on a damaged header
// message or link) or asks for gigabytes. io::probe_readable reads the file's structure in a child
// process first, so each is an error naming the file; if the probe misses one, this test process
// crashes and the test fails.
TEST_CASE("damaged files on which the HDF5 library crashes are errors naming the file", "[regression][io]") {
    const auto dir = kCrash.parent_path();
    for (const char* name : {"hdf5-crash-attribute-name.h5", "hdf5-crash-global-heap-read.h5",
                             "hdf5-stack-overflow-create-plist.h5", "hdf5-stack-overflow-traverse.h5"}) {
        INFO(name);
        CHECK_THROWS_WITH(cpcsim::io::describe_results(dir / name), Contains(name));
    }
    // Two ask HDF5 for 1.9 and 29.7 GB: a clean error here.
    const auto big = dir;
    for (const char* name : {"hdf5-oom-vlen-length.h5", "hdf5-huge-allocation.h5"}) {
        INFO(name);
        CHECK_THROWS_WITH(cpcsim::io::describe_results(big / name), Contains(name));
        // The probe's child meets the error and sends it back: the parent does not read the file
        // again (under a fuzzer's memory limit the child alone pays for the allocation).
        CHECK_THROWS_WITH(cpcsim::io::probe_readable(big / name), Contains(name));
    }
    // The crash itself is reported as such, not as a later, unrelated error.
    CHECK_THROWS_WITH(cpcsim::io::probe_readable(dir / "hdf5-stack-overflow-traverse.h5"),
                      Contains("crashed the HDF5 library"));
    CHECK_NOTHROW(cpcsim::io::probe_readable(kGood));
    // An ordinary error comes back from the child with its wording: the same as opening gives.
    const auto text = std::filesystem::temp_directory_path() / "cpcsim-probe-not-hdf5.h5";
    std::ofstream(text) << "not an HDF5 file\n";
    std::string from_probe;
    std::string from_open;
    try {
        cpcsim::io::probe_readable(text);
    } catch (const cpcsim::Error& e) {
        from_probe = e.what();
    }
    try {
        (void)cpcsim::io::File::open_read_only(text);
    } catch (const cpcsim::Error& e) {
        from_open = e.what();
    }
    std::filesystem::remove(text);
    CHECK_THAT(from_probe, Contains("cpcsim-probe-not-hdf5.h5"));
    CHECK(from_probe == from_open);
}
