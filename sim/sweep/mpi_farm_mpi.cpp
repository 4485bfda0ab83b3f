// MPI farming of sweep runs; compiled only when CPCSIM_WITH_MPI (see sweep/mpi_farm.hpp).
#include "sweep/mpi_farm.hpp"

#include "core/error.hpp"

#include <mpi.h>

#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace cpcsim::sweep {

bool mpi_built() noexcept {
    return true;
}

namespace {

enum Tag : int { kRequest = 1, kAssign = 2, kEnd = 3, kBye = 4 };

void check(int rc, const char* what) {
    if (rc != MPI_SUCCESS) {
        char text[MPI_MAX_ERROR_STRING] = {};
        int len = 0;
        MPI_Error_string(rc, text, &len);
        throw Error("", "MPI", std::string(what) + " failed: " + std::string(text, static_cast<std::size_t>(len)));
    }
}

void send_text(const std::string& text, int dest, int tag) {
    check(MPI_Send(text.data(), static_cast<int>(text.size()), MPI_CHAR, dest, tag, MPI_COMM_WORLD), "MPI_Send");
}

std::string one_line(std::string s) {
    for (char& c : s)
        if (c == '\n' || c == '\r') c = ' ';
    return s;
}

/// "D <id>" for a completed run, "F <id> <reason>" for a failed one; one per line.
std::string result_line(std::int64_t id, const std::string& failure) {
    return failure.empty() ? "D " + std::to_string(id) + "\n"
                           : "F " + std::to_string(id) + " " + one_line(failure) + "\n";
}

/// Sleeps until a message is there (MPI_Iprobe + short sleeps, so a waiting rank leaves its
/// core to the simulation threads instead of spinning in a blocking receive).
MPI_Status wait_for_message(int source, int tag) {
    MPI_Status status{};
    int flag = 0;
    auto pause = std::chrono::microseconds(50);
    while (true) {
        check(MPI_Iprobe(source, tag, MPI_COMM_WORLD, &flag, &status), "MPI_Iprobe");
        if (flag) return status;
        std::this_thread::sleep_for(pause);
        pause = std::min(pause * 2, std::chrono::microseconds(2000));
    }
}

std::string receive_text(const MPI_Status& status) {
    int count = 0;
    check(MPI_Get_count(&status, MPI_CHAR, &count), "MPI_Get_count");
    std::string text(static_cast<std::size_t>(count), '\0');
    MPI_Status st{};
    check(MPI_Recv(text.data(), count, MPI_CHAR, status.MPI_SOURCE, status.MPI_TAG, MPI_COMM_WORLD, &st), "MPI_Recv");
    return text;
}

}  // namespace

MpiSession::MpiSession() {
    int initialized = 0;
    MPI_Initialized(&initialized);
    if (!initialized) {
        int provided = 0;
        check(MPI_Init_thread(nullptr, nullptr, MPI_THREAD_FUNNELED, &provided), "MPI_Init_thread");
        if (provided < MPI_THREAD_FUNNELED)
            throw Error("", "MPI", "the MPI library does not support threads (MPI_THREAD_FUNNELED)");
    }
    MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
    MPI_Comm_size(MPI_COMM_WORLD, &size_);
}

MpiSession::~MpiSession() {
    int finalized = 0;
    MPI_Finalized(&finalized);
    if (!finalized) MPI_Finalize();
}

bool MpiSession::all_ok(bool ok) const {
    int mine = ok ? 1 : 0, all = 0;
    check(MPI_Allreduce(&mine, &all, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD), "MPI_Allreduce");
    return all == 1;
}

