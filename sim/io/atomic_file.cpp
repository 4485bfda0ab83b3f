#include "io/atomic_file.hpp"

#include "core/error.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <cctype>
#include <cerrno>
#include <csignal>
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

/// This host's name as it appears in temporary file names: letters, digits and '_' only (no
/// '-', which separates the fields), cut at the first dot.
const std::string& host_tag() {
    static const std::string tag = [] {
        char buf[256] = {};
        if (::gethostname(buf, sizeof buf - 1) != 0) return std::string("host");
        std::string t;
        for (const char* c = buf; *c != '\0' && *c != '.' && t.size() < 32; ++c)
            t += std::isalnum(static_cast<unsigned char>(*c)) ? *c : '_';
        return t.empty() ? std::string("host") : t;
    }();
    return tag;
}

/// Parses ".<name>.tmp-<host>-<pid>-<hex>"; false for any other name.
bool parse_temp_name(const std::string& name, std::string& host, pid_t& pid) {
    if (name.empty() || name.front() != '.') return false;
    const auto tmp = name.rfind(".tmp-");
    if (tmp == std::string::npos || tmp == 0) return false;
    const std::string rest = name.substr(tmp + 5);
    const auto last = rest.rfind('-');
    if (last == std::string::npos || last == 0) return false;
    const auto before = rest.rfind('-', last - 1);
    if (before == std::string::npos || before == 0) return false;
    host = rest.substr(0, before);
    const std::string digits = rest.substr(before + 1, last - before - 1);
    if (digits.empty() || digits.size() > 9 || digits.find_first_not_of("0123456789") != std::string::npos)
        return false;
    pid = static_cast<pid_t>(std::stol(digits));
    return pid > 0;
}

// Temporary files to remove when the process is interrupted. A signal handler may only use
// lock-free atomics and async-signal-safe calls (unlink), so the list is a fixed array of
// slots: 0 = free, 1 = being filled, 2 = holds a path.
constexpr std::size_t kSlots = 256;
constexpr std::size_t kSlotPathMax = 4096;
struct Slot {
    std::atomic<int> state{0};
    char path[kSlotPathMax] = {};
};
static_assert(std::atomic<int>::is_always_lock_free);
std::array<Slot, kSlots> g_slots;

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

fs::path output_target(const fs::path& path) {
    fs::path p = path;
    std::error_code ec;
    for (int hops = 0; hops < 40 && fs::is_symlink(fs::symlink_status(p, ec)); ++hops) {
        const fs::path target = fs::read_symlink(p, ec);
        if (ec) break;
        p = target.is_absolute() ? target : directory_of(p) / target;
    }
    return p;
}

void check_output_path(const fs::path& final_path, const std::vector<fs::path>& inputs) {
    const std::string name = final_path.string();
    if (final_path.empty()) throw Error("", "", "no output file name given");
    if (!final_path.has_filename()) throw Error(name, "", "output path names a directory, not a file");
    const fs::path target = output_target(final_path);
    std::error_code ec;
    if (fs::is_symlink(fs::symlink_status(target, ec)))
        throw Error(name, "", "output path is a loop of symbolic links");
    const std::string via = target == final_path ? "" : " (the target of the symbolic link, '" + target.string() + "')";
    const fs::path dir = directory_of(target);
    const auto st = fs::status(dir, ec);
    if (!fs::exists(st)) throw Error(name, "", "output directory '" + dir.string() + "' does not exist" + via);
    if (!fs::is_directory(st)) throw Error(name, "", "'" + dir.string() + "' is not a directory" + via);
    if (::access(dir.c_str(), W_OK | X_OK) != 0) {
        const int err = errno;
        throw Error(name, "", "output directory '" + dir.string() + "' is not writable: " + errno_text(err));
    }
    const auto out_st = fs::status(target, ec);
    if (fs::is_directory(out_st)) throw Error(name, "", "output path is an existing directory" + via);
    if (fs::exists(out_st) && !fs::is_regular_file(out_st))
        throw Error(name, "",
                    "output path exists and is not a regular file (a device, FIFO or socket)" + via +
                        "; cpcsim only writes new files or replaces regular files");
    for (const auto& in : inputs) {
        if (in.empty()) continue;
        bool same = false;
        if (fs::exists(out_st) && fs::exists(fs::status(in, ec)))
            same = fs::equivalent(target, in, ec) && !ec;
        else
            same = fs::weakly_canonical(target, ec) == fs::weakly_canonical(in, ec) && !ec;
        if (same)
            throw Error(name, "",
                        "output path is also an input of this command ('" + in.string() + "')" + via +
                            "; writing it would destroy the input: choose another output file");
    }
}

