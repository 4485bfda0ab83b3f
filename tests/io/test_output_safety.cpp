// Output paths never destroy data (issue 9, docs/reliability.md "Data loss" and "Interruption"):
// the shared check_output_path refuses inputs, devices and directories and follows symbolic
// links; stale temporary files of dead processes are removed; registered temporary files are
// what the interrupt handler deletes.
#include "io/atomic_file.hpp"

#include "core/error.hpp"
#include "io/h5.hpp"
#include "io_test_util.hpp"

#include <hdf5.h>
#include <catch2/catch.hpp>

#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

using namespace cpcsim::io;
using Catch::Matchers::Contains;
using cpcsim::Error;
using cpcsim::io::test::read_file;
using cpcsim::io::test::TempDir;
using cpcsim::io::test::write_file;
namespace fs = std::filesystem;

namespace {
/// The id of a process that has exited (and been reaped).
pid_t dead_pid() {
    const pid_t pid = ::fork();
    if (pid == 0) ::_exit(0);
    int status = 0;
    ::waitpid(pid, &status, 0);
    return pid;
}
/// The host part of this process's temporary file names.
std::string host_part(const fs::path& temp) {
    const std::string name = temp.filename().string();
    const std::string rest = name.substr(name.rfind(".tmp-") + 5);
    return rest.substr(0, rest.rfind('-', rest.rfind('-') - 1));
}
}  // namespace

TEST_CASE("check_output_path: an input of the same command is refused", "[regression][io]") {
    TempDir dir;
    const auto input = dir / "scenario.toml";
    write_file(input, "[scenario]\n");
    CHECK_THROWS_WITH(check_output_path(input, {input}), Contains("also an input of this command"));
    // The same file by another name: compared by device and inode, not by spelling.
    const auto other_name = dir.path() / "." / "scenario.toml";
    CHECK_THROWS_WITH(check_output_path(other_name, {input}), Contains("also an input"));
    fs::create_hard_link(input, dir / "hard.toml");
    CHECK_THROWS_WITH(check_output_path(dir / "hard.toml", {input}), Contains("also an input"));
    CHECK_NOTHROW(check_output_path(dir / "out.h5", {input}));
    CHECK(read_file(input) == "[scenario]\n");
}

TEST_CASE("check_output_path: devices, FIFOs and directories are refused", "[regression][io]") {
    TempDir dir;
    CHECK_THROWS_WITH(check_output_path("/dev/null"), Contains("not a regular file"));
    REQUIRE(::mkfifo((dir / "fifo").c_str(), 0600) == 0);
    CHECK_THROWS_WITH(check_output_path(dir / "fifo"), Contains("not a regular file"));
    fs::create_directory(dir / "folder");
    CHECK_THROWS_WITH(check_output_path(dir / "folder"), Contains("existing directory"));
    CHECK_THROWS_WITH(AtomicOutput(dir / "fifo"), Contains("not a regular file"));
}

TEST_CASE("AtomicOutput: a symbolic link's target is replaced and the link kept", "[regression][io]") {
    TempDir dir;
    fs::create_directory(dir / "real");
    write_file(dir / "real" / "target.h5", "old");
    fs::create_symlink(fs::path("real") / "target.h5", dir / "link.h5");
    {
        AtomicOutput out(dir / "link.h5");
        CHECK(out.final_path() == dir / "real" / "target.h5");
        CHECK(out.temp_path().parent_path() == dir / "real");
        write_file(out.temp_path(), "new");
        out.commit();
    }
    CHECK(fs::is_symlink(fs::symlink_status(dir / "link.h5")));
    CHECK(read_file(dir / "real" / "target.h5") == "new");
    // A link to an input is that input.
    CHECK_THROWS_WITH(check_output_path(dir / "link.h5", {dir / "real" / "target.h5"}), Contains("also an input"));
}

TEST_CASE("AtomicOutput: stale temporary files of dead processes on this host are removed", "[regression][io]") {
    TempDir dir;
    std::string host;
    {
        AtomicOutput probe(dir / "probe.h5");
        host = host_part(probe.temp_path());
    }
    REQUIRE_FALSE(host.empty());
    const auto stale = dir / (".old.h5.tmp-" + host + "-" + std::to_string(dead_pid()) + "-00000000deadbeef");
    const auto alive = dir / (".old.h5.tmp-" + host + "-" + std::to_string(::getppid()) + "-00000000cafebabe");
    const auto other_host = dir / (".old.h5.tmp-elsewhere-" + std::to_string(dead_pid()) + "-0000000000000001");
    const auto unrelated = dir / "notes.tmp-1-2";
    for (const auto& p : {stale, alive, other_host, unrelated}) write_file(p, "x");
    {
        AtomicOutput out(dir / "new.h5");  // writing to the folder cleans it
        CHECK_FALSE(fs::exists(stale));
        CHECK(fs::exists(alive));
        CHECK(fs::exists(other_host));  // maybe a live process on another node of a shared file system
        CHECK(fs::exists(unrelated));
    }
    CHECK(remove_stale_temp_files(dir.path()).empty());
}

