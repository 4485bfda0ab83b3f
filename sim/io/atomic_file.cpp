#include "io/atomic_file.hpp"

#include "core/error.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <random>
#include <string>
#include <system_error>
#include <utility>

namespace cpcsim::io {

namespace fs = std::filesystem;

namespace {

fs::path directory_of(const fs::path& p) {
    fs::path dir = p.parent_path();
    return dir.empty() ? fs::path(".") : dir;
}

std::string errno_text(int err) {
    return std::generic_category().message(err);
}

std::string random_hex() {
    std::random_device rd;
    const std::uint64_t r = (static_cast<std::uint64_t>(rd()) << 32) ^ rd();
    char buf[17];
    std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(r));
    return buf;
}

void fsync_path(const fs::path& p, int flags, const std::string& final_name, const char* what) {
    const int fd = ::open(p.c_str(), flags | O_CLOEXEC);
    if (fd < 0) {
        const int err = errno;
        throw Error(final_name, "",
                    std::string("cannot open ") + what + " '" + p.string() + "' to sync it: " + errno_text(err));
    }
    const int rc = ::fsync(fd);
    const int err = errno;
    ::close(fd);
    // Some file systems cannot fsync a directory (EINVAL); the rename is still done.
    if (rc != 0 && !(err == EINVAL && (flags & O_DIRECTORY) != 0))
        throw Error(final_name, "", std::string("cannot sync ") + what + " '" + p.string() + "': " + errno_text(err));
}

}  // namespace

void check_output_path(const fs::path& final_path) {
    const std::string name = final_path.string();
    if (final_path.empty()) throw Error("", "", "no output file name given");
    if (!final_path.has_filename()) throw Error(name, "", "output path names a directory, not a file");
    const fs::path dir = directory_of(final_path);
    std::error_code ec;
    const auto st = fs::status(dir, ec);
    if (!fs::exists(st)) throw Error(name, "", "output directory '" + dir.string() + "' does not exist");
    if (!fs::is_directory(st)) throw Error(name, "", "'" + dir.string() + "' is not a directory");
    if (::access(dir.c_str(), W_OK | X_OK) != 0) {
        const int err = errno;
        throw Error(name, "", "output directory '" + dir.string() + "' is not writable: " + errno_text(err));
    }
    if (fs::is_directory(fs::status(final_path, ec))) throw Error(name, "", "output path is an existing directory");
}

AtomicOutput::AtomicOutput(fs::path final_path) : final_(std::move(final_path)) {
    check_output_path(final_);
    const fs::path dir = directory_of(final_);
    const std::string base = "." + final_.filename().string() + ".tmp-" + std::to_string(::getpid()) + "-";
    for (int attempt = 0;; ++attempt) {
        fs::path candidate = dir / (base + random_hex());
        const int fd = ::open(candidate.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (fd >= 0) {
            ::close(fd);
            temp_ = std::move(candidate);
            return;
        }
        const int err = errno;
        if (err != EEXIST || attempt >= 8)
            throw Error(final_.string(), "",
                        "cannot write to output directory '" + dir.string() + "': " + errno_text(err));
    }
}

AtomicOutput::~AtomicOutput() {
    if (!committed_) discard();
}

AtomicOutput::AtomicOutput(AtomicOutput&& other) noexcept
    : final_(std::move(other.final_)), temp_(std::move(other.temp_)), committed_(other.committed_) {
    other.temp_.clear();
    other.committed_ = true;
}

AtomicOutput& AtomicOutput::operator=(AtomicOutput&& other) noexcept {
    if (this != &other) {
        if (!committed_) discard();
        final_ = std::move(other.final_);
        temp_ = std::move(other.temp_);
        committed_ = other.committed_;
        other.temp_.clear();
        other.committed_ = true;
    }
    return *this;
}

void AtomicOutput::commit() {
    const std::string name = final_.string();
    if (committed_) return;
    if (temp_.empty()) throw Error(name, "", "cannot commit: the temporary file was discarded");
    fsync_path(temp_, O_RDONLY, name, "temporary file");
    if (::rename(temp_.c_str(), final_.c_str()) != 0) {
        const int err = errno;
        throw Error(name, "", "cannot rename '" + temp_.string() + "' to the output file: " + errno_text(err));
    }
    committed_ = true;
    temp_.clear();
    fsync_path(directory_of(final_), O_RDONLY | O_DIRECTORY, name, "output directory");
}

void AtomicOutput::discard() noexcept {
    if (!temp_.empty()) {
        ::unlink(temp_.c_str());
        temp_.clear();
    }
}

}  // namespace cpcsim::io
