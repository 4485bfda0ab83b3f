#include "sweep/results.hpp"

#include "core/error.hpp"
#include "core/version.hpp"
#include "io/atomic_file.hpp"
#include "io/run_output.hpp"
#include "io/sweep_files.hpp"
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
                    const ModelParams& params, RunOutputs outputs) {
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
    const StoredOutputs store = StoredOutputs::parse(m.store, "", "manifest store");
    io::write_part_file(
        temp,
        {row.id, row.point, row.replicate, hex64(row.hash), hex64(m.base_hash), store, uncertainty_text(m.uncertainty)},
        outputs, measure_run(scenario, params, outputs, row.replicate));
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
        const bool known = run >= 0 && run < static_cast<std::int64_t>(m.runs.size());
        const bool ok = known && io::part_file_matches(path, run, hex64(m.runs[static_cast<std::size_t>(run)].hash));
        if (!ok) {
            // A run of this sweep made with another uncertainty choice: mixing it in would be
            // wrong and running it again silently would hide the mistake.
            if (const std::string u = known ? io::part_file_uncertainty(path) : "";
                !u.empty() && u != uncertainty_text(m.uncertainty))
                throw Error(path.string(), "",
                            "this part was made with parameter uncertainty " + u + ", but the sweep now has " +
                                uncertainty_text(m.uncertainty) +
                                ": resume with the same --uncertainty, --uncertainty-seed and --replicates-per-draw, "
                                "or remove the folder to start again");
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
    std::string made_with;
    try {
        const auto h = io::read_sweep_header(file);
        if (h.run_id.size() != h.run_hash.size()) return false;
        made_with =
            uncertainty_text(parse_manifest(h.manifest_csv, file.string() + ":/sweep/manifest", {}).uncertainty);
        s.files.push_back(file);
        const std::size_t index = s.files.size() - 1;
        for (std::size_t i = 0; i < h.run_id.size(); ++i) {
            const auto run = h.run_id[i];
            if (run >= 0 && run < static_cast<std::int64_t>(m.runs.size()) &&
                h.run_hash[i] == hex64(m.runs[static_cast<std::size_t>(run)].hash))
                s.rows[run] = {index, i};
        }
    } catch (const Error&) {
        return false;
    }
    if (made_with != uncertainty_text(m.uncertainty))
        throw Error(file.string(), "",
                    "made with parameter uncertainty " + made_with + ", but the sweep now has " +
                        uncertainty_text(m.uncertainty) +
                        ": resume with the same --uncertainty, --uncertainty-seed and --replicates-per-draw, or "
                        "write to another file");
    return true;
}

io::Provenance sweep_provenance(const Manifest& m, const Scenario& base, const std::string& command_line) {
    return io::provenance_for("sweep", base, command_line, m.seed, m.replicates(),
                              StoredOutputs::parse(m.store, "", "manifest store"));
}

namespace {

/// The plan of `m` as stored in a results file holding `runs`.
io::SweepPlan plan_of(const Manifest& m, const ResultsHeader& h, const std::vector<std::int64_t>& runs) {
    io::SweepPlan p;
    p.sweep_name = m.sweep_name;
    p.design = m.design;
    p.manifest_hash = hex64(m.hash());
    p.base_hash = hex64(m.base_hash);
    p.manifest_csv = to_csv(m);
    p.seed = m.seed;
    p.design_seed = m.design_seed;
    p.manifest_runs = static_cast<std::int64_t>(m.runs.size());
    p.levels = m.levels;
    p.lhs_points = m.lhs_points;
    p.base_overrides = m.base_overrides;
    for (const auto id : runs) {
        const auto& r = m.runs.at(static_cast<std::size_t>(id));
        p.run_id.push_back(r.id);
        p.point.push_back(r.point);
        p.replicate.push_back(r.replicate);
        p.run_hash.push_back(hex64(r.hash));
    }
    for (const auto& pt : m.points) {
        p.point_names.push_back(pt.name);
        p.point_settings.push_back(m.settings_text(pt.id));
    }
    p.parameter_names = m.parameters;
    p.point_values = h.point_values;
    p.range_min = m.range_min;
    p.range_max = m.range_max;
    p.morris = m.design == "morris";
    if (p.morris)
        for (const auto& pt : m.points) {
            p.morris_trajectory.push_back(pt.trajectory);
            p.morris_changed.push_back(pt.changed);
        }
    p.task = h.task;
    p.tasks = h.tasks;
    return p;
}

}  // namespace

void write_results(const fs::path& out_path, const Manifest& m, const ResultsHeader& h, const Sources& s,
                   const std::vector<std::int64_t>& runs) {
    std::vector<io::RowSource> rows;
    rows.reserve(runs.size());
    for (const auto id : runs) {
        const auto it = s.rows.find(id);
        if (it == s.rows.end())
            throw Error(out_path.string(), "", "run " + std::to_string(id) + " has no results to assemble");
        rows.push_back({it->second.first, it->second.second});
    }
    io::AtomicOutput out(out_path);
    io::write_sweep_results_file(out.temp_path(), h.provenance, plan_of(m, h, runs), h.labels, s.files, rows);
    if (h.draws) io::write_draws(out.temp_path(), "/uncertainty", *h.draws);
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
        const auto header = io::read_sweep_header(path);
        const std::string name = path.string();
        const std::string& h = header.manifest_hash;
        if (first_hash.empty()) {
            first_hash = h;
            first_name = name;
        } else if (h != first_hash) {
            throw Error(name, "",
                        "made for a different sweep manifest (manifest hash " + h + ") than " + first_name + " (" +
                            first_hash + "); merge only the task files of one sweep, or plan and run the tasks again");
        }
        if (!manifest) manifest = parse_manifest(header.manifest_csv, name + ":/sweep/manifest", {});
        if (header.task >= 0) {
            tasks_given[header.task] = name;
            tasks = std::max(tasks, header.tasks);
        }
        const auto& ids = header.run_id;
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
    h.provenance = io::read_provenance(io::open_results(task_files.front()));
    h.provenance.kind = "sweep";
    h.provenance.program_version = kVersion;
    h.provenance.git_commit = kGitCommit;
    h.provenance.command_line = o.command_line;
    h.provenance.created_utc = io::utc_now_iso8601();
    h.point_values = io::read_sweep_point_values(task_files.front());
    h.labels.copy_from = task_files.front();
    // Every task file is for the same manifest, so each holds the same draws.
    if (m.uncertainty.on) h.draws = io::read_draws(task_files.front(), "/uncertainty");
    std::vector<std::int64_t> runs;
    for (const auto& r : m.runs) runs.push_back(r.id);
    write_results(out, m, h, s, runs);
}

}  // namespace cpcsim::sweep