RunReport run_sweep_mpi(const MpiSession& session, const Manifest& m, const LoadedSweep& loaded,
                        const RunOptions& options, const SweepProgress& progress) {
    RunOptions o = options;
    const int threads = o.threads > 0 ? o.threads : 1;
    SweepRun run(m, loaded, o);
    RunReport report;
    std::mutex report_mutex;

    // Rank 0 prepares the parts folder (and finds what is left on --resume) before any rank
    // writes to it, and tells every rank whether to go on.
    std::deque<std::int64_t> queue;
    std::string prepare_error;
    if (session.rank() == 0) {
        try {
            const auto pending = run.prepare();
            queue.assign(pending.begin(), pending.end());
        } catch (const std::exception& e) {
            prepare_error = e.what();
        }
    }
    int go = prepare_error.empty() ? 1 : 0;
    check(MPI_Bcast(&go, 1, MPI_INT, 0, MPI_COMM_WORLD), "MPI_Bcast");
    if (!go) {
        if (session.rank() == 0) throw Error("", "", prepare_error);
        throw Error("", "", "");  // rank 0 reports the problem
    }
    const auto start = std::chrono::steady_clock::now();

    if (session.rank() == 0) {
        std::mutex queue_mutex, progress_mutex;
        const int total = static_cast<int>(queue.size());
        int finished = 0;
        auto tick = [&] {
            if (!progress) return;
            std::lock_guard lock(progress_mutex);
            progress(++finished, total);
        };
        auto next = [&]() -> std::int64_t {
            std::lock_guard lock(queue_mutex);
            if (queue.empty()) return -1;
            const auto id = queue.front();
            queue.pop_front();
            return id;
        };
        std::vector<std::thread> local;
        for (int t = 0; t < threads; ++t)
            local.emplace_back([&] {
                for (std::int64_t id; (id = next()) >= 0;) {
                    std::string failure;
                    try {
                        run.execute(id);
                    } catch (const std::exception& e) {
                        failure = e.what();
                    } catch (...) {
                        failure = "unknown exception";
                    }
                    {
                        std::lock_guard lock(report_mutex);
                        if (failure.empty())
                            ++report.simulated;
                        else
                            report.failures.push_back({id, "rank 0: " + failure});
                    }
                    tick();
                }
            });
        // Serve the other ranks until each has said it is done.
        int ended = 0;
        while (ended < session.size() - 1) {
            const MPI_Status status = wait_for_message(MPI_ANY_SOURCE, MPI_ANY_TAG);
            const std::string text = receive_text(status);
            std::istringstream lines(text);
            std::string line;
            while (std::getline(lines, line)) {
                if (line.size() < 3) continue;
                std::int64_t id = -1;
                std::string reason;
                std::istringstream ls(line.substr(2));
                ls >> id;
                std::getline(ls, reason);
                if (!reason.empty() && reason.front() == ' ') reason.erase(0, 1);
                {
                    std::lock_guard lock(report_mutex);
                    if (line[0] == 'D')
                        ++report.simulated;
                    else
                        report.failures.push_back({id, "rank " + std::to_string(status.MPI_SOURCE) + ": " + reason});
                }
                tick();
            }
            if (status.MPI_TAG == kRequest) {
                const std::int64_t id = next();
                check(MPI_Send(&id, 1, MPI_INT64_T, status.MPI_SOURCE, kAssign, MPI_COMM_WORLD), "MPI_Send");
            } else if (status.MPI_TAG == kEnd) {
                ++ended;
            }
        }
        for (auto& t : local) t.join();
        report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        std::string finish_error;
        try {
            run.finish(report);
        } catch (const std::exception& e) {
            finish_error = e.what();
        }
        int status = report.written ? 0 : 1;
        for (int r = 1; r < session.size(); ++r)
            check(MPI_Send(&status, 1, MPI_INT, r, kBye, MPI_COMM_WORLD), "MPI_Send");
        if (!finish_error.empty()) throw Error("", "", finish_error);
        return report;
    }

    // A worker rank: `threads` simulation threads; the main thread asks rank 0 for a run id
    // whenever a thread is idle, passing on the results since the last request.
    std::mutex mutex;
    std::condition_variable wake_main, wake_threads;
    std::deque<std::int64_t> ids;
    std::string results;
    bool stop = false;
    int waiting = 0, alive = threads;
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; ++t)
        pool.emplace_back([&] {
            while (true) {
                std::int64_t id = -1;
                {
                    std::unique_lock lock(mutex);
                    ++waiting;
                    wake_main.notify_one();
                    wake_threads.wait(lock, [&] { return !ids.empty() || stop; });
                    --waiting;
                    if (ids.empty()) {
                        --alive;
                        wake_main.notify_one();
                        return;
                    }
                    id = ids.front();
                    ids.pop_front();
                }
                std::string failure;
                try {
                    run.execute(id);
                } catch (const std::exception& e) {
                    failure = e.what();
                    if (failure.empty()) failure = "unknown error";
                } catch (...) {
                    failure = "unknown exception";
                }
                std::lock_guard lock(mutex);
                results += result_line(id, failure);
            }
        });
    while (true) {
        std::string batch;
        {
            std::unique_lock lock(mutex);
            wake_main.wait(lock, [&] { return alive == 0 || (!stop && waiting > static_cast<int>(ids.size())); });
            if (alive == 0) break;
            batch.swap(results);
        }
        send_text(batch, 0, kRequest);
        std::int64_t id = -1;
        MPI_Status st = wait_for_message(0, kAssign);
        check(MPI_Recv(&id, 1, MPI_INT64_T, 0, kAssign, MPI_COMM_WORLD, &st), "MPI_Recv");
        {
            std::lock_guard lock(mutex);
            if (id < 0)
                stop = true;
            else
                ids.push_back(id);
        }
        wake_threads.notify_all();
    }
    for (auto& t : pool) t.join();
    run.sync_parts();
    send_text(results, 0, kEnd);
    int status = 0;
    MPI_Status st = wait_for_message(0, kBye);
    check(MPI_Recv(&status, 1, MPI_INT, 0, kBye, MPI_COMM_WORLD, &st), "MPI_Recv");
    return RunReport{};
}

}  // namespace cpcsim::sweep