std::vector<fs::path> remove_stale_temp_files(const fs::path& dir) noexcept {
    std::vector<fs::path> removed;
    try {
        std::error_code ec;
        for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
            std::string host;
            pid_t pid = 0;
            if (!parse_temp_name(it->path().filename().string(), host, pid) || host != host_tag()) continue;
            if (pid == ::getpid() || ::kill(pid, 0) == 0 || errno != ESRCH) continue;  // alive (or not ours)
            struct stat st {};
            if (::lstat(it->path().c_str(), &st) != 0 || !S_ISREG(st.st_mode) || st.st_uid != ::geteuid()) continue;
            if (::unlink(it->path().c_str()) == 0) removed.push_back(it->path());
        }
    } catch (...) {
        // Best effort: a folder that cannot be listed keeps its files.
    }
    return removed;
}

RegisteredTemp::RegisteredTemp(const fs::path& path) noexcept {
    if (path.empty()) return;
    std::error_code ec;
    fs::path abs = fs::absolute(path, ec);
    if (ec) abs = path;
    const std::string& s = abs.native();
    if (s.size() >= kSlotPathMax) return;
    for (std::size_t i = 0; i < kSlots; ++i) {
        int expected = 0;
        if (g_slots[i].state.compare_exchange_strong(expected, 1)) {
            std::memcpy(g_slots[i].path, s.c_str(), s.size() + 1);
            g_slots[i].state.store(2);
            slot_ = static_cast<int>(i);
            return;
        }
    }
}

RegisteredTemp::~RegisteredTemp() {
    release();
}

RegisteredTemp& RegisteredTemp::operator=(RegisteredTemp&& other) noexcept {
    if (this != &other) {
        release();
        slot_ = other.slot_;
        other.slot_ = -1;
    }
    return *this;
}

void RegisteredTemp::release() noexcept {
    if (slot_ >= 0) g_slots[static_cast<std::size_t>(slot_)].state.store(0);
    slot_ = -1;
}

void remove_registered_temp_files() noexcept {
    for (auto& slot : g_slots)
        if (slot.state.load() == 2) ::unlink(slot.path);
}

AtomicOutput::AtomicOutput(fs::path final_path, const std::vector<fs::path>& inputs) {
    check_output_path(final_path, inputs);
    final_ = output_target(final_path);
    const fs::path dir = directory_of(final_);
    remove_stale_temp_files(dir);
    const std::string base =
        "." + final_.filename().string() + ".tmp-" + host_tag() + "-" + std::to_string(::getpid()) + "-";
    for (int attempt = 0;; ++attempt) {
        fs::path candidate = dir / (base + random_hex());
        // Registered before it exists: the interrupt handler unlinks registered paths, so a
        // signal between creating the file and registering it would leave it behind. (Should
        // the name exist already, it carries this process's id: a file of ours or a stale one.)
        RegisteredTemp registered(candidate);
        const int fd = ::open(candidate.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (fd >= 0) {
            ::close(fd);
            temp_ = std::move(candidate);
            registered_ = std::move(registered);
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
    : final_(std::move(other.final_)),
      temp_(std::move(other.temp_)),
      registered_(std::move(other.registered_)),
      committed_(other.committed_) {
    other.temp_.clear();
    other.committed_ = true;
}

AtomicOutput& AtomicOutput::operator=(AtomicOutput&& other) noexcept {
    if (this != &other) {
        if (!committed_) discard();
        final_ = std::move(other.final_);
        temp_ = std::move(other.temp_);
        registered_ = std::move(other.registered_);
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
    registered_.release();
    fsync_path(directory_of(final_), O_RDONLY | O_DIRECTORY, name, "output directory");
}

void AtomicOutput::discard() noexcept {
    if (!temp_.empty()) {
        ::unlink(temp_.c_str());
        temp_.clear();
        registered_.release();
    }
}

}  // namespace cpcsim::io
