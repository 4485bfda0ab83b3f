#include "io/atomic_file.hpp"

#include "core/error.hpp"
#include "io/h5.hpp"
#include "io_test_util.hpp"

#include <catch2/catch.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <filesystem>
#include <stdexcept>
#include <string>

using namespace cpcsim::io;
using Catch::Matchers::Contains;
using cpcsim::Error;
using cpcsim::io::test::read_file;
using cpcsim::io::test::TempDir;
using cpcsim::io::test::write_file;
namespace fs = std::filesystem;

namespace {
std::size_t count_entries(const fs::path& dir) {
    std::size_t n = 0;
    for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir)) ++n;
    return n;
}
}  // namespace

TEST_CASE("AtomicOutput: commit renames the temporary file over the final path", "[unit][io]") {
    TempDir dir;
    const auto final_path = dir / "out.h5";
    write_file(final_path, "old contents");
    AtomicOutput out(final_path);
    CHECK(out.final_path() == final_path);
    CHECK(out.temp_path().parent_path() == dir.path());
    // .<name>.tmp-<host>-<pid>-<random>
    const std::string temp_name = out.temp_path().filename().string();
    CHECK(temp_name.rfind(".out.h5.tmp-", 0) == 0);
    CHECK(temp_name.find("-" + std::to_string(::getpid()) + "-") != std::string::npos);
    CHECK(fs::exists(out.temp_path()));
    {
        File f = File::create(out.temp_path());
        f.set_string_attr("hello", "world");
        f.close();
    }
    CHECK(read_file(final_path) == "old contents");  // untouched until commit
    const fs::path temp = out.temp_path();
    out.commit();
    CHECK(out.committed());
    CHECK_FALSE(fs::exists(temp));
    CHECK(File::open_read_only(final_path).string_attr("hello") == "world");
    CHECK(count_entries(dir.path()) == 1);
    CHECK_NOTHROW(out.commit());  // a second commit does nothing
}

TEST_CASE("AtomicOutput: without commit nothing appears and an existing file is untouched", "[unit][io]") {
    TempDir dir;
    const auto fresh = dir / "fresh.h5";
    fs::path temp;
    {
        AtomicOutput out(fresh);
        temp = out.temp_path();
        File f = File::create(out.temp_path());
        f.write_dataset("x", std::vector<double>{1, 2, 3}, {3});
    }
    CHECK_FALSE(fs::exists(temp));
    CHECK_FALSE(fs::exists(fresh));
    CHECK(count_entries(dir.path()) == 0);

    const auto existing = dir / "existing.h5";
    write_file(existing, "previous results");
    try {
        AtomicOutput out(existing);
        temp = out.temp_path();
        File f = File::create(out.temp_path());
        f.set_int_attr("partial", 1);
        throw std::runtime_error("the run failed");
    } catch (const std::runtime_error&) {
    }
    CHECK_FALSE(fs::exists(temp));
    CHECK(read_file(existing) == "previous results");
    CHECK(count_entries(dir.path()) == 1);

    AtomicOutput discarded(dir / "d.h5");
    discarded.discard();
    CHECK_THROWS_WITH(discarded.commit(), Contains("discarded"));
    CHECK_FALSE(fs::exists(dir / "d.h5"));

    // Moving hands over the temporary file.
    fs::path moved_temp;
    {
        AtomicOutput a(dir / "m.h5");
        moved_temp = a.temp_path();
        AtomicOutput b(std::move(a));
        CHECK(fs::exists(moved_temp));
        b.commit();
    }
    CHECK(fs::exists(dir / "m.h5"));
}

TEST_CASE("AtomicOutput: a missing or unwritable directory is an Error", "[unit][io]") {
    TempDir dir;
    CHECK_THROWS_WITH(AtomicOutput(dir / "nowhere" / "out.h5"),
                      Contains("out.h5") && Contains("output directory") && Contains("does not exist"));
    write_file(dir / "plain", "x");
    CHECK_THROWS_WITH(AtomicOutput(dir / "plain" / "out.h5"), Contains("is not a directory"));
    fs::create_directory(dir / "sub");
    CHECK_THROWS_WITH(AtomicOutput(dir / "sub"), Contains("output path is an existing directory"));
    CHECK_THROWS_WITH(check_output_path(""), Contains("no output file name"));
    CHECK_NOTHROW(check_output_path(dir / "fine.h5"));

    // An unwritable directory: a read-only directory, unless we are root (who may write
    // anyway); then a directory of sysfs, which nobody can create files in.
    const auto ro = dir / "readonly";
    fs::create_directory(ro);
    fs::permissions(ro, fs::perms::owner_read | fs::perms::owner_exec);
    fs::path target;
    const int probe = ::open((ro / "probe").c_str(), O_WRONLY | O_CREAT | O_EXCL, 0600);
    if (probe < 0) {
        target = ro / "out.h5";
    } else {
        ::close(probe);
        fs::remove(ro / "probe");
        const int sys_probe = ::open("/sys/fs/cpcsim-probe", O_WRONLY | O_CREAT | O_EXCL, 0600);
        if (fs::is_directory("/sys/fs") && sys_probe < 0) target = "/sys/fs/out.h5";
        if (sys_probe >= 0) ::close(sys_probe);
    }
    if (target.empty()) {
        WARN("no unwritable directory available (running as root without sysfs); check skipped");
    } else {
        CHECK_THROWS_WITH(AtomicOutput(target), Contains("not writable") || Contains("cannot write"));
        CHECK_FALSE(fs::exists(target));
    }
    fs::permissions(ro, fs::perms::owner_all);
}
