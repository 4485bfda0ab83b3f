// The commissioner's explorer behind `cpcsim serve` (docs/explorer.md): the levers a page may
// move, the validation of every request against them and against the scenario's own checks,
// paired runs of the changed scenario against a cached baseline on the same seeds (common
// random numbers), progressive results as JSON, and the files a page may save or download, all
// kept inside one results folder.
#pragma once

#include "core/error.hpp"
#include "explorer/job_queue.hpp"
#include "metrics/outcomes.hpp"
#include "metrics/run_measures.hpp"
#include "scenario/scenario.hpp"

#include <array>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace cpcsim::explorer {

class SolveJobs;

/// One lever: a scenario parameter the page may set, with its range from the parameter table.
struct Lever {
    std::string key;    ///< parameter key, e.g. "network.rota_24_7"
    std::string group;  ///< "network" or "funding", for the page's headings
    ParamKind kind = ParamKind::Real;
    double min = 0, max = 0, value = 0;  ///< range and the baseline scenario's value
    std::string unit, help;
};
/// The levers of the explorer, with `base`'s values: every network mechanism and the funding
/// multipliers (docs/explorer.md lists them).
[[nodiscard]] std::vector<Lever> levers(const Scenario& base, const ParamRegistry& registry);

using Fields = std::vector<std::pair<std::string, std::string>>;
/// A finished replicate, shared between the job that made it and every snapshot of its results
/// (a Y&H replicate's counters are about 10 MB: they are never copied while a job runs).
using RunPtr = std::shared_ptr<const RunOutputs>;
/// The request's fields as --set overrides ("key=value"), in lever order. A field that is not
/// a lever, a repeated field or a value that is neither a plain number nor true/false throws
/// cpcsim::Error naming the field (file "request"); ranges are checked by load_scenario.
[[nodiscard]] std::vector<std::string> lever_overrides(const Fields& fields, const std::vector<Lever>& levers);

/// A request's fields as they go to load_scenario: the region-wide levers as --set overrides,
/// and the lever sets for one place and the new posts as TOML tables ([[local_network]],
/// [[funding_change]]) built here from checked fields (no client text is copied into TOML
/// except through toml_quoted).
struct Request {
    std::vector<std::string> overrides;
    std::string layer;                 ///< empty when the request has no lever set for a place and no new posts
    std::vector<std::string> summary;  ///< "local.1: icb=... rota_24_7=true", one per set, for people
    int uncertainty = -1;              ///< field uncertainty: 0 none, 1 prior, -1 not given (the default)
};
/// Fields of a lever set for one place: local.K.icb (an ICB of the areas table) or local.K.areas
/// (area codes, comma-separated) and local.K.<lever> for the levers [[local_network]] takes; of
/// new posts or money for one provider: post.K.provider (a provider id), post.K.wte or
/// post.K.amount_gbp, post.K.year (default 0) and post.K.income (statutory, the default, or
/// charitable). K is 1 to kMaxPlaces; the sets become blocks in order of K. Every problem at once
/// (cpcsim::Error, file "request"); ICB names, area codes, provider ids and ranges are checked
/// by load_scenario with the scenario's own messages.
constexpr int kMaxPlaces = 8;
[[nodiscard]] Request parse_request(const Fields& fields, const std::vector<Lever>& levers,
                                    const ParamRegistry& registry);

/// `dir / name` when `name` is a plain file name ([A-Za-z0-9._-], not starting with '.', at most
/// 100 characters) ending in `extension`; else cpcsim::Error naming the field `what`. No request
/// can name a path outside `dir` this way.
[[nodiscard]] std::filesystem::path file_in(const std::filesystem::path& dir, const std::string& name,
                                            const std::string& extension, const std::string& what);

/// JSON string literal of `s` (quotes included, control characters escaped).
[[nodiscard]] std::string json_string(std::string_view s);
/// The problems of an Error as a JSON object {"problems": ["...", ...]}.
[[nodiscard]] std::string error_json(const Error& e);

