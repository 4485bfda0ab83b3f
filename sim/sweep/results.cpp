#include "sweep/results.hpp"

#include "core/error.hpp"
#include "core/version.hpp"
#include "io/atomic_file.hpp"
#include "io/run_output.hpp"
#include "metrics/run_measures.hpp"
#include "sweep/hash.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cinttypes>
#include <cstdio>
#include <set>
#include <system_error>

namespace cpcsim::sweep {

namespace fs = std::filesystem;

namespace {

bool is_temporary(const std::string& name) {
    return !name.empty() && name.front() == '.' && name.find(".tmp-") != std::string::npos;
}

bool parse_part_name(const std::string& name, std::int64_t& run) {
    if (name.size() < 8 || name.rfind("run-", 0) != 0 || name.substr(name.size() - 3) != ".h5") return false;
    const std::string digits = name.substr(4, name.size() - 7);
    if (digits.empty() || digits.find_first_not_of("0123456789") != std::string::npos) return false;
    run = std::stoll(digits);
    return true;
}

std::vector<std::int64_t> read_i64(const io::File& f, const std::string& path) {
    return f.read<std::int64_t>(path).values;
}

}  // namespace

fs::path parts_dir_of(const fs::path& out) {
    return fs::path(out.string() + ".parts");
}

fs::path part_path(const fs::path& dir, std::int64_t run) {
    char buf[40];
    std::snprintf(buf, sizeof buf, "run-%08" PRId64 ".h5", run);
    return dir / buf;
}

fs::path write_part(const fs::path& dir, const Manifest& m, const RunRow& row, const Scenario& scenario,
                    RunOutputs outputs) {
    static std::atomic<unsigned> counter{0};
    const fs::path final_path = part_path(dir, row.id);
    const fs::path temp = dir / ("." + final_path.filename().string() + ".tmp-" + std::to_string(::getpid()) + "-" +
                                 std::to_string(counter++));
    struct Remove {
        const fs::path& p;
        bool keep = false;
        ~Remove() {
            std::error_code ec;
            if (!keep) fs::remove(p, ec);
        }
    } guard{temp};
    const io::RegisteredTemp removed_if_interrupted(temp);
    {
        auto f = io::File::create(temp);
        f.set_string_attr("format", kPartFormat);
        f.set_int_attr("run_id", row.id);
        f.set_int_attr("point", row.point);
        f.set_int_attr("replicate", row.replicate);
        f.set_string_attr("run_hash", hex64(row.hash));
        f.set_string_attr("base_hash", hex64(m.base_hash));
        std::vector<RunOutputs> runs;
        runs.push_back(std::move(outputs));
        io::write_runs(f, runs, measure_runs(scenario, runs), {row.replicate}, "run");
        f.close();
    }
    if (::rename(temp.c_str(), final_path.c_str()) != 0) {
        const int err = errno;
        throw Error(final_path.string(), "",
                    "cannot rename the part file into place: " + std::generic_category().message(err));
    }
    guard.keep = true;
    return final_path;
}

PartSyncer::PartSyncer(std::chrono::milliseconds interval) : interval_(interval), thread_([this] { loop(); }) {}

PartSyncer::~PartSyncer() {
    {
        std::lock_guard lock(mutex_);
        stop_ = true;
    }
    wake_.notify_all();
    thread_.join();
    flush();
}

void PartSyncer::add(const fs::path& file) {
    std::lock_guard lock(mutex_);
    pending_.push_back(file);
}

void PartSyncer::flush() {
    std::vector<fs::path> files;
    {
        std::lock_guard lock(mutex_);
        files.swap(pending_);
    }
    std::set<fs::path> dirs;
    for (const auto& f : files) {
        // A file already removed (assembled and cleaned up) needs no sync.
        const int fd = ::open(f.c_str(), O_RDONLY | O_CLOEXEC);
        if (fd < 0) continue;
        ::fsync(fd);
        ::close(fd);
        dirs.insert(f.parent_path());
    }
    for (const auto& d : dirs) {
        const int fd = ::open(d.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0) continue;
        ::fsync(fd);
        ::close(fd);
    }
}

void PartSyncer::loop() {
    std::unique_lock lock(mutex_);
    while (!stop_) {
        wake_.wait_for(lock, interval_, [this] { return stop_; });
        if (stop_) break;
        if (pending_.empty()) continue;
        lock.unlock();
        flush();
        lock.lock();
    }
}

int count_part_files(const fs::path& dir) {
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) return 0;
    int n = 0;
    for (const auto& e : fs::directory_iterator(dir, ec)) {
        const std::string name = e.path().filename().string();
        std::int64_t run = 0;
        if (parse_part_name(name, run) || is_temporary(name)) ++n;
    }
    return n;
}

