// Shared by the command-line tests: run the cpcsim binary (CPCSIM_BINARY) in a scratch
// directory and capture its exit status, standard output and standard error; snapshot a
// directory to prove that a failed command left nothing behind; compare results files dataset
// by dataset.
#pragma once

#include "io/h5.hpp"

#include <catch2/catch.hpp>

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <system_error>
#include <vector>

namespace cli_test {

namespace fs = std::filesystem;

inline fs::path source_dir() {
    return fs::path(CPCSIM_SOURCE_DIR);
}
inline fs::path binary() {
    return fs::path(CPCSIM_BINARY);
}
inline fs::path two_area() {
    return source_dir() / "tests" / "data" / "two-area" / "scenario.toml";
}
inline fs::path cli_data(const std::string& name) {
    return source_dir() / "tests" / "data" / "cli" / name;
}

/// A fresh directory under the system temporary directory, removed with its contents.
class Scratch {
public:
    Scratch() {
        static std::atomic<int> counter{0};
        std::random_device rd;
        path_ = fs::temp_directory_path() / ("cpcsim-cli-test-" + std::to_string(::getpid()) + "-" +
                                             std::to_string(counter++) + "-" + std::to_string(rd()));
        fs::create_directories(path_);
    }
    ~Scratch() {
        std::error_code ec;
        fs::remove_all(path_, ec);
    }
    Scratch(const Scratch&) = delete;
    Scratch& operator=(const Scratch&) = delete;
    [[nodiscard]] const fs::path& path() const { return path_; }
    [[nodiscard]] fs::path operator/(const std::string& name) const { return path_ / name; }

private:
    fs::path path_;
};

inline std::string read_file(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}
inline void write_file(const fs::path& p, const std::string& text) {
    std::ofstream out(p, std::ios::binary | std::ios::trunc);
    out << text;
}

/// Single-quotes an argument for /bin/sh.
inline std::string quoted(const std::string& s) {
    std::string q = "'";
    for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return q + "'";
}

struct Result {
    int status = -1;  ///< exit status, or -1 if the process did not exit normally
    std::string out, err;
    std::string command;
};

/// Runs `cpcsim args...` with working directory `dir`; stdout and stderr are captured in files
/// outside `dir` (so that `dir` holds only what cpcsim itself wrote).
inline Result run_cli(const std::vector<std::string>& args, const fs::path& dir) {
    static Scratch capture;
    static std::atomic<int> n{0};
    const int k = n++;
    const fs::path out = capture / ("out-" + std::to_string(k)), err = capture / ("err-" + std::to_string(k));
    std::string cmd = "cd " + quoted(dir.string()) + " && " + quoted(binary().string());
    for (const auto& a : args) cmd += " " + quoted(a);
    Result r;
    r.command = cmd;
    cmd += " >" + quoted(out.string()) + " 2>" + quoted(err.string()) + " </dev/null";
    const int raw = std::system(cmd.c_str());
    r.status = (raw != -1 && WIFEXITED(raw)) ? WEXITSTATUS(raw) : -1;
    r.out = read_file(out);
    r.err = read_file(err);
    return r;
}

/// The items joined by ", " ("" when there are none).
inline std::string joined_diff(const std::vector<std::string>& v) {
    std::string s;
    for (const auto& x : v) s += (s.empty() ? "" : ", ") + x;
    return s;
}

inline bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

/// Every entry of a directory (recursively) with its size, bytes hash and modification time.
struct Entry {
    std::uintmax_t size = 0;
    std::string bytes;
    fs::file_time_type mtime;
    bool operator==(const Entry&) const = default;
};
using Snapshot = std::map<std::string, Entry>;
inline Snapshot snapshot(const fs::path& dir) {
    Snapshot s;
    for (const auto& e : fs::recursive_directory_iterator(dir)) {
        Entry x;
        if (e.is_regular_file()) {
            x.size = e.file_size();
            x.bytes = read_file(e.path());
        }
        x.mtime = fs::last_write_time(e.path());
        s[fs::relative(e.path(), dir).string()] = std::move(x);
    }
    return s;
}
inline std::string listing(const Snapshot& s) {
    std::string out;
    for (const auto& [name, e] : s) out += name + " (" + std::to_string(e.size) + " bytes)\n";
    return out;
}

// ---- comparing results files ------------------------------------------------------------

/// Every dataset and attribute of an HDF5 file as text, keyed by path; attributes as
/// "<object path>@<name>". Numeric data is written with full precision (doubles by their bits).
inline void dump_object(const cpcsim::io::Group& g, const std::string& path, std::map<std::string, std::string>& out);

inline void dump_attrs(const cpcsim::io::Object& o, const std::string& path, std::map<std::string, std::string>& out) {
    for (const auto& a : o.attr_names()) out[path + "@" + a] = o.attr_as_text(a);
}

inline std::string dump_dataset(const cpcsim::io::Dataset& d) {
    const auto info = d.info();
    std::ostringstream os;
    os << info.type_name << " " << cpcsim::io::shape_to_string(info.shape) << ":";
    if (info.is_string) {
        if (info.shape.empty())
            os << d.read_string();
        else
            for (const auto& s : d.read_strings()) os << s << "\x1f";
    } else if (info.type_name.rfind("float", 0) == 0) {
        for (double v : d.read<double>().values) {
            std::uint64_t bits;
            std::memcpy(&bits, &v, sizeof bits);
            os << bits << ",";
        }
    } else {
        for (auto v : d.read<std::int64_t>().values) os << v << ",";
    }
    return os.str();
}

inline void dump_object(const cpcsim::io::Group& g, const std::string& path, std::map<std::string, std::string>& out) {
    dump_attrs(g, path, out);
    for (const auto& name : g.children()) {
        const std::string child = path == "/" ? "/" + name : path + "/" + name;
        if (g.is_group(name)) {
            dump_object(g.open_group(name), child, out);
        } else if (g.is_dataset(name)) {
            const auto d = g.open_dataset(name);
            out[child] = dump_dataset(d);
            dump_attrs(d, child, out);
        } else {
            out[child] = "(other object)";
        }
    }
}

inline std::map<std::string, std::string> dump_file(const fs::path& file) {
    std::map<std::string, std::string> out;
    const auto f = cpcsim::io::File::open_read_only(file);
    dump_object(f, "/", out);
    return out;
}

/// Paths (datasets and attributes) whose contents differ or exist in one file only, ignoring
/// the attributes named in `ignore` (e.g. "/@command_line").
inline std::vector<std::string> file_differences(const fs::path& a, const fs::path& b,
                                                 const std::vector<std::string>& ignore) {
    const auto da = dump_file(a), db = dump_file(b);
    std::vector<std::string> diff;
    auto ignored = [&](const std::string& k) { return std::find(ignore.begin(), ignore.end(), k) != ignore.end(); };
    for (const auto& [k, v] : da) {
        if (ignored(k)) continue;
        const auto it = db.find(k);
        if (it == db.end() || it->second != v) diff.push_back(k);
    }
    for (const auto& [k, v] : db)
        if (!ignored(k) && !da.contains(k)) diff.push_back(k);
    return diff;
}

}  // namespace cli_test
