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
// temporary file.
#pragma once

#include <filesystem>

namespace cpcsim::io {

/// Throws cpcsim::Error unless `final_path` can be written: its directory exists, is a
/// directory and is writable, and `final_path` is not itself a directory.
void check_output_path(const std::filesystem::path& final_path);

class AtomicOutput {
public:
    /// Checks the output directory and creates an empty temporary file
    /// `<dir>/.<name>.tmp-<pid>-<random>` (so the directory is known to be writable).
    explicit AtomicOutput(std::filesystem::path final_path);
    ~AtomicOutput();

    AtomicOutput(const AtomicOutput&) = delete;
    AtomicOutput& operator=(const AtomicOutput&) = delete;
    AtomicOutput(AtomicOutput&& other) noexcept;
    AtomicOutput& operator=(AtomicOutput&& other) noexcept;

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
    bool committed_ = false;
};

}  // namespace cpcsim::io
