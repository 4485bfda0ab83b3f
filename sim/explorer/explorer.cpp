#include "explorer/explorer.hpp"
#include "explorer/solve_job.hpp"

#include "core/error.hpp"
#include "engine/runner.hpp"
#include "io/atomic_file.hpp"
#include "io/compare_file.hpp"
#include "io/run_output.hpp"
#include "metrics/paired.hpp"
#include "metrics/summary.hpp"
#include "model/parameter_table.hpp"
#include "scenario/toml_text.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <set>
#include <sstream>

namespace cpcsim::explorer {

namespace {

// The levers, in page order: every network mechanism (MODEL.md §4.5), then funding.
const std::vector<std::string>& lever_keys() {
    static const std::vector<std::string> keys = {"network.coordinator_wte",
                                                  "network.leadership",
                                                  "network.early_wins",
                                                  "network.training",
                                                  "network.common_standards",
                                                  "network.shared_records",
                                                  "network.pooled_capacity",
                                                  "network.pooling_max_travel_minutes",
                                                  "network.rota_24_7",
                                                  "funding.statutory_multiplier",
                                                  "funding.charitable_multiplier"};
    return keys;
}

bool plain_number(const std::string& v) {
    if (v.empty() || v.size() > 32) return false;
    char* end = nullptr;
    const double d = std::strtod(v.c_str(), &end);
    return end == v.c_str() + v.size() && std::isfinite(d) &&
           v.find_first_not_of("0123456789.eE+-") == std::string::npos;
}

std::string number(double v) {
    if (!std::isfinite(v)) return "null";
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.6g", v);
    return buf;
}

std::string interval_json(const Interval& i) {
    return "{\"mean\":" + number(i.mean) + ",\"low\":" + number(i.low) + ",\"high\":" + number(i.high) + "}";
}

std::string paired_json(const std::string& name, const PairedComparison& c) {
    return "{\"name\":" + json_string(name) + ",\"a\":" + interval_json(c.a) + ",\"b\":" + interval_json(c.b) +
           ",\"diff\":" + interval_json(c.difference) + "}";
}

/// Access (children reached / children with an LLC, over the horizon) of one run, by a grouping
/// of cells: `group(area, quintile, ethnic)` gives the group's index in [0, groups).
template <class Group>
std::vector<double> access_by(const RunOutputs& run, int groups, Group group) {
    std::vector<double> reached(groups, 0), children(groups, 0);
    const auto reached_var = static_cast<int>(AnnualVar::reached), children_var = static_cast<int>(AnnualVar::children);
    for (int y = 0; y < run.years; ++y)
        for (int a = 0; a < run.areas; ++a)
            for (int q = 0; q < kQuintiles; ++q)
                for (int e = 0; e < kEthnicGroups; ++e)
                    for (int r = 0; r < kRural; ++r) {
                        const auto row = (y * run.cells + cell_index(a, q, e, r)) * kAnnualVars;
                        const int g = group(a, q, e);
                        reached[g] += run.annual[row + reached_var];
                        children[g] += run.annual[row + children_var];
                    }
    std::vector<double> rate(groups);
    for (int g = 0; g < groups; ++g) rate[g] = children[g] > 0 ? reached[g] / children[g] : std::nan("");
    return rate;
}

enum class Grouping { Quintile, Ethnic, Area };

std::vector<std::vector<double>> access_rates(const std::vector<RunPtr>& runs, std::size_t n, Grouping g) {
    std::vector<std::vector<double>> out;
    for (std::size_t i = 0; i < n; ++i) {
        const auto& run = *runs[i];
        if (g == Grouping::Quintile)
            out.push_back(access_by(run, kQuintiles, [](int, int q, int) { return q; }));
        else if (g == Grouping::Ethnic)
            out.push_back(access_by(run, kEthnicGroups, [](int, int, int e) { return e; }));
        else
            out.push_back(access_by(run, run.areas, [](int a, int, int) { return a; }));
    }
    return out;
}

/// Paired comparison of every group's access: [group].
std::vector<PairedComparison> compare_groups(const std::vector<RunPtr>& a, const std::vector<RunPtr>& b, std::size_t n,
                                             Grouping g) {
    const auto ra = access_rates(a, n, g), rb = access_rates(b, n, g);
    std::vector<PairedComparison> out;
    const std::size_t groups = ra.empty() ? 0 : ra[0].size();
    for (std::size_t k = 0; k < groups; ++k) {
        std::vector<double> xa, xb;
        for (std::size_t i = 0; i < n; ++i) {
            xa.push_back(ra[i][k]);
            xb.push_back(rb[i][k]);
        }
        out.push_back(compare_paired(xa, xb));
    }
    return out;
}

std::vector<std::string> group_names(const Scenario& sc, Grouping g) {
    if (g == Grouping::Quintile) return dims::quintile.label_list();
    if (g == Grouping::Ethnic) return dims::ethnic_group.label_list();
    std::vector<std::string> names;
    for (const auto& a : sc.areas) names.push_back(a.code);
    return names;
}

}  // namespace

std::vector<Lever> levers(const Scenario& base, const ParamRegistry& registry) {
    std::vector<Lever> out;
    for (const auto& key : lever_keys()) {
        const auto* spec = registry.find(key);
        if (!spec || !spec->is_scalar()) continue;  // a registry without the key (tests) offers fewer levers
        Lever l;
        l.key = key;
        l.group = key.substr(0, key.find('.'));
        l.kind = spec->kind;
        l.min = spec->min;
        l.max = spec->max;
        // Funding multipliers up to 10 would make a slider useless near 1: the page offers 0-3.
        if (l.group == "funding") l.max = std::min(l.max, 3.0);
        if (key == "network.pooling_max_travel_minutes") l.max = std::min(l.max, 180.0);
        l.value = base.params.get(key);
        l.unit = spec->unit;
        l.help = spec->help;
        out.push_back(std::move(l));
    }
    return out;
}

std::vector<std::string> lever_overrides(const Fields& fields, const std::vector<Lever>& levers) {
    ProblemList problems;
    std::vector<std::string> values(levers.size());
    std::vector<bool> seen(levers.size(), false);
    for (const auto& [key, value] : fields) {
        const auto it = std::find_if(levers.begin(), levers.end(), [&](const Lever& l) { return l.key == key; });
        const std::string where = "field " + (key.size() > 60 ? key.substr(0, 60) + "..." : key);
        if (it == levers.end()) {
            problems.add({"request", where, "not a lever of the explorer (docs/explorer.md lists them)"});
            continue;
        }
        const auto i = static_cast<std::size_t>(it - levers.begin());
        if (seen[i]) {
            problems.add({"request", where, "given twice; give each lever once"});
            continue;
        }
        seen[i] = true;
        if (it->kind == ParamKind::Boolean ? (value != "true" && value != "false") : !plain_number(value)) {
            problems.add(
                {"request", where,
                 it->kind == ParamKind::Boolean ? "expected true or false" : "expected a plain number such as 1.5"});
            continue;
        }
        values[i] = value;
    }
    problems.throw_if_any();
    std::vector<std::string> out;
    for (std::size_t i = 0; i < levers.size(); ++i)
        if (seen[i]) out.push_back(levers[i].key + "=" + values[i]);
    return out;
}

std::filesystem::path file_in(const std::filesystem::path& dir, const std::string& name, const std::string& extension,
                              const std::string& what) {
    const bool ok = !name.empty() && name.size() <= 100 && name.front() != '.' &&
                    name.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-") ==
                        std::string::npos &&
                    name.size() > extension.size() && name.ends_with(extension);
    if (!ok)
        throw Error("request", "field " + what,
                    "expected a plain file name (letters, digits, '.', '_', '-'; no folders) ending in " + extension);
    return dir / name;
}

// TOML's basic-string escapes (\" \\ \b \t \n \f \r \uXXXX) are all JSON escapes too.
std::string json_string(std::string_view s) {
    return toml_quoted(s);
}

std::string error_json(const Error& e) {
    std::string out = "{\"problems\":[";
    for (std::size_t i = 0; i < e.problems().size(); ++i)
        out += (i ? "," : "") + json_string(e.problems()[i].to_string());
    return out + "]}";
}

// The newest job: its scenario, its finished replicates and their measures, and the JSON of
// their paired comparison with the baseline's replicates of the same indices.
struct Explorer::Result {
    std::int64_t id = 0;
    Scenario scenario;
    std::vector<RunPtr> runs;
    std::vector<RunMeasures> measures;
    std::string json;  ///< "measures", "quintiles", "ethnic_groups" and "areas" members
};

Explorer::Explorer(const std::filesystem::path& scenario, const std::filesystem::path& results_dir, Options options)
    : base_(load_scenario(scenario, {}, model_parameters())), results_dir_(results_dir), options_(options) {
    levers_ = levers(base_, model_parameters());
    if (options_.batch <= 0) options_.batch = options_.threads > 0 ? options_.threads : 2;
    options_.batch = std::min(options_.batch, options_.replicates);
    extend_baseline(options_.batch);
    solves_ = std::make_unique<SolveJobs>(base_.file, options_.seed, options_.threads);
}

std::int64_t Explorer::submit_solve(const Fields& fields) {
    return solves_->submit(parse_solve_request(fields, levers_, options_.replicates));
}

Explorer::~Explorer() = default;

void Explorer::extend_baseline(int count) {
    const int have = static_cast<int>(base_runs_.size());
    if (count <= have) return;
    auto runs = run_replicates(base_, options_.seed, have, count - have, options_.threads);
    auto measures = measure_runs(base_, runs, have);
    std::lock_guard lock(mutex_);
    for (auto& r : runs) base_runs_.push_back(std::make_shared<const RunOutputs>(std::move(r)));
    for (auto& m : measures) base_measures_.push_back(std::move(m));
}

std::string Explorer::levers_json() const {
    std::ostringstream o;
    o << "{\"scenario\":" << json_string(base_.name) << ",\"file\":" << json_string(base_.file.filename().string())
      << ",\"replicates\":" << options_.replicates << ",\"seed\":" << options_.seed << ",\"levers\":[";
    for (std::size_t i = 0; i < levers_.size(); ++i) {
        const auto& l = levers_[i];
        o << (i ? "," : "") << "{\"key\":" << json_string(l.key) << ",\"group\":" << json_string(l.group)
          << ",\"kind\":"
          << json_string(l.kind == ParamKind::Boolean   ? "boolean"
                         : l.kind == ParamKind::Integer ? "integer"
                                                        : "real")
          << ",\"min\":" << number(l.min) << ",\"max\":" << number(l.max) << ",\"value\":" << number(l.value)
          << ",\"unit\":" << json_string(l.unit) << ",\"help\":" << json_string(l.help) << "}";
    }
    o << "],\"measures\":[";
    const auto& measures = summary_measures();
    for (std::size_t i = 0; i < measures.size(); ++i)
        o << (i ? "," : "") << "{\"name\":" << json_string(measures[i].name)
          << ",\"unit\":" << json_string(measures[i].unit) << "}";
    o << "],\"areas\":[";
    for (std::size_t i = 0; i < base_.areas.size(); ++i)
        o << (i ? "," : "") << "{\"code\":" << json_string(base_.areas[i].code)
          << ",\"name\":" << json_string(base_.areas[i].name) << ",\"icb\":" << json_string(base_.areas[i].icb) << "}";
    o << "]}";
    return o.str();
}

std::int64_t Explorer::submit(const Fields& fields) {
    const auto overrides = lever_overrides(fields, levers_);
    auto changed = std::make_shared<Scenario>(load_scenario(base_.file, overrides, model_parameters()));
    // Held across submit so that the job, which publishes only while it is the newest, finds
    // itself there.
    std::lock_guard lock(mutex_);
    const auto id = queue_.submit(
        [this, changed](std::int64_t job, const std::atomic<bool>& cancelled) { run_job(job, *changed, cancelled); });
    auto r = std::make_shared<Result>();
    r->id = id;
    r->scenario = *changed;
    latest_ = r;
    return id;
}

void Explorer::run_job(std::int64_t id, const Scenario& changed, const std::atomic<bool>& cancelled) {
    std::vector<RunPtr> runs;
    std::vector<RunMeasures> measures;
    for (int first = 0; first < options_.replicates && !cancelled; first += options_.batch) {
        const int count = std::min(options_.batch, options_.replicates - first);
        extend_baseline(first + count);
        if (cancelled) return;
        auto batch = run_replicates(changed, options_.seed, first, count, options_.threads);
        auto batch_measures = measure_runs(changed, batch, first);
        for (auto& r : batch) runs.push_back(std::make_shared<const RunOutputs>(std::move(r)));
        for (auto& m : batch_measures) measures.push_back(std::move(m));
        const std::size_t n = runs.size();

        std::vector<RunMeasures> base_measures;
        {
            std::lock_guard lock(mutex_);
            base_measures.assign(base_measures_.begin(), base_measures_.begin() + static_cast<std::ptrdiff_t>(n));
        }
        std::ostringstream o;
        o << "\"measures\":[";
        const auto summary = compare_summaries(base_measures, measures);
        const auto& names = summary_measures();
        for (std::size_t m = 0; m < summary.size(); ++m) o << (m ? "," : "") << paired_json(names[m].name, summary[m]);
        o << "]";
        {
            // The baseline's runs are only appended to (by this thread), so reading them is safe.
            for (const auto& [member, grouping] :
                 {std::pair{"quintiles", Grouping::Quintile}, std::pair{"ethnic_groups", Grouping::Ethnic},
                  std::pair{"areas", Grouping::Area}}) {
                const auto c = compare_groups(base_runs_, runs, n, grouping);
                const auto labels = group_names(base_, grouping);
                o << ",\"" << member << "\":[";
                for (std::size_t g = 0; g < c.size(); ++g) o << (g ? "," : "") << paired_json(labels[g], c[g]);
                o << "]";
            }
        }
        auto r = std::make_shared<Result>();
        r->id = id;
        r->scenario = changed;
        r->runs = runs;
        r->measures = measures;
        r->json = o.str();
        std::lock_guard lock(mutex_);
        if (latest_ && latest_->id != id) return;  // superseded while this batch ran
        latest_ = std::move(r);
    }
}

std::string Explorer::status_json(std::int64_t job) const {
    std::shared_ptr<Result> r;
    {
        std::lock_guard lock(mutex_);
        r = latest_;
    }
    if (job == 0 && r) job = r->id;
    const auto state = queue_.state(job);
    std::ostringstream o;
    o << "{\"job\":" << job << ",\"state\":" << json_string(job_state_name(state))
      << ",\"target\":" << options_.replicates << ",\"seed\":" << options_.seed;
    if (r && r->id == job) {
        o << ",\"done\":" << r->runs.size() << ",\"overrides\":[";
        for (std::size_t i = 0; i < r->scenario.overrides.size(); ++i)
            o << (i ? "," : "") << json_string(r->scenario.overrides[i]);
        o << "]";
        if (!r->json.empty()) o << "," << r->json;
    } else {
        o << ",\"done\":0";
    }
    o << "}";
    return o.str();
}

std::filesystem::path Explorer::save_scenario(const std::string& name) const {
    const auto path = file_in(results_dir_, name, ".toml", "name");
    std::shared_ptr<Result> r;
    {
        std::lock_guard lock(mutex_);
        r = latest_;
    }
    const Scenario& sc = r ? r->scenario : base_;
    io::AtomicOutput out(path, {base_.file});
    {
        std::ofstream f(out.temp_path());
        f << "# Saved by the cpcsim explorer (cpcsim serve) from " << base_.file.filename().string();
        for (const auto& o : sc.overrides) f << "\n#   --set " << o;
        f << "\n" << sc.resolved_toml();
        if (!f) throw Error(path.string(), "", "could not write the scenario file");
    }
    out.commit();
    return out.final_path();
}

Explorer::Snapshot Explorer::snapshot() const {
    std::lock_guard lock(mutex_);
    if (!latest_ || latest_->runs.empty())
        throw Error("request", "results", "no finished replicates yet: move a lever first");
    const auto n = static_cast<std::ptrdiff_t>(latest_->runs.size());
    return {
        latest_, {base_runs_.begin(), base_runs_.begin() + n}, {base_measures_.begin(), base_measures_.begin() + n}};
}

std::filesystem::path Explorer::save_results_h5(const std::string& name) const {
    const auto path = file_in(results_dir_, name, ".h5", "name");
    const auto [r, base_runs, base_measures] = snapshot();
    io::AtomicOutput out(path, {base_.file});
    const auto n = static_cast<std::int64_t>(r->runs.size());
    const auto pa = io::provenance_for("compare", base_, "cpcsim serve", options_.seed, n);
    const auto pb = io::provenance_for("compare", r->scenario, "cpcsim serve", options_.seed, n);
    // The file writer takes plain runs: copied once here.
    std::vector<RunOutputs> runs_a, runs_b;
    for (const auto& p : base_runs) runs_a.push_back(*p);
    for (const auto& p : r->runs) runs_b.push_back(*p);
    io::write_compare_file(out.temp_path(), {base_, pa, runs_a, base_measures}, {r->scenario, pb, runs_b, r->measures},
                           compare_summaries(base_measures, r->measures));
    out.commit();
    return out.final_path();
}

std::string Explorer::results_csv() const {
    const auto [r, base_runs, base_measures] = snapshot();
    const auto n = r->runs.size();
    std::ostringstream o;
    o.precision(10);
    o << "# cpcsim explorer: " << n << " paired replicates (seed " << options_.seed << "); A = " << base_.name
      << "; B = A with";
    for (const auto& s : r->scenario.overrides) o << " " << s;
    o << "\nmeasure,group,a_mean,a_low,a_high,b_mean,b_low,b_high,diff_mean,diff_low,diff_high\n";
    const auto row = [&](const std::string& measure, const std::string& group, const PairedComparison& c) {
        o << measure << ",\"" << group << "\"," << c.a.mean << "," << c.a.low << "," << c.a.high << "," << c.b.mean
          << "," << c.b.low << "," << c.b.high << "," << c.difference.mean << "," << c.difference.low << ","
          << c.difference.high << "\n";
    };
    const auto summary = compare_summaries(base_measures, r->measures);
    for (std::size_t m = 0; m < summary.size(); ++m) row(summary_measures()[m].name, "all", summary[m]);
    for (const auto grouping : {Grouping::Quintile, Grouping::Ethnic, Grouping::Area}) {
        const auto c = compare_groups(base_runs, r->runs, n, grouping);
        const auto labels = group_names(base_, grouping);
        for (std::size_t g = 0; g < c.size(); ++g) row("access_rate", labels[g], c[g]);
    }
    return o.str();
}

}  // namespace cpcsim::explorer