struct Options {
    std::uint64_t seed = 0;
    /// Parameter uncertainty: `on` is the page's default mode; the settings (priors, an ensemble,
    /// replicates per draw) are those of the "prior" mode (replicates per draw 2 and the priors
    /// alone when off). Both arms of a paired replicate take the same draw.
    UncertaintySettings uncertainty;
    int replicates = 20;  ///< replicates per lever setting (the answer is refined up to this)
    int batch = 0;        ///< replicates per step (0: one per thread)
    int threads = 0;      ///< 0: every core
};

/// One explorer session: a baseline scenario, its cached replicates and the current job.
class Explorer {
public:
    /// Loads `scenario` (throws cpcsim::Error as `cpcsim run` would) and runs the baseline's
    /// first batch, so that the first lever move only runs the changed scenario.
    Explorer(const std::filesystem::path& scenario, const std::filesystem::path& results_dir, Options options);
    ~Explorer();

    [[nodiscard]] const Scenario& baseline() const noexcept { return base_; }
    [[nodiscard]] const std::filesystem::path& results_dir() const noexcept { return results_dir_; }
    /// {"scenario", "file", "replicates", "seed", "levers", "local_levers", "measures", "areas",
    /// "icbs", "providers", "years"}
    [[nodiscard]] std::string levers_json() const;

    /// Validates the fields (lever_overrides, then load_scenario with them: throws cpcsim::Error)
    /// and queues a paired run of the changed scenario, superseding any earlier one; returns
    /// the job id.
    std::int64_t submit(const Fields& fields);
    /// The job's state and its latest results as JSON ({"job", "state", "done", "target",
    /// "measures", "quintiles", "ethnic_groups", "areas"}); the newest job's results when `job`
    /// is 0.
    [[nodiscard]] std::string status_json(std::int64_t job) const;
    /// Blocks until the queue is idle (tests, benchmarks).
    void wait_idle() { queue_.wait_idle(); }
    /// Validates a solve request (parse_solve_request, with this session's levers) and queues it
    /// on the solves' own queue; returns its job id.
    std::int64_t submit_solve(const Fields& fields);
    /// The solves (explorer/solve_job.hpp), on the baseline scenario and the session's seed.
    [[nodiscard]] SolveJobs& solves() noexcept { return *solves_; }

    /// Writes the newest job's scenario as a self-contained TOML file `name` in the results
    /// folder (loads back in `cpcsim run` to the same values); returns its path.
    std::filesystem::path save_scenario(const std::string& name) const;
    /// Writes the newest job's finished replicates as a comparison file (HDF5, the layout of
    /// `cpcsim compare`, baseline = A) `name` in the results folder; returns its path.
    std::filesystem::path save_results_h5(const std::string& name) const;
    /// The newest job's paired comparison as CSV text (one row per measure and group).
    [[nodiscard]] std::string results_csv() const;

private:
    struct Result;
    /// The newest job's results with the baseline's replicates of the same indices; Error if
    /// no replicate has finished yet.
    struct Snapshot {
        std::shared_ptr<Result> result;
        std::vector<RunPtr> base_runs;
        std::vector<RunMeasures> base_measures;
    };
    [[nodiscard]] Snapshot snapshot() const;
    void run_job(std::int64_t id, const Scenario& changed, const std::vector<std::string>& places, int mode,
                 const std::atomic<bool>& cancelled);
    void extend_baseline(int mode, int count);  // worker thread (and the constructor) only
    [[nodiscard]] std::string uncertainty_note(int mode) const;

    Scenario base_;              ///< the baseline with the scenario's values (mode 0)
    Scenario base_uncertain_;    ///< the same with parameter draws (mode 1)
    UncertaintySettings prior_;  ///< the draws of mode 1
    int default_mode_ = 0;
    std::filesystem::path results_dir_;
    Options options_;
    std::vector<Lever> levers_;
    // Baseline replicates 0..n-1 per mode; grown by the worker thread only, read under mutex_.
    std::array<std::vector<RunPtr>, 2> base_runs_;
    std::array<std::vector<RunMeasures>, 2> base_measures_;
    mutable std::mutex mutex_;
    std::shared_ptr<Result> latest_;  ///< the newest job's results (under mutex_)
    std::unique_ptr<SolveJobs> solves_;
    JobQueue queue_;  ///< last member: its worker stops before the rest goes
};

}  // namespace cpcsim::explorer
