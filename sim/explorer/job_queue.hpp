// A bounded job queue for the explorer: one worker thread, at most one job running and one
// waiting. A new job supersedes the waiting one (it never runs) and asks the running one to stop
// (its work checks the flag between batches of replicates), so a burst of lever moves costs at
// most one batch of wasted work instead of a pile of runs nobody will look at.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string_view>
#include <thread>

namespace cpcsim::explorer {

enum class JobState { Waiting, Running, Done, Cancelled, Superseded, Failed, Unknown };
[[nodiscard]] std::string_view job_state_name(JobState s) noexcept;  // "waiting", "running", ...

class JobQueue {
public:
    /// The work of a job, given its id; it returns early when `cancelled` becomes true. An
    /// exception it throws marks the job Failed (the worker thread carries on).
    using Work = std::function<void(std::int64_t id, const std::atomic<bool>& cancelled)>;

    /// `remembered`: how many finished jobs' states are kept for state() (older ones: Unknown).
    explicit JobQueue(std::size_t remembered = 64);
    ~JobQueue();  ///< cancels the running job, drops the waiting one and joins the worker
    JobQueue(const JobQueue&) = delete;
    JobQueue& operator=(const JobQueue&) = delete;

    /// Queues `work` as the next job and returns its id (1, 2, ...): the waiting job, if any,
    /// becomes Superseded and the running one is asked to stop (Cancelled once it returns).
    std::int64_t submit(Work work);
    [[nodiscard]] JobState state(std::int64_t id) const;
    /// Blocks until no job is running or waiting.
    void wait_idle();

private:
    struct Job {
        std::int64_t id = 0;
        Work work;
        std::atomic<bool> cancelled{false};
    };
    void loop();
    void remember(std::int64_t id, JobState s);  // lock held

    mutable std::mutex mutex_;
    std::condition_variable wake_, idle_;
    std::shared_ptr<Job> waiting_, running_;
    std::map<std::int64_t, JobState> states_;
    std::size_t remembered_;
    std::int64_t next_id_ = 1;
    bool stopping_ = false;
    std::thread worker_;
};

}  // namespace cpcsim::explorer