int scan_parts(const fs::path& dir, const Manifest& m, Sources& s, bool remove_temporaries) {
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) return 0;
    std::vector<std::pair<std::int64_t, fs::path>> found;
    for (const auto& e : fs::directory_iterator(dir, ec)) {
        const std::string name = e.path().filename().string();
        std::int64_t run = 0;
        if (is_temporary(name)) {
            if (remove_temporaries) fs::remove(e.path(), ec);
        } else if (parse_part_name(name, run)) {
            found.emplace_back(run, e.path());
        }
    }
    std::sort(found.begin(), found.end());
    int stale = 0;
    for (const auto& [run, path] : found) {
        bool ok = false;
        if (run >= 0 && run < static_cast<std::int64_t>(m.runs.size())) {
            try {
                const auto f = io::File::open_read_only(path);
                ok = f.has_attr("format") && f.string_attr("format") == kPartFormat && f.int_attr("run_id") == run &&
                     f.string_attr("run_hash") == hex64(m.runs[static_cast<std::size_t>(run)].hash) &&
                     f.is_group("/runs");
            } catch (const Error&) {
                ok = false;  // unreadable: redo the run
            }
        }
        if (!ok) {
            ++stale;
            continue;
        }
        s.files.push_back(path);
        s.rows[run] = {s.files.size() - 1, 0};
    }
    return stale;
}

bool scan_results_file(const fs::path& file, const Manifest& m, Sources& s) {
    std::error_code ec;
    if (!fs::is_regular_file(file, ec)) return false;
    try {
        const auto f = io::open_results(file);
        if (f.string_attr("kind") != "sweep" || !f.is_dataset("/sweep/run_id") || !f.is_dataset("/sweep/run_hash"))
            return false;
        const auto ids = read_i64(f, "/sweep/run_id");
        const auto hashes = f.read_strings("/sweep/run_hash");
        if (ids.size() != hashes.size()) return false;
        s.files.push_back(file);
        const std::size_t index = s.files.size() - 1;
        for (std::size_t i = 0; i < ids.size(); ++i) {
            const auto run = ids[i];
            if (run >= 0 && run < static_cast<std::int64_t>(m.runs.size()) &&
                hashes[i] == hex64(m.runs[static_cast<std::size_t>(run)].hash))
                s.rows[run] = {index, i};
        }
        return true;
    } catch (const Error&) {
        return false;
    }
}

io::Provenance sweep_provenance(const Manifest& m, const Scenario& base, const std::string& command_line) {
    return io::provenance_for("sweep", base, command_line, m.seed, m.replicates());
}

Manifest manifest_of(const io::File& file) {
    if (!file.is_dataset("/sweep/manifest"))
        throw Error(file.file_name(), "", "not a sweep results file (no /sweep/manifest)");
    return parse_manifest(file.read_string("/sweep/manifest"), file.file_name() + ":/sweep/manifest", {});
}