TEST_CASE("remove_registered_temp_files deletes what is registered and nothing else", "[regression][io]") {
    TempDir dir;
    write_file(dir / "kept.h5", "x");
    fs::path temp;
    AtomicOutput out(dir / "out.h5");
    temp = out.temp_path();
    write_file(dir / ".part.tmp", "x");
    RegisteredTemp part(dir / ".part.tmp");
    {
        write_file(dir / ".released.tmp", "x");
        RegisteredTemp released(dir / ".released.tmp");
    }
    remove_registered_temp_files();  // what the SIGINT/SIGTERM handler calls
    CHECK_FALSE(fs::exists(temp));
    CHECK_FALSE(fs::exists(dir / ".part.tmp"));
    CHECK(fs::exists(dir / ".released.tmp"));
    CHECK(fs::exists(dir / "kept.h5"));
}

namespace {
extern "C" void remove_and_exit(int sig) {
    remove_registered_temp_files();  // what the command line's SIGINT/SIGTERM handler does
    ::_exit(128 + sig);
}
}  // namespace

TEST_CASE("a signal at any moment of making or discarding a temporary file leaves none", "[regression][io]") {
    // A child makes and discards temporary files as fast as it can and is sent SIGTERM at a
    // different moment each time; its handler unlinks what is registered. A temporary file that
    // exists before it is registered (it once did, between open() and the registration) is left
    // behind when the signal falls in that gap.
    TempDir dir;
    int trials = 0;
    std::string left;
    for (int trial = 0; trial < 300 && left.empty(); ++trial, ++trials) {
        int ready[2];
        REQUIRE(::pipe(ready) == 0);
        const pid_t pid = ::fork();
        REQUIRE(pid >= 0);
        if (pid == 0) {
            ::close(ready[0]);
            struct sigaction sa {};
            sa.sa_handler = remove_and_exit;
            sigemptyset(&sa.sa_mask);
            ::sigaction(SIGTERM, &sa, nullptr);
            const char go = 1;
            if (::write(ready[1], &go, 1) != 1) ::_exit(1);
            for (;;) AtomicOutput out(dir / "out.h5");
        }
        ::close(ready[1]);
        char go = 0;
        REQUIRE(::read(ready[0], &go, 1) == 1);
        ::close(ready[0]);
        ::usleep(static_cast<useconds_t>(100 + (trial * 37) % 900));
        ::kill(pid, SIGTERM);
        int status = 0;
        REQUIRE(::waitpid(pid, &status, 0) == pid);
        REQUIRE(WIFEXITED(status));
        REQUIRE(WEXITSTATUS(status) == 128 + SIGTERM);
        for (const auto& e : fs::directory_iterator(dir.path()))
            left += " " + e.path().filename().string() + " (trial " + std::to_string(trial) + ")";
    }
    CHECK(trials == 300);
    CHECK(left == "");
}

TEST_CASE("a chunk whose stored bytes changed is refused by verify_rows and verify_datasets", "[regression][io]") {
    TempDir dir;
    const auto path = dir / "data.h5";
    std::vector<double> values(4 * 4096);
    for (std::size_t i = 0; i < values.size(); ++i) values[i] = static_cast<double>(i % 977) * 0.25;
    {
        File f = File::create(path);
        f.write_dataset("/runs/x", values, {4, 4096}, {.extendible = true});
        f.close();
    }
    // The file offset of the stored chunk of row 2, from HDF5's chunk index.
    haddr_t address = 0;
    hsize_t size = 0;
    {
        const File f = File::open_read_only(path);
        const Dataset d = f.open_dataset("/runs/x");
        REQUIRE(d.info().filters.back() == "fletcher32");
        CHECK_NOTHROW(d.verify_rows(0, 4));
    }
    {
        // io::Dataset hides its HDF5 id; the test asks HDF5 for the chunk index itself.
        const hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
        REQUIRE(file >= 0);
        const hid_t ds = H5Dopen2(file, "/runs/x", H5P_DEFAULT);
        REQUIRE(ds >= 0);
        const hsize_t coord[2] = {2, 0};
        unsigned mask = 0;
        const herr_t found = H5Dget_chunk_info_by_coord(ds, coord, &mask, &address, &size);
        H5Dclose(ds);
        H5Fclose(file);
        REQUIRE(found >= 0);
    }
    REQUIRE(size > 16);
    {
        std::fstream io(path, std::ios::in | std::ios::out | std::ios::binary);
        io.seekg(static_cast<std::streamoff>(address + size / 2));
        char b = 0;
        io.read(&b, 1);
        io.seekp(static_cast<std::streamoff>(address + size / 2));
        b = static_cast<char>(b ^ 0x5A);
        io.write(&b, 1);
    }
    const File f = File::open_read_only(path);
    const Dataset d = f.open_dataset("/runs/x");
    CHECK_NOTHROW(d.verify_rows(0, 2));  // the other chunks are intact
    CHECK_THROWS_WITH(d.verify_rows(0, 4), Contains("data.h5") && Contains("/runs/x") && Contains("row 2 is damaged") &&
                                               Contains("Fletcher32"));
    const Verification v = verify_datasets(f);
    CHECK(v.datasets == 1);
    REQUIRE(v.damaged.size() == 1);
    CHECK_THAT(v.damaged.front(), Contains("/runs/x"));
}
