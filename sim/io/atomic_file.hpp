// Write-then-rename output files: a failed or interrupted run never leaves a partial file
// under the final name and never touches a file already there.
//
//   AtomicOutput out(path);                    // checks the directory, reserves a temp name
//   {
//       auto f = io::File::create(out.temp_path());
//       ... write ...
//       f.close();                             // all handles into the file closed
//   }
//   out.commit();                              // fsync, rename over `path`, fsync directory
//
// If commit() is never called (an exception, an early return), the destructor removes the
// temporary file; if the process is interrupted (SIGINT, SIGTERM), the command line's signal
// handler removes it through remove_registered_temp_files(). Temporary names carry the host
// and the process id (.<name>.tmp-<host>-<pid>-<random>), so the next AtomicOutput in the same
// folder removes those left by dead processes of this host (a crash, SIGKILL).
#pragma once

#include <filesystem>
#include <vector>

namespace cpcsim::io {

/// Where writing `path` really goes: a symbolic link (or a chain of them) is followed to its
/// target, so the target is replaced and the link stays; any other path is returned as is.
[[nodiscard]] std::filesystem::path output_target(const std::filesystem::path& path);

/// Throws cpcsim::Error unless `final_path` can be written: its directory exists, is a
/// directory and is writable; the path (after symbolic links) is new or a regular file (not a
/// directory, device, FIFO or socket); and it is none of `inputs`, the files the same command
/// reads (compared by device and inode, or by canonical path when one does not exist yet).
/// Every command that writes a file calls this before it starts working.
void check_output_path(const std::filesystem::path& final_path, const std::vector<std::filesystem::path>& inputs = {});

/// Removes the temporary files in `dir` that AtomicOutput instances of dead processes of this
/// host left behind (their process id no longer exists; only files owned by this user).
/// Returns the paths removed. Never throws.
std::vector<std::filesystem::path> remove_stale_temp_files(const std::filesystem::path& dir) noexcept;

/// While alive, `path` is in the process's list of temporary files that
/// remove_registered_temp_files() deletes (for temporary files not made by AtomicOutput).
class RegisteredTemp {
public:
    explicit RegisteredTemp(const std::filesystem::path& path) noexcept;
    ~RegisteredTemp();
    RegisteredTemp(const RegisteredTemp&) = delete;
    RegisteredTemp& operator=(const RegisteredTemp&) = delete;
    RegisteredTemp(RegisteredTemp&& other) noexcept : slot_(other.slot_) { other.slot_ = -1; }
    RegisteredTemp& operator=(RegisteredTemp&& other) noexcept;
    /// Takes the path off the list now (after it was renamed into place or removed).
    void release() noexcept;

private:
    int slot_ = -1;
};

/// Unlinks every registered temporary file. Async-signal-safe: for signal handlers only.
void remove_registered_temp_files() noexcept;

class AtomicOutput {
public:
    /// Checks the output path (check_output_path with `inputs`), follows a symbolic link to
    /// its target, removes stale temporary files of dead processes in the folder and creates an
    /// empty temporary file `<dir>/.<name>.tmp-<host>-<pid>-<random>` next to the target.
    explicit AtomicOutput(std::filesystem::path final_path, const std::vector<std::filesystem::path>& inputs = {});
    ~AtomicOutput();

    AtomicOutput(const AtomicOutput&) = delete;
    AtomicOutput& operator=(const AtomicOutput&) = delete;
    AtomicOutput(AtomicOutput&& other) noexcept;
    AtomicOutput& operator=(AtomicOutput&& other) noexcept;

    /// The file that commit() replaces (the target when the given path was a symbolic link).
    [[nodiscard]] const std::filesystem::path& final_path() const noexcept { return final_; }
    /// Where to write; in the same directory as final_path(), so the rename is atomic.
    [[nodiscard]] const std::filesystem::path& temp_path() const noexcept { return temp_; }
    [[nodiscard]] bool committed() const noexcept { return committed_; }

    /// fsyncs the temporary file, renames it over final_path() and fsyncs the directory.
    /// Close every handle to the temporary file first. Error if the temporary file is gone.
    void commit();
    /// Removes the temporary file now (the destructor does this too if not committed).
    void discard() noexcept;

private:
    std::filesystem::path final_;
    std::filesystem::path temp_;
    RegisteredTemp registered_{std::filesystem::path()};
    bool committed_ = false;
};

}  // namespace cpcsim::io
