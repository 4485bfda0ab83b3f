// `cpcsim solve` in the explorer (docs/explorer.md, "Solve in the explorer"): the fields of a
// POST /api/solve checked like /api/run's (only the explorer's numeric levers, plain numbers,
// every problem at once), and the solves run as jobs of their own bounded queue (a new solve
// supersedes the waiting one and stops the running one), publishing the settings tried so far.
#pragma once

#include "explorer/explorer.hpp"
#include "explorer/job_queue.hpp"
#include "solve/problem.hpp"

#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace cpcsim::explorer {

struct SolveRequest {
    solve::Target target;
    std::vector<solve::Lever> levers;
    double confidence = 0.8;
    std::optional<std::size_t> objective;  ///< summary measure to minimise
    std::string objective_name = "levers";
    int replicates = 10;
};

/// The fields of a solve request: `target` ("MEASURE >= VALUE", "MEASURE <= VALUE" or "diff
/// MEASURE >= VALUE"), `low.KEY` and `high.KEY` for each lever KEY (a numeric lever of the
/// explorer; both plain numbers, LOW < HIGH within the parameter's range), `confidence` (a plain
/// number in (0, 1], default 0.8), `minimise` (a summary measure, optional) and `replicates` (a
/// whole number in [2, max_replicates], default min(10, max_replicates)). Every problem is
/// collected into one cpcsim::Error (file "request").
[[nodiscard]] SolveRequest parse_solve_request(const Fields& fields, const std::vector<Lever>& levers,
                                               int max_replicates);

/// The solves of one explorer session, on the baseline scenario and its seed.
class SolveJobs {
public:
    SolveJobs(std::filesystem::path scenario, std::uint64_t seed, int threads);
    ~SolveJobs();
    SolveJobs(const SolveJobs&) = delete;
    SolveJobs& operator=(const SolveJobs&) = delete;

    /// Queues a solve (superseding a waiting one, stopping a running one); returns its job id.
    std::int64_t submit(SolveRequest request);
    /// {"job", "state", "result"}: the newest solve's settings tried so far and, once done, its
    /// answer and verification (solve::result_json); `job` 0: the newest.
    [[nodiscard]] std::string status_json(std::int64_t job) const;
    void wait_idle() { queue_.wait_idle(); }

private:
    void run(std::int64_t id, const SolveRequest& request, const std::atomic<bool>& cancelled);
    void publish(std::int64_t id, std::string json);

    std::filesystem::path scenario_;
    std::uint64_t seed_;
    int threads_;
    mutable std::mutex mutex_;
    std::int64_t latest_id_ = 0;
    std::string latest_json_;  ///< the newest job's result JSON ("" before its first setting)
    JobQueue queue_;           ///< last member: its worker stops before the rest goes
};

}  // namespace cpcsim::explorer