void write_results(const fs::path& out_path, const Manifest& m, const ResultsHeader& h, const Sources& s,
                   const std::vector<std::int64_t>& runs) {
    io::AtomicOutput out(out_path);
    {
        auto f = io::File::create(out.temp_path());
        io::write_provenance(f, h.provenance);
        const std::string mhash = hex64(m.hash());
        f.set_string_attr("manifest_hash", mhash);
        f.set_string_attr("sweep_name", m.sweep_name);
        f.set_string_attr("design", m.design);
        if (h.task >= 0) {
            f.set_int_attr("task", h.task);
            f.set_int_attr("tasks", h.tasks);
        }
        h.write_labels(f);

        // /sweep: the plan and the table of runs.
        const auto nruns = static_cast<std::uint64_t>(runs.size());
        const auto npoints = static_cast<std::uint64_t>(m.points.size());
        const auto nparams = static_cast<std::uint64_t>(m.parameters.size());
        io::Group sw = f.require_group("/sweep");
        sw.set_string_attr("design", m.design);
        sw.set_string_attr("sweep_name", m.sweep_name);
        sw.set_string_attr("manifest_hash", mhash);
        sw.set_string_attr("base_hash", hex64(m.base_hash));
        sw.set_uint_attr("seed", m.seed);
        sw.set_uint_attr("design_seed", m.design_seed);
        sw.set_int_attr("manifest_runs", static_cast<std::int64_t>(m.runs.size()));
        if (m.levels > 0) sw.set_int_attr("levels", m.levels);
        if (m.lhs_points > 0) sw.set_int_attr("lhs_points", m.lhs_points);
        sw.set_strings_attr("base_overrides", m.base_overrides);
        std::vector<std::int64_t> run_id, point, replicate;
        std::vector<std::string> run_hash_text;
        for (const auto id : runs) {
            const auto& r = m.runs.at(static_cast<std::size_t>(id));
            run_id.push_back(r.id);
            point.push_back(r.point);
            replicate.push_back(r.replicate);
            run_hash_text.push_back(hex64(r.hash));
        }
        f.write_dataset("/sweep/run_id", run_id, {nruns}, {.dims = {"run"}, .description = "run id in the manifest"});
        f.write_dataset("/sweep/point", point, {nruns}, {.dims = {"run"}, .description = "design point of each run"});
        f.write_dataset("/sweep/replicate", replicate, {nruns},
                        {.dims = {"run"}, .description = "replicate index: the random key is (seed, replicate)"});
        f.write_strings("/sweep/run_hash", run_hash_text, {.dims = {"run"}, .description = "content hash of each run"});
        std::vector<std::string> names, settings;
        for (const auto& p : m.points) {
            names.push_back(p.name);
            settings.push_back(m.settings_text(p.id));
        }
        f.write_strings("/sweep/point_names", names, {.dims = {"point"}});
        f.write_strings(
            "/sweep/point_settings", settings,
            {.dims = {"point"}, .description = "the point's --set overrides (after the sweep's base overrides)"});
        f.write_strings("/sweep/parameter_names", m.parameters, {.dims = {"parameter"}});
        f.write_dataset("/sweep/point_values", h.point_values, {npoints, nparams},
                        {.dims = {"point", "parameter"},
                         .description = "value of each parameter at each point (NaN where not a single number)"});
        if (!m.range_min.empty()) {
            f.write_dataset("/sweep/parameter_min", m.range_min, {nparams}, {.dims = {"parameter"}});
            f.write_dataset("/sweep/parameter_max", m.range_max, {nparams}, {.dims = {"parameter"}});
        }
        if (m.design == "morris") {
            std::vector<std::int64_t> traj, changed;
            for (const auto& p : m.points) traj.push_back(p.trajectory), changed.push_back(p.changed);
            f.write_dataset("/sweep/morris_trajectory", traj, {npoints}, {.dims = {"point"}});
            f.write_dataset(
                "/sweep/morris_changed", changed, {npoints},
                {.dims = {"point"},
                 .description = "parameter changed from the previous point of the trajectory; -1 at its start"});
        }
        f.write_string("/sweep/manifest", to_csv(m), {.description = "the sweep manifest (CSV), verbatim"});

        // /runs: every dataset of the part files with a leading run dimension, in run order.
        struct Out {
            std::string path;
            std::string type;
            io::Shape row;
            io::Dataset ds;
        };
        std::vector<Out> outs;
        std::size_t open_index = static_cast<std::size_t>(-1);
        io::File src;
        auto open_source = [&](std::size_t index) {
            if (index != open_index) {
                src = io::File();
                src = io::File::open_read_only(s.files.at(index));
                open_index = index;
            }
        };
        for (std::size_t i = 0; i < runs.size();) {
            const auto it = s.rows.find(runs[i]);
            if (it == s.rows.end())
                throw Error(out_path.string(), "", "run " + std::to_string(runs[i]) + " has no results to assemble");
            // A segment: consecutive rows of one file.
            const std::size_t file = it->second.first;
            const std::uint64_t first = it->second.second;
            std::size_t n = 1;
            while (i + n < runs.size()) {
                const auto next = s.rows.find(runs[i + n]);
                if (next == s.rows.end() || next->second.first != file || next->second.second != first + n) break;
                ++n;
            }
            open_source(file);
            const std::string src_name = s.files[file].string();
            if (outs.empty()) {
                for (const auto& name : src.open_group("/runs").children()) {
                    const std::string p = "/runs/" + name;
                    if (!src.is_dataset(p)) continue;
                    const io::Dataset d = src.open_dataset(p);
                    const auto info = d.info();
                    if (!info.num_type || info.shape.empty()) continue;
                    outs.push_back({p, info.type_name, io::Shape(info.shape.begin() + 1, info.shape.end()),
                                    f.create_rows_like(p, d, "run")});
                }
            }
            for (auto& o : outs) {
                if (!src.is_dataset(o.path))
                    throw Error(src_name, o.path, "missing: the sources of a sweep must hold the same datasets");
                const io::Dataset d = src.open_dataset(o.path);
                const auto info = d.info();
                const io::Shape row(info.shape.empty() ? info.shape.begin() : info.shape.begin() + 1, info.shape.end());
                if (info.type_name != o.type || row != o.row)
                    throw Error(src_name, o.path,
                                "has rows of " + info.type_name + " " + io::shape_to_string(row) +
                                    "; the other runs have " + io::shape_to_string(o.row) +
                                    " (a sweep cannot vary run.years or anything else that changes the output shapes)");
                o.ds.append_rows_from(d, first, n);
            }
            i += n;
        }
        src = io::File();
        outs.clear();
        f.close();
    }
    out.commit();
}

