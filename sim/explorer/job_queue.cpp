#include "explorer/job_queue.hpp"

namespace cpcsim::explorer {

std::string_view job_state_name(JobState s) noexcept {
    switch (s) {
        case JobState::Waiting:
            return "waiting";
        case JobState::Running:
            return "running";
        case JobState::Done:
            return "done";
        case JobState::Cancelled:
            return "cancelled";
        case JobState::Superseded:
            return "superseded";
        case JobState::Failed:
            return "failed";
        case JobState::Unknown:
            break;
    }
    return "unknown";
}

JobQueue::JobQueue(std::size_t remembered) : remembered_(remembered), worker_([this] { loop(); }) {}

JobQueue::~JobQueue() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
        if (waiting_) remember(waiting_->id, JobState::Superseded);
        waiting_.reset();
        if (running_) running_->cancelled = true;
    }
    wake_.notify_all();
    worker_.join();
}

void JobQueue::remember(std::int64_t id, JobState s) {
    states_[id] = s;
    while (states_.size() > remembered_) states_.erase(states_.begin());
}

std::int64_t JobQueue::submit(Work work) {
    std::int64_t id = 0;
    {
        std::lock_guard lock(mutex_);
        id = next_id_++;
        if (waiting_) remember(waiting_->id, JobState::Superseded);
        if (running_) running_->cancelled = true;
        waiting_ = std::make_shared<Job>();
        waiting_->id = id;
        waiting_->work = std::move(work);
        remember(id, JobState::Waiting);
    }
    wake_.notify_all();
    return id;
}

JobState JobQueue::state(std::int64_t id) const {
    std::lock_guard lock(mutex_);
    const auto it = states_.find(id);
    return it == states_.end() ? JobState::Unknown : it->second;
}

void JobQueue::wait_idle() {
    std::unique_lock lock(mutex_);
    idle_.wait(lock, [this] { return !waiting_ && !running_; });
}

void JobQueue::loop() {
    std::unique_lock lock(mutex_);
    for (;;) {
        wake_.wait(lock, [this] { return stopping_ || waiting_; });
        if (stopping_) break;
        running_ = std::move(waiting_);
        remember(running_->id, JobState::Running);
        const auto job = running_;
        lock.unlock();
        JobState end = JobState::Done;
        try {
            job->work(job->id, job->cancelled);
        } catch (...) {
            end = JobState::Failed;
        }
        lock.lock();
        if (end == JobState::Done && job->cancelled) end = JobState::Cancelled;
        remember(job->id, end);
        running_.reset();
        if (!waiting_) idle_.notify_all();
    }
    running_.reset();
    idle_.notify_all();
}

}  // namespace cpcsim::explorer
