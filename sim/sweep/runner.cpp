#include "sweep/runner.hpp"

#include "core/error.hpp"
#include "engine/replicate.hpp"
#include "io/atomic_file.hpp"
#include "sweep/hash.hpp"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/partitioner.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <chrono>
#include <exception>
#include <system_error>
#include <thread>

namespace cpcsim::sweep {

namespace fs = std::filesystem;

SweepRun::SweepRun(const Manifest& m, const LoadedSweep& loaded, RunOptions options)
    : m_(m),
      loaded_(loaded),
      o_(std::move(options)),
      parts_(parts_dir_of(o_.out)),
      syncer_(std::make_unique<PartSyncer>()) {
    if (o_.tasks > 0 && (o_.task < 0 || o_.task >= o_.tasks))
        throw Error("", "--task",
                    "task " + std::to_string(o_.task) + " is outside 0 to " + std::to_string(o_.tasks - 1));
    share_ = task_runs(m_, o_.tasks > 0 ? o_.task : 0, o_.tasks > 0 ? o_.tasks : 1);
}

std::vector<std::int64_t> SweepRun::prepare() {
    io::check_output_path(o_.out);
    std::error_code ec;
    const std::string parts_name = parts_.string();
    if (fs::exists(parts_, ec) && !fs::is_directory(parts_, ec))
        throw Error(parts_name, "", "exists and is not a folder; it is where completed runs are kept");
    Sources s;
    if (o_.resume) {
        use_existing_results_ = scan_results_file(o_.out, m_, s);
        scan_parts(parts_, m_, s, true);
    } else if (const int n = count_part_files(parts_); n > 0) {
        throw Error(parts_name, "",
                    "holds " + std::to_string(n) +
                        " part files of an earlier, unfinished sweep; add --resume to keep "
                        "its completed runs (only those matching this manifest are used), or remove the folder");
    }
    fs::create_directories(parts_, ec);
    if (ec) throw Error(parts_name, "", "cannot create the folder for completed runs: " + ec.message());
    std::vector<std::int64_t> pending;
    for (const auto id : share_)
        if (!s.rows.count(id)) pending.push_back(id);
    done_before_ = share_.size() - pending.size();
    return pending;
}

void SweepRun::execute(std::int64_t id) const {
    const auto& row = m_.runs.at(static_cast<std::size_t>(id));
    const Scenario& sc = *loaded_.points.at(static_cast<std::size_t>(row.point));
    // With uncertainty, replicate k runs with draw k / per_draw at every point (points stay paired).
    const auto replicate = static_cast<std::uint32_t>(row.replicate);
    const ModelParams params = ModelParams::from(replicate_parameters(sc, replicate));
    const bool keep_monthly = StoredOutputs::parse(m_.store, "", "manifest store").monthly;
    RunOutputs out = simulate_replicate(sc, params, m_.seed, replicate, ReplicateOptions{keep_monthly, false});
    if (o_.before_commit) o_.before_commit(id);
    syncer_->add(write_part(parts_, m_, row, sc, params, std::move(out)));
}

bool SweepRun::try_execute(std::int64_t id, RunReport& report, std::mutex& report_mutex) const {
    std::string reason;
    try {
        execute(id);
    } catch (const std::exception& e) {
        reason = e.what();
    } catch (...) {
        reason = "unknown exception";
    }
    std::lock_guard lock(report_mutex);
    if (reason.empty()) {
        ++report.simulated;
        return true;
    }
    report.failures.push_back({id, reason});
    return false;
}

void SweepRun::finish(RunReport& report) const {
    report.share = share_.size();
    report.already_done = done_before_;
    std::sort(report.failures.begin(), report.failures.end(),
              [](const RunFailure& a, const RunFailure& b) { return a.run < b.run; });
    syncer_->flush();
    if (!report.failures.empty()) return;
    Sources s;
    if (use_existing_results_) scan_results_file(o_.out, m_, s);
    scan_parts(parts_, m_, s, false);
    std::vector<std::int64_t> missing;
    for (const auto id : share_)
        if (!s.rows.count(id)) missing.push_back(id);
    if (!missing.empty()) {
        for (const auto id : missing) report.failures.push_back({id, "no part file was found after the run"});
        return;
    }
    ResultsHeader h;
    h.provenance = sweep_provenance(m_, *loaded_.base, o_.command_line);
    h.point_values = loaded_.point_values;
    const Scenario& base = *loaded_.base;
    h.labels.scenario = &base;
    if (m_.uncertainty.on) h.draws = io::draws_table(base, m_.replicates());
    if (o_.tasks > 0) {
        h.task = o_.task;
        h.tasks = o_.tasks;
    }
    write_results(o_.out, m_, h, s, share_);
    report.written = true;
    if (!o_.keep_parts) {
        std::error_code ec;
        fs::remove_all(parts_, ec);
    }
}

RunReport run_sweep(const Manifest& m, const LoadedSweep& loaded, const RunOptions& options,
                    const SweepProgress& progress) {
    SweepRun run(m, loaded, options);
    const auto pending = run.prepare();
    RunReport report;
    std::mutex mutex;
    int finished = 0;
    const int total = static_cast<int>(pending.size());
    const auto start = std::chrono::steady_clock::now();
    if (!pending.empty()) {
        tbb::task_arena arena(options.threads > 0 ? options.threads : tbb::task_arena::automatic);
        arena.execute([&] {
            // Grain 1 with the simple partitioner: idle threads take single runs, so one slow run
            // never holds back a block of others.
            tbb::parallel_for(
                tbb::blocked_range<std::size_t>(0, pending.size(), 1),
                [&](const tbb::blocked_range<std::size_t>& r) {
                    for (std::size_t i = r.begin(); i != r.end(); ++i) {
                        run.try_execute(pending[i], report, mutex);
                        if (progress) {
                            std::lock_guard lock(mutex);
                            progress(++finished, total);
                        }
                    }
                },
                tbb::simple_partitioner());
        });
    }
    report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    run.finish(report);
    return report;
}

}  // namespace cpcsim::sweep
