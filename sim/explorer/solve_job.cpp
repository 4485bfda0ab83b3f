#include "explorer/solve_job.hpp"

#include "core/error.hpp"
#include "model/parameter_table.hpp"
#include "solve/search.hpp"

#include <algorithm>
#include <map>
#include <regex>

namespace cpcsim::explorer {

SolveRequest parse_solve_request(const Fields& fields, const std::vector<Lever>& levers, int max_replicates) {
    ProblemList problems;
    SolveRequest r;
    r.replicates = std::min(10, max_replicates);
    // The lever bounds, checked by lever_overrides as /api/run's fields are (levers only, plain
    // numbers, each once), then paired up.
    Fields lows, highs;
    std::map<std::string, int> seen;
    bool has_target = false;
    for (const auto& [key, value] : fields) {
        const std::string where = "field " + (key.size() > 60 ? key.substr(0, 60) + "..." : key);
        if (++seen[key] > 1 && !key.starts_with("low.") && !key.starts_with("high.")) {
            problems.add({"request", where, "given twice; give each field once"});
            continue;
        }
        try {
            if (key == "target") {
                has_target = true;
                r.target = solve::parse_target(value.substr(0, 200));
            } else if (key == "minimise") {
                if (value.empty()) continue;
                r.objective = solve::measure_index(value.substr(0, 60), "minimise");
                r.objective_name = value;
            } else if (key == "confidence") {
                static const std::regex plain(R"(^(0?\.[0-9]{1,6}|1(\.0*)?)$)");
                if (!std::regex_match(value, plain) || std::stod(value) <= 0)
                    throw Error("request", where, "expected a plain number in (0, 1], such as 0.8");
                r.confidence = std::stod(value);
            } else if (key == "replicates") {
                static const std::regex whole(R"(^[0-9]{1,6}$)");
                if (!std::regex_match(value, whole) || std::stoi(value) < 2 || std::stoi(value) > max_replicates)
                    throw Error("request", where,
                                "expected a whole number from 2 to " + std::to_string(max_replicates) +
                                    " (the server's --replicates)");
                r.replicates = std::stoi(value);
            } else if (key.starts_with("low.") || key.starts_with("high.")) {
                const auto lever = key.substr(key.find('.') + 1);
                const auto it =
                    std::find_if(levers.begin(), levers.end(), [&](const Lever& l) { return l.key == lever; });
                if (it != levers.end() && it->kind == ParamKind::Boolean)
                    throw Error("request", where,
                                "a switch (on or off), not a numeric lever: solve searches numeric levers");
                (key.starts_with("low.") ? lows : highs).emplace_back(lever, value);
            } else {
                problems.add({"request", where,
                              "not a field of a solve (target, low.KEY, high.KEY, confidence, "
                              "minimise, replicates)"});
            }
        } catch (const Error& e) {
            for (const auto& p : e.problems()) problems.add({"request", where, p.message});
        }
    }
    if (!has_target) problems.add({"request", "field target", "missing: expected e.g. 'access_rate >= 0.27'"});
    std::vector<std::string> low_set, high_set;
    try {
        low_set = lever_overrides(lows, levers);
        high_set = lever_overrides(highs, levers);
    } catch (const Error& e) {
        for (const auto& p : e.problems()) problems.add(p);
    }
    // lever_overrides gives "KEY=VALUE" in lever order: pair the lows with the highs.
    std::map<std::string, std::pair<std::string, std::string>> bounds;
    for (const auto& s : low_set) bounds[s.substr(0, s.find('='))].first = s.substr(s.find('=') + 1);
    for (const auto& s : high_set) bounds[s.substr(0, s.find('='))].second = s.substr(s.find('=') + 1);
    for (const auto& l : levers) {
        const auto it = bounds.find(l.key);
        if (it == bounds.end()) continue;
        const auto& [low, high] = it->second;
        if (low.empty() || high.empty()) {
            problems.add({"request", "field " + l.key, "give both low." + l.key + " and high." + l.key});
            continue;
        }
        try {
            r.levers.push_back(solve::make_lever(l.key, std::stod(low), std::stod(high), model_parameters()));
        } catch (const Error& e) {
            for (const auto& p : e.problems()) problems.add({"request", "field " + l.key, p.message});
        }
    }
    if (bounds.empty() && problems.empty())
        problems.add({"request", "field low.KEY", "no lever: give low.KEY and high.KEY for at least one lever"});
    if (r.levers.size() > 4) problems.add({"request", "levers", "at most 4 levers at once"});
    problems.throw_if_any();
    return r;
}

SolveJobs::SolveJobs(std::filesystem::path scenario, std::uint64_t seed, int threads)
    : scenario_(std::move(scenario)), seed_(seed), threads_(threads) {}

SolveJobs::~SolveJobs() = default;

std::int64_t SolveJobs::submit(SolveRequest request) {
    auto req = std::make_shared<const SolveRequest>(std::move(request));
    // Held across submit so that the job, which publishes only while it is the newest, finds itself there.
    std::lock_guard lock(mutex_);
    latest_id_ =
        queue_.submit([this, req](std::int64_t id, const std::atomic<bool>& cancelled) { run(id, *req, cancelled); });
    latest_json_.clear();
    return latest_id_;
}

void SolveJobs::publish(std::int64_t id, std::string json) {
    std::lock_guard lock(mutex_);
    if (id == latest_id_) latest_json_ = std::move(json);
}

void SolveJobs::run(std::int64_t id, const SolveRequest& r, const std::atomic<bool>& cancelled) {
    solve::ScenarioEvaluator::Options o;
    o.scenario = scenario_;
    o.seed = seed_;
    o.threads = threads_;
    o.objective = r.objective;
    o.cancelled = &cancelled;
    solve::ScenarioEvaluator evaluator(r.levers, r.target, o);
    solve::Settings s;
    s.confidence = r.confidence;
    s.replicates = r.replicates;
    s.verify_replicates = 2 * r.replicates;
    s.minimise = r.objective.has_value();
    s.design_seed = seed_;
    s.on_point = [&](const std::vector<solve::Point>& points) {
        solve::Result partial;
        partial.points = points;
        publish(id, solve::result_json(partial, r.levers, r.target, s, r.objective_name));
    };
    const solve::Evaluate evaluate = [&](const std::vector<double>& x, int first, int count) {
        return evaluator(x, first, count);
    };
    try {
        const auto result = r.levers.size() == 1 && !s.minimise
                                ? solve::bisect(r.levers.front(), r.target, s, 0.02, evaluate).result
                                : solve::search(r.levers, r.target, s, evaluate);
        publish(id, solve::result_json(result, r.levers, r.target, s, r.objective_name));
    } catch (const solve::ScenarioEvaluator::Cancelled&) {
        // a newer solve took over; the queue marks this one cancelled
    }
}

std::string SolveJobs::status_json(std::int64_t job) const {
    std::lock_guard lock(mutex_);
    if (job == 0) job = latest_id_;
    std::string o = "{\"job\":" + std::to_string(job) + ",\"state\":" + json_string(job_state_name(queue_.state(job))) +
                    ",\"result\":";
    o += job == latest_id_ && !latest_json_.empty() ? latest_json_ : std::string("null");
    if (!o.empty() && o.back() == '\n') o.pop_back();
    return o + "}";
}

}  // namespace cpcsim::explorer
