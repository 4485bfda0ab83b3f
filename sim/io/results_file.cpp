#include "io/results_file.hpp"

#include "core/error.hpp"
#include "core/version.hpp"

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <ctime>
#include <fstream>
#include <functional>
#include <string_view>
#include <system_error>
#include <vector>

namespace cpcsim::io {

namespace {

constexpr std::array<const char*, 10> kRootAttributes = {
    "format",      "schema_version", "kind", "program_version", "git_commit", "command_line",
    "created_utc", "scenario_name",  "seed", "replicates"};

constexpr std::array<const char*, 3> kScenarioTexts = {"scenario_toml", "areas_csv", "providers_csv"};

std::string child_path(const std::string& parent, const std::string& name) {
    return parent == "/" ? "/" + name : parent + "/" + name;
}

std::string with_separators(std::uint64_t n) {
    std::string digits = std::to_string(n);
    std::string out;
    const std::size_t len = digits.size();
    for (std::size_t i = 0; i < len; ++i) {
        if (i > 0 && (len - i) % 3 == 0) out += ',';
        out += digits[i];
    }
    return out;
}

std::string layout_text(const DatasetInfo& info) {
    std::string s;
    switch (info.layout) {
        case Layout::compact:
            s = "compact";
            break;
        case Layout::contiguous:
            s = "contiguous";
            break;
        case Layout::chunked:
            s = "chunked " + shape_to_string(info.chunk);
            break;
        case Layout::other:
            s = "other layout";
            break;
    }
    for (std::size_t i = 0; i < info.filters.size(); ++i) s += (i == 0 ? ", " : "+") + info.filters[i];
    return s;
}

std::string dims_text(const std::vector<std::string>& dims) {
    if (dims.empty()) return "";
    std::string s = " (";
    for (std::size_t i = 0; i < dims.size(); ++i) s += (i > 0 ? ", " : "") + dims[i];
    return s + ")";
}

}  // namespace

void write_scenario_inputs(File& file, std::string_view group, const Provenance& p) {
    Group g = file.require_group(group);
    g.set_string_attr("scenario_name", p.scenario_name);
    const std::array<const std::string*, 3> texts = {&p.scenario_toml, &p.areas_csv, &p.providers_csv};
    const std::array<const char*, 3> what = {"scenario file (TOML), verbatim", "areas table (CSV), verbatim",
                                             "providers table (CSV), verbatim"};
    for (std::size_t i = 0; i < texts.size(); ++i) {
        DatasetOptions o;
        o.description = what[i];
        g.write_string(kScenarioTexts[i], *texts[i], o);
    }
}

void write_provenance(File& file, const Provenance& p, std::string_view scenario_group) {
    if (p.kind != "run" && p.kind != "compare" && p.kind != "sweep")
        throw Error(file.file_name(), "/ attribute 'kind'",
                    "kind is \"" + p.kind + "\"; expected \"run\", \"compare\" or \"sweep\"");
    file.set_string_attr("format", kResultsFormat);
    file.set_int_attr("schema_version", kSchemaVersion);
    file.set_string_attr("kind", p.kind);
    file.set_string_attr("program_version", p.program_version);
    file.set_string_attr("git_commit", p.git_commit);
    file.set_string_attr("command_line", p.command_line);
    file.set_string_attr("created_utc", p.created_utc);
    file.set_string_attr("scenario_name", p.scenario_name);
    file.set_uint_attr("seed", p.seed);
    file.set_int_attr("replicates", p.replicates);
    file.set_string_attr("stored_outputs", p.stored_outputs);
    write_scenario_inputs(file, scenario_group, p);
}

Provenance read_provenance(const File& file, std::string_view scenario_group) {
    Provenance p;
    p.kind = file.string_attr("kind");
    p.program_version = file.string_attr("program_version");
    p.git_commit = file.string_attr("git_commit");
    p.command_line = file.string_attr("command_line");
    p.created_utc = file.string_attr("created_utc");
    p.scenario_name = file.string_attr("scenario_name");
    p.seed = file.uint_attr("seed");
    p.replicates = file.int_attr("replicates");
    if (file.has_attr("stored_outputs")) p.stored_outputs = file.string_attr("stored_outputs");
    if (file.is_group(scenario_group)) {
        const Group g = file.open_group(scenario_group);
        std::array<std::string*, 3> texts = {&p.scenario_toml, &p.areas_csv, &p.providers_csv};
        for (std::size_t i = 0; i < texts.size(); ++i)
            if (g.is_dataset(kScenarioTexts[i])) *texts[i] = g.read_string(kScenarioTexts[i]);
    }
    return p;
}

namespace {

std::uint64_t little_endian(const unsigned char* p, int bytes) {
    std::uint64_t v = 0;
    for (int i = bytes - 1; i >= 0; --i) v = (v << 8) | p[i];
    return v;
}

}  // namespace

void check_global_heaps(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return;  // File::open_read_only says why
    const std::string name = path.string();
    constexpr std::size_t kBlock = 1 << 20, kHeader = 16;
    std::error_code ec;
    const auto file_size = static_cast<std::uint64_t>(std::filesystem::file_size(path, ec));
    if (ec) return;
    std::string block(kBlock + 3, '\0');
    for (std::uint64_t base = 0; base < file_size; base += kBlock) {
        in.clear();
        in.seekg(static_cast<std::streamoff>(base));
        in.read(block.data(), static_cast<std::streamsize>(block.size()));
        const auto got = static_cast<std::size_t>(in.gcount());
        for (std::size_t at = std::string_view(block.data(), got).find("GCOL");
             at != std::string_view::npos && at < kBlock;
             at = std::string_view(block.data(), got).find("GCOL", at + 1)) {
            // A collection: "GCOL", version 1, 3 reserved zero bytes, its size (8 bytes).
            const std::uint64_t start = base + at;
            unsigned char header[kHeader];
            std::ifstream heap(path, std::ios::binary);
            heap.seekg(static_cast<std::streamoff>(start));
            if (!heap.read(reinterpret_cast<char*>(header), kHeader)) continue;
            if (header[4] != 1 || header[5] != 0 || header[6] != 0 || header[7] != 0) continue;
            const std::uint64_t size = little_endian(header + 8, 8);
            const auto where = "global heap collection at byte " + std::to_string(start);
            if (size < kHeader || size > file_size - start)
                throw Error(name, "",
                            "truncated or corrupt HDF5 file: the " + where + " claims " + std::to_string(size) +
                                " bytes, beyond the end of the file (" + std::to_string(file_size) + " bytes)");
            std::vector<unsigned char> heap_bytes(size);
            std::memcpy(heap_bytes.data(), header, kHeader);
            if (!heap.read(reinterpret_cast<char*>(heap_bytes.data() + kHeader),
                           static_cast<std::streamsize>(size - kHeader)))
                continue;
            // Objects: index (2), reference count (2), reserved (4), size (8), data padded to 8. The walk
            // is HDF5's own (H5HG__cache_heap_deserialize): a tail shorter than an object header is free
            // space; object 0 (free space) counts its header in its size and HDF5 steps over exactly that
            // many bytes, so a free-space size of 0 makes it loop for ever.
            for (std::uint64_t object = kHeader; object + kHeader <= size;) {
                const std::uint64_t index = little_endian(heap_bytes.data() + object, 2);
                const std::uint64_t length = little_endian(heap_bytes.data() + object + 8, 8);
                const std::uint64_t rest = size - object;
                if (index == 0) {
                    if (length < kHeader || length > rest)
                        throw Error(name, "",
                                    "damaged HDF5 file: the free space at byte " + std::to_string(object) + " of the " +
                                        where + " claims " + std::to_string(length) + " bytes; it must be 16 to " +
                                        std::to_string(rest) +
                                        " (HDF5 1.10 would loop or read past the collection; the file cannot be "
                                        "read safely)");
                    object += length;
                    continue;
                }
                if (length > rest - kHeader)
                    throw Error(name, "",
                                "damaged HDF5 file: object " + std::to_string(index) + " of the " + where + " claims " +
                                    std::to_string(length) + " bytes, more than the collection's " +
                                    std::to_string(size) +
                                    " (HDF5 1.10 would read past it; the file cannot be read safely)");
                object += kHeader + (length + 7) / 8 * 8;
            }
        }
    }
}

namespace {

/// True in the probe's child process, whose own opens must not probe again.
bool probing = false;

/// Exit statuses of the probe's child besides 0 (read to the end without a problem).
constexpr int kProbeError = 3;        ///< an ordinary error, sent to the parent through the pipe
constexpr int kProbeOutOfMemory = 4;  ///< std::bad_alloc

/// The probe child's stack limit.
constexpr rlim_t kProbeStack = 256 * 1024;

/// Touches everything HDF5 parses from a file's metadata: links, groups, attributes (and their
/// values) and datasets' types, shapes and creation properties.
void walk_structure(const Group& group) {
    for (const auto& a : group.attr_names()) (void)group.attr_as_text(a);
    for (const auto& name : group.children()) {
        const std::string p = group.path() == "/" ? "/" + name : group.path() + "/" + name;
        if (group.is_group(p)) {
            walk_structure(group.open_group(p));
        } else if (group.is_dataset(p)) {
            const Dataset d = group.open_dataset(p);
            (void)d.info();
            for (const auto& a : d.attr_names()) (void)d.attr_as_text(a);
        }
    }
}

}  // namespace

void probe_readable(const std::filesystem::path& path, unsigned seconds) {
    if (probing) return;  // inside the probe's own child
    const std::string name = path.string();
    int channel[2];
    // Close-on-exec: a process the child starts (AddressSanitizer's symbolizer after a crash)
    // must not hold the pipe open, or the parent would wait for it instead of the child.
    if (::pipe2(channel, O_CLOEXEC) != 0) return;  // no probe possible: the caller's own open still checks what it can
    std::fflush(nullptr);                          // nothing buffered is written twice
    const pid_t child = ::fork();
    if (child < 0) {
        ::close(channel[0]);
        ::close(channel[1]);
        return;
    }
    if (child == 0) {
        // The child: a default SIGALRM ends it if HDF5 loops; only HDF5 runs here.
        ::close(channel[0]);
        std::signal(SIGALRM, SIG_DFL);
        ::alarm(seconds);
        // A small stack: HDF5 recurses without bound on some damaged headers and links, and the
        // deeper it goes before overflowing, the longer a sanitizer takes to report it. Reading a
        // sound file's metadata needs a few kilobytes.
        rlimit stack{};
        if (::getrlimit(RLIMIT_STACK, &stack) == 0 &&
            (stack.rlim_cur == RLIM_INFINITY || stack.rlim_cur > kProbeStack)) {
            stack.rlim_cur = kProbeStack;
            (void)::setrlimit(RLIMIT_STACK, &stack);
        }
        probing = true;
        // What `cpcsim info` reads, first: its ordinary error (bad format, a damaged dataset) goes
        // back to the parent, which then reports it without reading the file itself, so a damaged
        // length that makes HDF5 allocate gigabytes is paid for once, in the child.
        try {
            (void)describe_results(path);
        } catch (const Error& e) {
            std::string text;
            for (const auto& p : e.problems()) text += p.file + '\x1f' + p.where + '\x1f' + p.message + '\x1e';
            for (std::size_t done = 0; done < text.size();) {
                const ssize_t n = ::write(channel[1], text.data() + done, text.size() - done);
                if (n <= 0) break;
                done += static_cast<std::size_t>(n);
            }
            ::_exit(kProbeError);
        } catch (...) {
            ::_exit(kProbeOutOfMemory);  // std::bad_alloc, the only other thing HDF5 calls can throw
        }
        // Then the whole structure: HDF5 may crash on a later call (a half-decoded attribute table).
        try {
            walk_structure(File::open_read_only(path));
        } catch (const Error&) {
            // An object info does not read; the caller's own reads report it if they need it.
        } catch (...) {
            ::_exit(kProbeOutOfMemory);
        }
        ::_exit(0);
    }
    ::close(channel[1]);
    std::string text;
    char buffer[4096];
    for (;;) {
        const ssize_t n = ::read(channel[0], buffer, sizeof buffer);
        if (n > 0) {
            text.append(buffer, static_cast<std::size_t>(n));
            continue;
        }
        if (n < 0 && errno == EINTR) continue;
        break;
    }
    ::close(channel[0]);
    int status = 0;
    while (::waitpid(child, &status, 0) < 0)
        if (errno != EINTR) return;
    if (WIFEXITED(status)) {
        const int code = WEXITSTATUS(status);
        if (code == 0) return;
        if (code == kProbeError) {
            std::vector<Problem> problems;
            for (std::size_t at = 0; at < text.size();) {
                const std::size_t end = text.find('\x1e', at);
                if (end == std::string::npos) break;
                const std::string record = text.substr(at, end - at);
                const std::size_t a = record.find('\x1f');
                const std::size_t b = a == std::string::npos ? a : record.find('\x1f', a + 1);
                if (b != std::string::npos)
                    problems.push_back({record.substr(0, a), record.substr(a + 1, b - a - 1), record.substr(b + 1)});
                at = end + 1;
            }
            if (!problems.empty()) throw Error(std::move(problems));
        }
        if (code == kProbeOutOfMemory)
            throw Error(name, "",
                        "damaged HDF5 file: reading its structure ran out of memory (a damaged length asks the HDF5 "
                        "library for more than this machine can give); it cannot be read safely");
        throw Error(name, "",
                    "damaged HDF5 file: reading its structure failed (exit status " + std::to_string(code) +
                        ", for example an allocation over a memory limit); it cannot be read safely");
    }
    if (!WIFSIGNALED(status)) return;
    const int sig = WTERMSIG(status);
    if (sig == SIGALRM)
        throw Error(name, "",
                    "damaged HDF5 file: reading its structure did not finish in " + std::to_string(seconds) +
                        " s (the HDF5 library loops on some damaged files); it cannot be read safely");
    throw Error(name, "",
                "damaged HDF5 file: reading its structure crashed the HDF5 library (signal " + std::to_string(sig) +
                    ", " + ::strsignal(sig) + "); it cannot be read safely");
}

File open_results(const std::filesystem::path& path) {
    const std::string name = path.string();
    check_global_heaps(path);
    probe_readable(path);
    File f = File::open_read_only(path);  // no such file / not HDF5 / truncated or corrupt
    if (!f.has_attr("format"))
        throw Error(name, "", "not a cpcsim results file (no 'format' attribute on the root group)");
    std::string format;
    try {
        format = f.string_attr("format");
    } catch (const Error&) {
        format = "(not a single string)";
    }
    if (format != kResultsFormat)
        throw Error(name, "",
                    "not a cpcsim results file (no 'format' attribute equal to \"" + std::string(kResultsFormat) +
                        "\"; found \"" + format + "\")");
    if (!f.has_attr("schema_version"))
        throw Error(name, "", "damaged cpcsim results file: the root group has no 'schema_version' attribute");
    const std::int64_t version = f.int_attr("schema_version");
    if (version > kSchemaVersion)
        throw Error(name, "",
                    "the file has schema version " + std::to_string(version) + ", newer than this program (cpcsim " +
                        kVersion + ") can read: it supports schema versions 1 to " + std::to_string(kSchemaVersion) +
                        "; use a newer cpcsim");
    if (version < 1)
        throw Error(name, "", "damaged cpcsim results file: invalid schema version " + std::to_string(version));
    return f;
}

std::string describe_results(const std::filesystem::path& path) {
    const File f = open_results(path);
    std::string out = "cpcsim results file " + path.string() + "\n\nProvenance\n";

    std::vector<std::string> names(kRootAttributes.begin(), kRootAttributes.end());
    for (const auto& a : f.attr_names())
        if (std::find(names.begin(), names.end(), a) == names.end()) names.push_back(a);
    std::size_t width = 0;
    for (const auto& n : names) width = std::max(width, n.size());
    for (const auto& n : names) {
        if (!f.has_attr(n)) continue;
        std::string v = f.attr_as_text(n);
        std::replace(v.begin(), v.end(), '\n', ' ');
        out += "  " + n + std::string(width - n.size() + 2, ' ') + v + "\n";
    }

    // Tree: one row per object, the name column padded to a common width.
    std::vector<std::pair<std::string, std::string>> rows;
    std::function<void(const Group&, std::size_t)> walk = [&](const Group& g, std::size_t depth) {
        const std::string indent(2 * depth, ' ');
        for (const auto& child : g.children()) {
            const std::string p = child_path(g.path(), child);
            if (g.is_group(p)) {
                rows.emplace_back(indent + child + "/", "group");
                walk(g.open_group(p), depth + 1);
            } else if (g.is_dataset(p)) {
                const DatasetInfo info = g.open_dataset(p).info();
                rows.emplace_back(indent + child, info.type_name + " " + shape_to_string(info.shape, info.max_shape) +
                                                      dims_text(info.dims) + "; " + layout_text(info) + "; " +
                                                      with_separators(info.storage_bytes) + " bytes stored");
            } else {
                rows.emplace_back(indent + child, "(link to nothing)");
            }
        }
    };
    walk(f, 1);
    out += "\nContents (/)\n";
    std::size_t name_width = 0;
    for (const auto& r : rows) name_width = std::max(name_width, r.first.size());
    for (const auto& r : rows) out += r.first + std::string(name_width - r.first.size() + 2, ' ') + r.second + "\n";

    std::error_code ec;
    const auto size = std::filesystem::file_size(path, ec);
    out += "\nFile size: " + with_separators(ec ? f.size_bytes() : size) + " bytes\n";
    return out;
}

std::string utc_now_iso8601() {
    const std::time_t now = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&now, &tm);
    char buf[32];
    const std::size_t n = std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return std::string(buf, n);
}

}  // namespace cpcsim::io