void merge(const std::vector<fs::path>& task_files, const fs::path& out, const MergeOptions& o) {
    if (task_files.empty()) throw Error("", "", "no task files given to merge");
    {
        std::set<fs::path> seen;
        for (const auto& p : task_files)
            if (!seen.insert(fs::weakly_canonical(p)).second) throw Error(p.string(), "", "given twice");
    }
    // Check every file first: kind, manifest hash, task index.
    std::optional<Manifest> manifest;
    std::string first_hash, first_name;
    if (o.expected) {
        first_hash = hex64(o.expected->hash());
        first_name = "the given manifest";
    }
    Sources s;
    std::map<int, std::string> tasks_given;
    int tasks = 0;
    std::map<std::int64_t, std::string> owner;
    for (const auto& path : task_files) {
        const auto f = io::open_results(path);
        const std::string name = path.string();
        if (f.string_attr("kind") != "sweep" || !f.has_attr("manifest_hash") || !f.is_dataset("/sweep/run_id"))
            throw Error(name, "", "not a sweep task or results file (kind is '" + f.string_attr("kind") + "')");
        const std::string h = f.string_attr("manifest_hash");
        if (first_hash.empty()) {
            first_hash = h;
            first_name = name;
        } else if (h != first_hash) {
            throw Error(name, "",
                        "made for a different sweep manifest (manifest hash " + h + ") than " + first_name + " (" +
                            first_hash + "); merge only the task files of one sweep, or plan and run the tasks again");
        }
        if (!manifest) manifest = manifest_of(f);
        if (f.has_attr("task")) {
            tasks_given[static_cast<int>(f.int_attr("task"))] = name;
            tasks = std::max(tasks, static_cast<int>(f.int_attr("tasks")));
        }
        const auto ids = read_i64(f, "/sweep/run_id");
        s.files.push_back(path);
        for (std::size_t i = 0; i < ids.size(); ++i) {
            if (const auto it = owner.find(ids[i]); it != owner.end())
                throw Error(name, "",
                            "run " + std::to_string(ids[i]) + " is also in " + it->second +
                                "; each run must come from exactly one task file");
            owner[ids[i]] = name;
            s.rows[ids[i]] = {s.files.size() - 1, i};
        }
    }
    const Manifest& m = o.expected ? *o.expected : *manifest;
    std::vector<std::int64_t> missing;
    for (const auto& r : m.runs)
        if (!s.rows.count(r.id)) missing.push_back(r.id);
    if (!missing.empty()) {
        std::string ids;
        for (std::size_t i = 0; i < missing.size() && i < 10; ++i) ids += (i ? ", " : "") + std::to_string(missing[i]);
        if (missing.size() > 10) ids += ", ...";
        std::string which;
        if (tasks > 0) {
            std::vector<std::string> absent;
            for (int t = 0; t < tasks; ++t)
                if (!tasks_given.count(t)) absent.push_back(std::to_string(t));
            if (!absent.empty()) {
                which = "; no file was given for task";
                which += absent.size() > 1 ? "s " : " ";
                for (std::size_t i = 0; i < absent.size(); ++i) which += (i ? ", " : "") + absent[i];
                which += " of " + std::to_string(tasks);
            }
        }
        throw Error(out.string(), "",
                    std::to_string(missing.size()) + " of " + std::to_string(m.runs.size()) +
                        " runs are missing from the task files (run ids " + ids + ")" + which);
    }
    ResultsHeader h;
    const auto first = io::open_results(task_files.front());
    h.provenance = io::read_provenance(first);
    h.provenance.kind = "sweep";
    h.provenance.program_version = kVersion;
    h.provenance.git_commit = kGitCommit;
    h.provenance.command_line = o.command_line;
    h.provenance.created_utc = io::utc_now_iso8601();
    h.point_values = first.read<double>("/sweep/point_values").values;
    h.write_labels = [&](io::File& f) {
        f.copy_datasets_from(first, "/labels");
        f.copy_datasets_from(first, "/population");
    };
    std::vector<std::int64_t> runs;
    for (const auto& r : m.runs) runs.push_back(r.id);
    write_results(out, m, h, s, runs);
}

}  // namespace cpcsim::sweep
