#include "explorer/explorer.hpp"
#include "explorer/solve_job.hpp"

#include "core/error.hpp"
#include "engine/runner.hpp"
#include "io/atomic_file.hpp"
#include "io/compare_file.hpp"
#include "io/run_output.hpp"
#include "io/uncertainty_file.hpp"
#include "metrics/paired.hpp"
#include "metrics/summary.hpp"
#include "model/parameter_table.hpp"
#include "scenario/ensemble.hpp"
#include "scenario/toml_text.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
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
// Levers set per element of a 1-D parameter: one lever "key.label" per label.
const std::vector<std::string>& lever_arrays() {
    static const std::vector<std::string> keys = {"funding.statutory_by_type"};
    return keys;
}

// The keys a [[local_network]] block takes (the "network.<key>" parameters declared local).
std::vector<const ParamSpec*> local_specs(const ParamRegistry& registry) {
    std::vector<const ParamSpec*> out;
    for (const auto& spec : registry.specs())
        if (spec.local && spec.key.starts_with("network.")) out.push_back(&spec);
    return out;
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

/// A share over the horizon of one run, by a grouping of cells: `group(area, quintile, ethnic)`
/// gives the group's index in [0, groups). Access: children reached / children with an LLC.
template <class Group>
std::vector<double> access_by(const RunOutputs& run, int groups, Group group, AnnualVar numerator = AnnualVar::reached,
                              AnnualVar denominator = AnnualVar::children) {
    std::vector<double> reached(groups, 0), children(groups, 0);
    const auto reached_var = static_cast<int>(numerator), children_var = static_cast<int>(denominator);
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

// Cover24: the share of deaths in an area with 24/7 end-of-life cover at home that day, by area
// (where the 24/7 rota shows).
enum class Grouping { Quintile, Ethnic, Area, Cover24 };

std::vector<std::vector<double>> access_rates(const std::vector<RunPtr>& runs, std::size_t n, Grouping g) {
    std::vector<std::vector<double>> out;
    for (std::size_t i = 0; i < n; ++i) {
        const auto& run = *runs[i];
        if (g == Grouping::Quintile)
            out.push_back(access_by(run, kQuintiles, [](int, int q, int) { return q; }));
        else if (g == Grouping::Ethnic)
            out.push_back(access_by(run, kEthnicGroups, [](int, int, int e) { return e; }));
        else if (g == Grouping::Area)
            out.push_back(access_by(run, run.areas, [](int a, int, int) { return a; }));
        else
            out.push_back(access_by(
                run, run.areas, [](int a, int, int) { return a; }, AnnualVar::deaths_with_24_7, AnnualVar::deaths));
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
    for (const auto& key : lever_arrays()) {
        const auto* spec = registry.find(key);
        if (!spec || spec->is_scalar() || spec->is_table()) continue;
        const auto& values = base.params.values(static_cast<std::size_t>(registry.index(key)));
        for (std::size_t i = 0; i < spec->labels.size(); ++i) {
            Lever l;
            l.key = key + "." + spec->labels[i];
            l.group = key.substr(0, key.find('.'));
            l.kind = spec->kind;
            l.min = spec->min;
            l.max = std::min(spec->max, 3.0);  // as the multipliers above
            l.value = values[i];
            l.unit = spec->unit;
            l.help = spec->help;
            out.push_back(std::move(l));
        }
    }
    return out;
}

namespace {

std::string field_name(const std::string& key) {
    return "field " + (key.size() > 60 ? key.substr(0, 60) + "..." : key);
}

/// A value to be checked by load_scenario against the areas or providers table: at most 100
/// bytes, no control characters (it is quoted by toml_quoted, so nothing else can break out).
bool plain_text(const std::string& v) {
    return !v.empty() && v.size() <= 100 &&
           std::none_of(v.begin(), v.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; });
}

std::string checked_value(const std::string& value, ParamKind kind, const std::string& where, ProblemList& problems) {
    if (kind == ParamKind::Boolean ? (value != "true" && value != "false") : !plain_number(value)) {
        problems.add({"request", where,
                      kind == ParamKind::Boolean ? "expected true or false" : "expected a plain number such as 1.5"});
        return "";
    }
    return value;
}

std::vector<std::string> lever_overrides(const Fields& fields, const std::vector<Lever>& levers,
                                         ProblemList& problems) {
    std::vector<std::string> values(levers.size());
    std::vector<bool> seen(levers.size(), false);
    for (const auto& [key, value] : fields) {
        // An init-capture of the structured binding: clang before 16 cannot capture a binding itself.
        const auto it =
            std::find_if(levers.begin(), levers.end(), [&key = key](const Lever& l) { return l.key == key; });
        const std::string where = field_name(key);
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
        values[i] = checked_value(value, it->kind, where, problems);
    }
    std::vector<std::string> out;
    for (std::size_t i = 0; i < levers.size(); ++i)
        if (seen[i]) out.push_back(levers[i].key + "=" + values[i]);
    return out;
}

/// One lever set for a place (local.K.*) or one new-posts entry (post.K.*): its fields by name.
struct Numbered {
    std::vector<std::pair<std::string, std::string>> fields;  ///< (name after "local.K.", value)
};

/// A number field as a TOML float that reads back to the same double.
std::string toml_number(const std::string& value) {
    return toml_value(std::strtod(value.c_str(), nullptr), ParamKind::Real);
}

std::string local_block(int k, const Numbered& set, const ParamRegistry& registry, ProblemList& problems) {
    const auto specs = local_specs(registry);
    std::ostringstream o;
    o << "\n[[local_network]]  # lever set " << k << "\n";
    for (const auto& [name, value] : set.fields) {
        const std::string where = field_name("local." + std::to_string(k) + "." + name);
        if (name == "icb") {
            if (!plain_text(value))
                problems.add({"request", where, "expected the name of an ICB from the areas table"});
            else
                o << "icb = " << toml_quoted(value) << "\n";
        } else if (name == "areas") {
            std::vector<std::string> codes;
            std::string code;
            std::istringstream in(value);
            bool good = !value.empty();
            while (std::getline(in, code, ',')) {
                good = good && plain_text(code);
                codes.push_back(toml_quoted(code));
            }
            if (!good) {
                problems.add({"request", where, "expected area codes from the areas table, separated by commas"});
                continue;
            }
            o << "areas = [";
            for (std::size_t i = 0; i < codes.size(); ++i) o << (i ? ", " : "") << codes[i];
            o << "]\n";
        } else {
            const auto it = std::find_if(specs.begin(), specs.end(),
                                         [&name = name](const ParamSpec* s) { return s->key == "network." + name; });
            if (it == specs.end()) {
                std::string keys;
                for (const auto* s : specs) keys += (keys.empty() ? "" : ", ") + s->key.substr(8);
                problems.add(
                    {"request", where, "not a lever that can be set for a place; expected icb, areas or " + keys});
                continue;
            }
            const auto v = checked_value(value, (*it)->kind, where, problems);
            if (!v.empty()) o << name << " = " << ((*it)->kind == ParamKind::Boolean ? v : toml_number(v)) << "\n";
        }
    }
    return o.str();
}

/// The ICB of the area a provider stands in (empty when the area is not in the areas table).
std::string icb_of_area(const Scenario& sc, const std::string& code) {
    for (const auto& a : sc.areas)
        if (a.code == code) return a.icb;
    return {};
}

/// One funding change from the page (post.K.*): new posts, money or a multiplier of an income for
/// one provider, or for every provider of a type and/or in an ICB (the selection of a file's
/// [[funding_change]]: `icb`, `provider_type`). The loader checks names, ranges and the selection.
std::string post_change(int k, const Numbered& post, const std::vector<std::string>& types, ProblemList& problems) {
    std::ostringstream o;
    o << "\n[[funding_change]]  # new posts or money " << k << "\n";
    bool year = false, provider = false, selection = false;
    const auto where_of = [&](const std::string& name) { return field_name("post." + std::to_string(k) + "." + name); };
    for (const auto& [name, value] : post.fields) {
        const std::string where = where_of(name);
        if (name == "provider") {
            provider = true;
            // One provider: "all" and the provider types are a selection (provider_type), not an id.
            if (!plain_text(value) || value == "all" || std::find(types.begin(), types.end(), value) != types.end())
                problems.add({"request", where, "expected the id of one provider from the providers table"});
            else
                o << "target = " << toml_quoted(value) << "\n";
        } else if (name == "icb") {
            selection = true;
            if (!plain_text(value))
                problems.add({"request", where, "expected the name of an ICB from the areas table"});
            else
                o << "icb = " << toml_quoted(value) << "\n";
        } else if (name == "provider_type") {
            selection = true;
            if (value != "hospice" && value != "sppc" && value != "ccn")
                problems.add({"request", where, "expected hospice, sppc or ccn"});
            else
                o << "provider_type = \"" << value << "\"\n";
        } else if (name == "income") {
            if (value != "statutory" && value != "charitable")
                problems.add({"request", where, "expected statutory or charitable"});
            else
                o << "income = \"" << value << "\"\n";
        } else if (name == "wte" || name == "amount_gbp" || name == "multiplier" || name == "year") {
            year = year || name == "year";
            if (!checked_value(value, ParamKind::Real, where, problems).empty())
                o << name << " = " << toml_number(value) << "\n";
        } else {
            problems.add({"request", where,
                          "not a field of a funding change; expected provider (or icb and/or provider_type), "
                          "wte, amount_gbp or multiplier, year or income"});
        }
    }
    if (provider && selection)
        problems.add({"request", where_of("provider"),
                      "either one provider or a selection by icb and/or provider_type, not both"});
    if (!provider && !selection)
        problems.add({"request", where_of("provider"),
                      "missing: a funding change needs the provider it goes to, or an icb and/or provider_type"});
    if (!year) o << "year = 0.0\n";
    return o.str();
}

}  // namespace

std::vector<std::string> lever_overrides(const Fields& fields, const std::vector<Lever>& levers) {
    ProblemList problems;
    auto out = lever_overrides(fields, levers, problems);
    problems.throw_if_any();
    return out;
}

Request parse_request(const Fields& fields, const std::vector<Lever>& levers, const ParamRegistry& registry) {
    ProblemList problems;
    Fields region;
    std::map<int, Numbered> places, posts;
    std::set<std::string> seen;
    Request out;
    for (const auto& [key, value] : fields) {
        const bool local = key.starts_with("local."), post = key.starts_with("post.");
        if (key == "uncertainty") {
            if (out.uncertainty >= 0)
                problems.add({"request", "field uncertainty", "given twice; give each field once"});
            else if (value != "none" && value != "prior")
                problems.add({"request", "field uncertainty", "expected none or prior"});
            else
                out.uncertainty = value == "prior" ? 1 : 0;
            continue;
        }
        if (!local && !post) {
            region.emplace_back(key, value);
            continue;
        }
        const std::string where = field_name(key);
        const auto rest = key.substr(local ? 6 : 5);
        const auto dot = rest.find('.');
        int k = 0;
        if (dot != std::string::npos && dot >= 1 && dot <= 2 && rest.find_first_not_of("0123456789") == dot)
            k = std::stoi(rest.substr(0, dot));
        if (k < 1 || k > kMaxPlaces || dot + 1 >= rest.size()) {
            problems.add({"request", where,
                          std::string("expected ") + (local ? "local" : "post") + ".K.<name> with K from 1 to " +
                              std::to_string(kMaxPlaces)});
            continue;
        }
        if (!seen.insert(key).second) {
            problems.add({"request", where, "given twice; give each field once"});
            continue;
        }
        (local ? places : posts)[k].fields.emplace_back(rest.substr(dot + 1), value);
    }
    for (const auto* sets : {&places, &posts})
        for (const auto& [k, set] : *sets) {
            std::string line = (sets == &places ? "local." : "post.") + std::to_string(k) + ":";
            for (const auto& [name, value] : set.fields) line += " " + name + "=" + value;
            out.summary.push_back(line);
        }
    out.overrides = lever_overrides(region, levers, problems);
    std::vector<std::string> types;
    if (const auto* spec = registry.find("funding.post_cost_gbp")) types = spec->labels;
    for (const auto& [k, set] : places) out.layer += local_block(k, set, registry, problems);
    for (const auto& [k, post] : posts) out.layer += post_change(k, post, types, problems);
    problems.throw_if_any();
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
    std::vector<std::string> places;  ///< Request::summary
    int mode = 0;                     ///< 0: the scenario's values; 1: parameter draws
    std::vector<RunPtr> runs;
    std::vector<RunMeasures> measures;
    std::string json;  ///< "measures", "quintiles", "ethnic_groups" and "areas" members
};

Explorer::Explorer(const std::filesystem::path& scenario, const std::filesystem::path& results_dir, Options options)
    : base_(load_scenario(scenario, {}, model_parameters())), results_dir_(results_dir), options_(options) {
    levers_ = levers(base_, model_parameters());
    if (options_.batch <= 0) options_.batch = options_.threads > 0 ? options_.threads : 2;
    options_.batch = std::min(options_.batch, options_.replicates);
    prior_ = options_.uncertainty;
    default_mode_ = prior_.on ? 1 : 0;
    if (!prior_.on) {  // the page may still ask for the priors
        prior_.on = true;
        prior_.seed = options_.seed;
        prior_.per_draw = 2;
    }
    base_uncertain_ = base_;
    set_draws(base_uncertain_, prior_);
    extend_baseline(default_mode_, options_.batch);
    solves_ = std::make_unique<SolveJobs>(base_.file, options_.seed, options_.threads);
}

std::int64_t Explorer::submit_solve(const Fields& fields) {
    return solves_->submit(parse_solve_request(fields, levers_, options_.replicates));
}

Explorer::~Explorer() = default;

void Explorer::extend_baseline(int mode, int count) {
    const int have = static_cast<int>(base_runs_[mode].size());
    if (count <= have) return;
    const Scenario& base = mode ? base_uncertain_ : base_;
    auto runs = run_replicates(base, options_.seed, have, count - have, options_.threads);
    auto measures = measure_runs(base, runs, have);
    std::lock_guard lock(mutex_);
    for (auto& r : runs) base_runs_[mode].push_back(std::make_shared<const RunOutputs>(std::move(r)));
    for (auto& m : measures) base_measures_[mode].push_back(std::move(m));
}

std::string Explorer::uncertainty_note(int mode) const {
    if (!mode) return "the scenario's parameter values (simulation noise only)";
    std::string note = "parameter uncertainty: draws from the priors";
    if (prior_.ensemble)
        note += prior_.with_priors ? ", the calibrated inputs from " + prior_.ensemble->file
                                   : " replaced by the calibrated sets of " + prior_.ensemble->file;
    return note + ", one draw per " + std::to_string(prior_.per_draw) +
           " replicates, the same draw in both arms of a pair";
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
    o << "],\"icbs\":[";
    std::vector<std::string> icbs;
    for (const auto& a : base_.areas)
        if (std::find(icbs.begin(), icbs.end(), a.icb) == icbs.end()) icbs.push_back(a.icb);
    for (std::size_t i = 0; i < icbs.size(); ++i) o << (i ? "," : "") << json_string(icbs[i]);
    o << "],\"local_levers\":[";
    const auto local = local_specs(model_parameters());
    for (std::size_t i = 0; i < local.size(); ++i) o << (i ? "," : "") << json_string(local[i]->key);
    o << "],\"providers\":[";
    for (std::size_t i = 0; i < base_.providers.size(); ++i)
        o << (i ? "," : "") << "{\"id\":" << json_string(base_.providers[i].id)
          << ",\"name\":" << json_string(base_.providers[i].name)
          << ",\"type\":" << json_string(provider_type_name(base_.providers[i].type))
          << ",\"icb\":" << json_string(icb_of_area(base_, base_.providers[i].area)) << "}";
    o << "],\"years\":" << number(base_.params.get("run.years")) << ",\"max_places\":" << kMaxPlaces
      << ",\"uncertainty\":" << json_string(default_mode_ ? "prior" : "none")
      << ",\"uncertainty_note\":" << json_string(uncertainty_note(1)) << "}";
    return o.str();
}

std::int64_t Explorer::submit(const Fields& fields) {
    const auto request = parse_request(fields, levers_, model_parameters());
    auto changed = std::make_shared<Scenario>(
        load_scenario(base_.file, request.overrides, model_parameters(), AddedLayer{"request", request.layer}));
    const int mode = request.uncertainty < 0 ? default_mode_ : request.uncertainty;
    if (mode) set_draws(*changed, prior_);
    // Held across submit so that the job, which publishes only while it is the newest, finds
    // itself there.
    std::lock_guard lock(mutex_);
    const auto id = queue_.submit(
        [this, changed, places = request.summary, mode](std::int64_t job, const std::atomic<bool>& cancelled) {
            run_job(job, *changed, places, mode, cancelled);
        });
    auto r = std::make_shared<Result>();
    r->id = id;
    r->scenario = *changed;
    r->places = request.summary;
    r->mode = mode;
    latest_ = r;
    return id;
}

void Explorer::run_job(std::int64_t id, const Scenario& changed, const std::vector<std::string>& places, int mode,
                       const std::atomic<bool>& cancelled) {
    std::vector<RunPtr> runs;
    std::vector<RunMeasures> measures;
    for (int first = 0; first < options_.replicates && !cancelled; first += options_.batch) {
        const int count = std::min(options_.batch, options_.replicates - first);
        extend_baseline(mode, first + count);
        if (cancelled) return;
        auto batch = run_replicates(changed, options_.seed, first, count, options_.threads);
        auto batch_measures = measure_runs(changed, batch, first);
        for (auto& r : batch) runs.push_back(std::make_shared<const RunOutputs>(std::move(r)));
        for (auto& m : batch_measures) measures.push_back(std::move(m));
        const std::size_t n = runs.size();

        std::vector<RunMeasures> base_measures;
        {
            std::lock_guard lock(mutex_);
            base_measures.assign(base_measures_[mode].begin(),
                                 base_measures_[mode].begin() + static_cast<std::ptrdiff_t>(n));
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
                  std::pair{"areas", Grouping::Area}, std::pair{"areas_cover_24_7", Grouping::Cover24}}) {
                const auto c = compare_groups(base_runs_[mode], runs, n, grouping);
                const auto labels = group_names(base_, grouping);
                o << ",\"" << member << "\":[";
                for (std::size_t g = 0; g < c.size(); ++g) o << (g ? "," : "") << paired_json(labels[g], c[g]);
                o << "]";
            }
        }
        auto r = std::make_shared<Result>();
        r->id = id;
        r->scenario = changed;
        r->places = places;
        r->mode = mode;
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
        o << "],\"places\":[";
        for (std::size_t i = 0; i < r->places.size(); ++i) o << (i ? "," : "") << json_string(r->places[i]);
        o << "],\"uncertainty\":" << json_string(r->mode ? "prior" : "none")
          << ",\"uncertainty_note\":" << json_string(uncertainty_note(r->mode));
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
        if (r)
            for (const auto& p : r->places) f << "\n#   " << p;
        if (r && !r->places.empty()) f << "\n# (the lever sets for a place and new posts are the last tables below)";
        if (r && r->mode) {
            f << "\n# Shown with " << uncertainty_note(1) << ": rerun with\n#   cpcsim run FILE -s " << options_.seed
              << " --uncertainty prior";
            if (prior_.ensemble) f << (prior_.with_priors ? " --ensemble " : "") << prior_.ensemble->file;
            f << " --replicates-per-draw " << prior_.per_draw;
            if (prior_.seed != options_.seed) f << " --uncertainty-seed " << prior_.seed;
        }
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
    const auto& runs = base_runs_[latest_->mode];
    const auto& measures = base_measures_[latest_->mode];
    return {latest_, {runs.begin(), runs.begin() + n}, {measures.begin(), measures.begin() + n}};
}

std::filesystem::path Explorer::save_results_h5(const std::string& name) const {
    const auto path = file_in(results_dir_, name, ".h5", "name");
    const auto [r, base_runs, base_measures] = snapshot();
    io::AtomicOutput out(path, {base_.file});
    const auto n = static_cast<std::int64_t>(r->runs.size());
    const Scenario& base = r->mode ? base_uncertain_ : base_;
    const auto pa = io::provenance_for("compare", base, "cpcsim serve", options_.seed, n);
    const auto pb = io::provenance_for("compare", r->scenario, "cpcsim serve", options_.seed, n);
    // The file writer takes plain runs: copied once here.
    std::vector<RunOutputs> runs_a, runs_b;
    for (const auto& p : base_runs) runs_a.push_back(*p);
    for (const auto& p : r->runs) runs_b.push_back(*p);
    io::write_compare_file(out.temp_path(), {base, pa, runs_a, base_measures}, {r->scenario, pb, runs_b, r->measures},
                           compare_summaries(base_measures, r->measures));
    if (r->mode) {  // as cpcsim compare --uncertainty writes them
        io::write_draws(out.temp_path(), "/arms/A/uncertainty", io::draws_table(base, static_cast<int>(n)));
        io::write_draws(out.temp_path(), "/arms/B/uncertainty", io::draws_table(r->scenario, static_cast<int>(n)));
    }
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
    for (const auto& s : r->places) o << "; " << s;
    o << "\nmeasure,group,a_mean,a_low,a_high,b_mean,b_low,b_high,diff_mean,diff_low,diff_high\n";
    const auto row = [&](const std::string& measure, const std::string& group, const PairedComparison& c) {
        o << measure << ",\"" << group << "\"," << c.a.mean << "," << c.a.low << "," << c.a.high << "," << c.b.mean
          << "," << c.b.low << "," << c.b.high << "," << c.difference.mean << "," << c.difference.low << ","
          << c.difference.high << "\n";
    };
    const auto summary = compare_summaries(base_measures, r->measures);
    for (std::size_t m = 0; m < summary.size(); ++m) row(summary_measures()[m].name, "all", summary[m]);
    for (const auto grouping : {Grouping::Quintile, Grouping::Ethnic, Grouping::Area, Grouping::Cover24}) {
        const auto c = compare_groups(base_runs, r->runs, n, grouping);
        const auto labels = group_names(base_, grouping);
        for (std::size_t g = 0; g < c.size(); ++g)
            row(grouping == Grouping::Cover24 ? "deaths_with_24_7_cover_share" : "access_rate", labels[g], c[g]);
    }
    return o.str();
}

}  // namespace cpcsim::explorer
