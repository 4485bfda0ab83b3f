#include "sweep/manifest.hpp"

#include "core/error.hpp"
#include "metrics/outcomes.hpp"
#include "model/parameter_table.hpp"
#include "scenario/csv.hpp"
#include "scenario/toml_text.hpp"
#include "sweep/hash.hpp"

#include <tbb/parallel_for.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>
#include <fstream>
#include <iterator>
#include <limits>
#include <map>
#include <sstream>

namespace cpcsim::sweep {

namespace fs = std::filesystem;

namespace {

/// The stored-outputs choice as a manifest records it: the groups stored, or "summary" when none
/// (StoredOutputs::parse reads both back; an empty text it refuses).
std::string store_choice(const StoredOutputs& s) {
    return s.names().empty() ? "summary" : s.names();
}

std::string join(const std::vector<std::string>& items, const std::string& sep) {
    std::string s;
    for (std::size_t i = 0; i < items.size(); ++i) s += (i ? sep : "") + items[i];
    return s;
}

std::string csv_field(const std::string& s) {
    if (s.find_first_of(",\"\n\r") == std::string::npos && (s.empty() || (s.front() != ' ' && s.back() != ' ')))
        return s;
    std::string out = "\"";
    for (const char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
    return out + "\"";
}

std::string one_line(std::string s) {
    for (char& c : s)
        if (c == '\n' || c == '\r') c = ' ';
    return s;
}

template <class T>
bool parse_int(std::string_view s, T& out) {
    s = csv::trim(s);
    const auto r = std::from_chars(s.data(), s.data() + s.size(), out);
    return r.ec == std::errc() && r.ptr == s.data() + s.size() && !s.empty();
}

bool parse_hex(std::string_view s, std::uint64_t& out) {
    s = csv::trim(s);
    const auto r = std::from_chars(s.data(), s.data() + s.size(), out, 16);
    return r.ec == std::errc() && r.ptr == s.data() + s.size() && s.size() == 16;
}

/// Numeric value of a column in a loaded scenario: a scalar parameter, or one element of an
/// array parameter ("key.label"); NaN otherwise.
double column_value(const Scenario& sc, const std::string& key) {
    const auto& reg = sc.params.registry();
    if (const auto* spec = reg.find(key)) return spec->is_scalar() ? sc.params.get(key) : std::nan("");
    const auto dot = key.rfind('.');
    if (dot == std::string::npos) return std::nan("");
    const auto* spec = reg.find(std::string_view(key).substr(0, dot));
    if (!spec || spec->is_scalar() || spec->is_table()) return std::nan("");
    const std::string label = key.substr(dot + 1);
    const auto it = std::find(spec->labels.begin(), spec->labels.end(), label);
    if (it == spec->labels.end()) return std::nan("");
    return sc.params.array(spec->key)[static_cast<std::size_t>(it - spec->labels.begin())];
}

std::string point_label(const Point& p) {
    return "design point " + std::to_string(p.id) + " '" + p.name + "'";
}

}  // namespace

// -------------------------------------------------------------------------------------------
// Hashes

std::uint64_t scenario_hash(const Scenario& sc) {
    Hasher h;
    h.field("cpcsim-scenario-content-1");
    const auto& specs = sc.params.registry().specs();
    for (std::size_t i = 0; i < specs.size(); ++i) {
        h.field(specs[i].key);
        for (const double v : sc.params.values(i)) h.field(toml_value(v, specs[i].kind));
    }
    for (const auto& c : sc.funding_changes) {
        h.field("funding_change")
            .field(toml_value(c.year, ParamKind::Real))
            .field(c.target)
            .field(c.income)
            .field(toml_value(c.multiplier, ParamKind::Real));
        // Fields added later enter only when used, so older scenarios keep their hash.
        if (c.amount_gbp != 0) h.field("amount_gbp").field(toml_value(c.amount_gbp, ParamKind::Real));
        if (c.wte != 0) h.field("wte").field(toml_value(c.wte, ParamKind::Real));
        if (c.out_of_hours) h.field("out_of_hours");
        if (!c.icb.empty()) h.field("icb").field(c.icb);
        if (!c.provider_type.empty()) h.field("provider_type").field(c.provider_type);
    }
    for (const auto& block : sc.local_networks) {
        h.field("local_network").field(block.icb);
        for (const auto& code : block.codes) h.field(code);
        for (const auto& [index, value] : block.values)
            h.field(specs[static_cast<std::size_t>(index)].key)
                .field(toml_value(value, specs[static_cast<std::size_t>(index)].kind));
    }
    h.field("areas").field(sc.areas_csv).field("providers").field(sc.providers_csv).field("travel");
    for (const double t : sc.travel_minutes) h.field(toml_value(t, ParamKind::Real));
    return h.value();
}

std::string uncertainty_text(const UncertaintySettings& u) {
    if (!u.on) return "none";
    return "prior (seed " + std::to_string(u.seed) + ", " + std::to_string(u.per_draw) + " replicates per draw)";
}

std::uint64_t run_hash(std::uint64_t base_hash, std::uint64_t seed, std::int64_t replicate,
                       const std::vector<std::string>& parameters, const std::vector<std::string>& values,
                       const UncertaintySettings& uncertainty) {
    std::vector<std::pair<std::string, std::string>> set;
    for (std::size_t j = 0; j < parameters.size() && j < values.size(); ++j)
        if (!values[j].empty()) set.emplace_back(parameters[j], values[j]);
    std::sort(set.begin(), set.end());
    Hasher h;
    h.field("cpcsim-sweep-run-1").field(hex64(base_hash)).field(std::to_string(seed)).field(std::to_string(replicate));
    for (const auto& [k, v] : set) h.field(k).field(v);
    if (uncertainty.on) h.field("uncertainty").field(uncertainty_text(uncertainty));
    return h.value();
}

std::uint64_t Manifest::hash() const {
    Hasher h;
    h.field("cpcsim-sweep-manifest-1").field(hex64(base_hash)).field(std::to_string(seed)).field(design);
    h.field(std::to_string(design_seed)).field(std::to_string(levels)).field(std::to_string(lhs_points));
    if (store != StoredOutputs{}.names()) h.field("store").field(store);  // plans storing everything keep their hash
    if (uncertainty.on) h.field("uncertainty").field(uncertainty_text(uncertainty));  // likewise plans without draws
    h.field("parameters");
    for (std::size_t j = 0; j < parameters.size(); ++j) {
        h.field(parameters[j]);
        if (j < range_min.size())
            h.field(toml_value(range_min[j], ParamKind::Real)).field(toml_value(range_max[j], ParamKind::Real));
    }
    h.field("points");
    for (const auto& p : points) {
        h.field(std::to_string(p.id))
            .field(p.name)
            .field(std::to_string(p.trajectory))
            .field(std::to_string(p.changed));
        for (const auto& v : p.values) h.field(v);
    }
    h.field("runs");
    for (const auto& r : runs)
        h.field(std::to_string(r.id))
            .field(std::to_string(r.point))
            .field(std::to_string(r.replicate))
            .field(hex64(r.hash));
    return h.value();
}

std::vector<std::string> Manifest::overrides(std::int64_t point) const {
    std::vector<std::string> out = base_overrides;
    const auto& p = points.at(static_cast<std::size_t>(point));
    for (std::size_t j = 0; j < parameters.size() && j < p.values.size(); ++j)
        if (!p.values[j].empty()) out.push_back(parameters[j] + "=" + p.values[j]);
    return out;
}

std::string Manifest::settings_text(std::int64_t point) const {
    const auto& p = points.at(static_cast<std::size_t>(point));
    std::vector<std::string> s;
    for (std::size_t j = 0; j < parameters.size() && j < p.values.size(); ++j)
        if (!p.values[j].empty()) s.push_back(parameters[j] + "=" + p.values[j]);
    return join(s, "; ");
}

int Manifest::replicates() const {
    std::int64_t r = 0;
    for (const auto& row : runs) r = std::max(r, row.replicate + 1);
    return static_cast<int>(r);
}

// -------------------------------------------------------------------------------------------
// Loading and planning

LoadedSweep load_sweep(const Manifest& m, bool check_hash) {
    LoadedSweep out;
    {
        Scenario base = load_scenario(m.scenario, m.base_overrides, model_parameters());
        apply_sweep_uncertainty(base, m);
        out.base = std::make_shared<const Scenario>(std::move(base));
    }
    const std::uint64_t h = scenario_hash(*out.base);
    if (check_hash && h != m.base_hash)
        throw Error(
            m.scenario.string(), "",
            "the base scenario has changed since the sweep was planned (content hash " + hex64(h) +
                ", the manifest has " + hex64(m.base_hash) +
                "): its files, the --set overrides or the model's parameter defaults differ; plan the sweep again");
    const std::size_t n = m.points.size();
    out.points.resize(n);
    std::vector<std::vector<Problem>> problems(n);
    tbb::parallel_for(std::size_t{0}, n, [&](std::size_t i) {
        try {
            Scenario sc = load_scenario(m.scenario, m.overrides(static_cast<std::int64_t>(i)), model_parameters());
            apply_sweep_uncertainty(sc, m);
            out.points[i] = std::make_shared<const Scenario>(std::move(sc));
        } catch (const Error& e) {
            problems[i] = e.problems();
        }
    });
    // One line per distinct problem, naming the points that have it.
    std::vector<std::pair<Problem, std::vector<std::size_t>>> grouped;
    for (std::size_t i = 0; i < n; ++i)
        for (const auto& p : problems[i]) {
            auto it = std::find_if(grouped.begin(), grouped.end(), [&](const auto& g) {
                return g.first.file == p.file && g.first.where == p.where && g.first.message == p.message;
            });
            if (it == grouped.end())
                grouped.push_back({p, {i}});
            else
                it->second.push_back(i);
        }
    if (!grouped.empty()) {
        std::vector<Problem> all;
        for (const auto& [p, pts] : grouped) {
            std::string who;
            if (pts.size() == 1) {
                who = point_label(m.points[pts.front()]);
            } else {
                who = "design points ";
                for (std::size_t k = 0; k < pts.size() && k < 6; ++k) who += (k ? ", " : "") + std::to_string(pts[k]);
                if (pts.size() > 6) who += " and " + std::to_string(pts.size() - 6) + " more";
            }
            std::string where = who;
            if (!p.file.empty()) where += ": " + p.file;
            if (!p.where.empty()) where += ": " + p.where;
            all.push_back(Problem{m.sweep_file, where, p.message});
        }
        throw Error(all);
    }
    out.point_values.assign(n * m.parameters.size(), 0.0);
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t j = 0; j < m.parameters.size(); ++j)
            out.point_values[i * m.parameters.size() + j] = column_value(*out.points[i], m.parameters[j]);
    return out;
}

void apply_sweep_uncertainty(Scenario& sc, const Manifest& m) {
    sc.draws = m.uncertainty;
    if (!m.uncertainty.on) return;
    const auto& reg = sc.params.registry();
    for (const auto& column : m.parameters) {
        int index = reg.index(column);
        if (const auto dot = column.rfind('.'); index < 0 && dot != std::string::npos)
            index = reg.index(std::string_view(column).substr(0, dot));  // an element: fix its whole array
        if (index < 0) continue;
        const auto i = static_cast<std::size_t>(index);
        const ParamSpec* spec = &reg.specs()[i];
        if (sc.uncertainty[i].fixed()) continue;
        sc.uncertainty[i] = prior::fixed("swept: the sweep sets its value at each design point");
        sc.fixed_by_value.push_back(spec->key);
    }
}

Manifest plan(const SweepSpec& spec, LoadedSweep* loaded, const UncertaintySettings& uncertainty) {
    Manifest m;
    if (uncertainty.on) m.uncertainty = uncertainty;  // off: one canonical value, whatever its seed
    m.sweep_name = spec.name;
    m.sweep_file = spec.file.lexically_normal().string();
    m.scenario = fs::absolute(spec.scenario).lexically_normal();
    m.base_overrides = spec.base_overrides;
    m.seed = spec.seed;
    m.design = spec.design;
    m.design_seed = spec.design_seed;
    m.store = store_choice(StoredOutputs::parse(spec.store, spec.file.string(), "sweep.store"));
    m.levels = spec.design == "morris" ? spec.levels : 0;
    m.lhs_points = spec.design == "lhs" ? spec.points : 0;
    m.parameters = design_parameters(spec);
    if (spec.design == "lhs" || spec.design == "morris")
        for (const auto& r : spec.ranges) m.range_min.push_back(r.min), m.range_max.push_back(r.max);
    const auto design = design_points(spec);
    for (std::size_t i = 0; i < design.size(); ++i) {
        Point p;
        p.id = static_cast<std::int64_t>(i);
        p.name = design[i].name;
        p.trajectory = design[i].trajectory;
        p.changed = design[i].changed;
        p.values.assign(m.parameters.size(), "");
        for (const auto& [k, v] : design[i].set) {
            const auto it = std::find(m.parameters.begin(), m.parameters.end(), k);
            p.values[static_cast<std::size_t>(it - m.parameters.begin())] = v;
        }
        m.points.push_back(std::move(p));
    }
    // The base first: when it is wrong every point is, so report it alone.
    const Scenario base = load_scenario(m.scenario, m.base_overrides, model_parameters());
    m.base_hash = scenario_hash(base);
    for (const auto& p : m.points)
        for (int k = 0; k < spec.replicates; ++k)
            m.runs.push_back({static_cast<std::int64_t>(m.runs.size()), p.id, k,
                              run_hash(m.base_hash, m.seed, k, m.parameters, p.values, m.uncertainty)});
    LoadedSweep l = load_sweep(m);
    if (loaded) *loaded = std::move(l);
    return m;
}

// -------------------------------------------------------------------------------------------
// CSV

std::string to_csv(const Manifest& m, const fs::path& relative_to) {
    std::ostringstream os;
    std::string scenario = m.scenario.string();
    if (!relative_to.empty()) {
        // Relative to the manifest's folder when the two share more than the root folder (a
        // project moved as a whole keeps working), else absolute.
        const fs::path dir = fs::absolute(relative_to).lexically_normal();
        const fs::path rel = m.scenario.lexically_relative(dir);
        auto first = [](const fs::path& p) { return p.begin() == p.end() ? fs::path() : *std::next(p.begin()); };
        if (!rel.empty() && first(dir) == first(m.scenario)) scenario = rel.string();
    }
    const bool ranges = !m.range_min.empty();
    os << "# cpcsim sweep manifest\n";
    os << "# format: " << kManifestFormat << "\n";
    os << "# sweep_name: " << one_line(m.sweep_name) << "\n";
    os << "# sweep_file: " << one_line(m.sweep_file) << "\n";
    os << "# scenario: " << one_line(scenario) << "\n";
    for (const auto& o : m.base_overrides) os << "# set: " << one_line(o) << "\n";
    os << "# base_hash: " << hex64(m.base_hash) << "\n";
    os << "# seed: " << m.seed << "\n";
    os << "# design: " << m.design << "\n";
    os << "# design_seed: " << m.design_seed << "\n";
    if (m.levels > 0) os << "# levels: " << m.levels << "\n";
    if (m.lhs_points > 0) os << "# lhs_points: " << m.lhs_points << "\n";
    if (m.store != StoredOutputs{}.names()) os << "# store: " << m.store << "\n";
    if (m.uncertainty.on)
        os << "# uncertainty: prior\n# uncertainty_seed: " << m.uncertainty.seed
           << "\n# replicates_per_draw: " << m.uncertainty.per_draw << "\n";
    for (std::size_t j = 0; j < m.parameters.size() && ranges; ++j)
        os << "# range: " << m.parameters[j] << " " << toml_value(m.range_min[j], ParamKind::Real) << " "
           << toml_value(m.range_max[j], ParamKind::Real) << "\n";
    os << "# points: " << m.points.size() << "\n";
    os << "# runs: " << m.runs.size() << "\n";
    os << "# manifest_hash: " << hex64(m.hash()) << "\n";
    const bool morris = m.design == "morris";
    os << "run_id,point_id,point_name,replicate,seed,run_hash";
    if (morris) os << ",trajectory,changed_parameter";
    for (const auto& p : m.parameters) os << "," << csv_field(p);
    os << "\n";
    for (const auto& r : m.runs) {
        const auto& p = m.points[static_cast<std::size_t>(r.point)];
        os << r.id << "," << r.point << "," << csv_field(p.name) << "," << r.replicate << "," << m.seed << ","
           << hex64(r.hash);
        if (morris)
            os << "," << p.trajectory << ","
               << (p.changed >= 0 ? csv_field(m.parameters[static_cast<std::size_t>(p.changed)]) : "");
        for (const auto& v : p.values) os << "," << csv_field(v);
        os << "\n";
    }
    return os.str();
}

Manifest parse_manifest(const std::string& text, const std::string& label, const fs::path& relative_to) {
    Manifest m;
    ProblemList problems;
    std::map<std::string, std::vector<std::string>> meta;
    {
        std::istringstream in(text);
        std::string line;
        bool first = true;
        while (std::getline(in, line)) {
            if (!line.empty() && line.back() == '\r') line.pop_back();
            if (first && line != "# cpcsim sweep manifest")
                throw Error(label, "line 1",
                            "not a cpcsim sweep manifest (the first line must be '# cpcsim sweep manifest')");
            first = false;
            if (line.rfind("# ", 0) != 0) continue;
            const auto colon = line.find(": ");
            if (colon == std::string::npos) continue;
            meta[line.substr(2, colon - 2)].push_back(line.substr(colon + 2));
        }
        if (first) throw Error(label, "", "empty file; expected a cpcsim sweep manifest");
    }
    auto one = [&](const std::string& key) -> std::string {
        const auto it = meta.find(key);
        if (it == meta.end() || it->second.empty()) {
            problems.add(label, "header", "missing '# " + key + ": ...' line");
            return "";
        }
        return it->second.back();
    };
    int format = 0;
    if (!parse_int(one("format"), format) || format != kManifestFormat)
        problems.add(label, "header",
                     "unsupported manifest format (this cpcsim reads format " + std::to_string(kManifestFormat) + ")");
    m.sweep_name = meta.count("sweep_name") ? meta["sweep_name"].back() : "";
    m.sweep_file = meta.count("sweep_file") ? meta["sweep_file"].back() : "";
    const std::string scenario = one("scenario");
    m.scenario = fs::path(scenario).is_absolute()
                     ? fs::path(scenario)
                     : (fs::absolute(relative_to.empty() ? fs::path(".") : relative_to) / scenario);
    m.scenario = m.scenario.lexically_normal();
    if (meta.count("set")) m.base_overrides = meta["set"];
    if (!parse_hex(one("base_hash"), m.base_hash)) problems.add(label, "header", "base_hash must be 16 hex digits");
    if (!parse_int(one("seed"), m.seed)) problems.add(label, "header", "seed must be a whole number");
    m.design = one("design");
    if (!parse_int(one("design_seed"), m.design_seed))
        problems.add(label, "header", "design_seed must be a whole number");
    if (meta.count("levels") && !parse_int(meta["levels"].back(), m.levels))
        problems.add(label, "header", "bad levels");
    if (meta.count("lhs_points") && !parse_int(meta["lhs_points"].back(), m.lhs_points))
        problems.add(label, "header", "bad lhs_points");
    if (meta.count("store")) {
        try {
            m.store = store_choice(StoredOutputs::parse(meta["store"].back(), label, "header"));
        } catch (const Error& e) {
            problems.add(label, "header", "bad store: " + e.problems().front().message);
        }
    }
    if (meta.count("uncertainty")) {
        if (meta["uncertainty"].back() != "prior")
            problems.add(label, "header", "uncertainty must be 'prior' (or the line absent for none)");
        m.uncertainty.on = true;
        if (!parse_int(one("uncertainty_seed"), m.uncertainty.seed))
            problems.add(label, "header", "uncertainty_seed must be a whole number");
        if (!parse_int(one("replicates_per_draw"), m.uncertainty.per_draw) || m.uncertainty.per_draw < 1)
            problems.add(label, "header", "replicates_per_draw must be a whole number of 1 or more");
    }
    std::uint64_t stated_hash = 0;
    if (!parse_hex(one("manifest_hash"), stated_hash))
        problems.add(label, "header", "manifest_hash must be 16 hex digits");
    std::map<std::string, std::pair<double, double>> ranges;
    if (meta.count("range"))
        for (const auto& r : meta["range"]) {
            std::istringstream is(r);
            std::string key, lo, hi;
            is >> key >> lo >> hi;
            const auto a = csv::parse_number(lo), b = csv::parse_number(hi);
            if (!a || !b)
                problems.add(label, "header", "bad range line '" + r + "'");
            else
                ranges[key] = {*a, *b};
        }
    problems.throw_if_any();

    const csv::Table table = csv::parse(text, label, problems);
    problems.throw_if_any();
    const std::vector<std::string> fixed = {"run_id", "point_id", "point_name", "replicate", "seed", "run_hash"};
    std::size_t first_param = fixed.size();
    for (std::size_t i = 0; i < fixed.size(); ++i)
        if (table.header.size() <= i || table.header[i] != fixed[i])
            throw Error(label, "line " + std::to_string(table.header_line),
                        "expected the columns to start with " + join(fixed, ","));
    const bool morris = m.design == "morris";
    if (morris) {
        if (table.header.size() < 8 || table.header[6] != "trajectory" || table.header[7] != "changed_parameter")
            throw Error(label, "line " + std::to_string(table.header_line),
                        "a morris manifest needs the columns trajectory,changed_parameter after run_hash");
        first_param = 8;
    }
    m.parameters.assign(table.header.begin() + static_cast<std::ptrdiff_t>(first_param), table.header.end());
    if (!ranges.empty())
        for (const auto& k : m.parameters) {
            const auto it = ranges.find(k);
            if (it == ranges.end()) {
                problems.add(label, "header", "no range line for parameter " + k);
                continue;
            }
            m.range_min.push_back(it->second.first);
            m.range_max.push_back(it->second.second);
        }
    for (const auto& row : table.rows) {
        const std::string where = "line " + std::to_string(row.line);
        const auto& f = row.fields;
        RunRow r;
        std::uint64_t seed = 0;
        if (!parse_int(f[0], r.id) || !parse_int(f[1], r.point) || !parse_int(f[3], r.replicate) ||
            !parse_int(f[4], seed) || !parse_hex(f[5], r.hash) || r.id < 0 || r.point < 0 || r.replicate < 0) {
            problems.add(
                label, where,
                "bad run row (run_id, point_id, replicate, seed must be whole numbers >= 0, run_hash 16 hex digits)");
            continue;
        }
        if (r.id != static_cast<std::int64_t>(m.runs.size())) {
            problems.add(label, where,
                         "run ids must be 0, 1, 2, ... in order; found " + std::to_string(r.id) + " where " +
                             std::to_string(m.runs.size()) + " was expected");
            continue;
        }
        if (seed != m.seed) problems.add(label, where, "seed differs from the header's seed");
        Point p;
        p.id = r.point;
        p.name = f[2];
        if (morris) {
            if (!parse_int(f[6], p.trajectory)) problems.add(label, where, "bad trajectory");
            const std::string changed(csv::trim(f[7]));
            if (!changed.empty()) {
                const auto it = std::find(m.parameters.begin(), m.parameters.end(), changed);
                if (it == m.parameters.end())
                    problems.add(label, where, "changed_parameter '" + changed + "' is not a column");
                else
                    p.changed = static_cast<int>(it - m.parameters.begin());
            }
        }
        for (std::size_t j = first_param; j < f.size(); ++j) p.values.emplace_back(csv::trim(f[j]));
        if (r.point < static_cast<std::int64_t>(m.points.size())) {
            const auto& q = m.points[static_cast<std::size_t>(r.point)];
            if (q.name != p.name || q.values != p.values || q.trajectory != p.trajectory || q.changed != p.changed)
                problems.add(label, where,
                             "design point " + std::to_string(r.point) + " differs from its earlier rows");
        } else if (r.point == static_cast<std::int64_t>(m.points.size())) {
            m.points.push_back(std::move(p));
        } else {
            problems.add(label, where, "point ids must appear in order 0, 1, 2, ...; found " + std::to_string(r.point));
        }
        m.runs.push_back(r);
    }
    problems.throw_if_any();
    for (const auto& r : m.runs) {
        const auto& p = m.points[static_cast<std::size_t>(r.point)];
        if (run_hash(m.base_hash, m.seed, r.replicate, m.parameters, p.values, m.uncertainty) != r.hash)
            problems.add(label, "run " + std::to_string(r.id),
                         "run_hash does not match the run's contents (edited by hand?)");
    }
    if (problems.empty() && m.hash() != stated_hash)
        problems.add(label, "header",
                     "manifest_hash " + hex64(stated_hash) + " does not match the rows (" + hex64(m.hash()) +
                         "); the file was changed after it was written");
    problems.throw_if_any();
    return m;
}

Manifest read_manifest(const fs::path& file) {
    ProblemList problems;
    const auto text = csv::read_file(file, file.string(), problems);
    problems.throw_if_any();
    return parse_manifest(*text, file.string(), file.parent_path());
}

bool is_manifest_file(const fs::path& file) {
    std::ifstream in(file);
    std::string line;
    return static_cast<bool>(std::getline(in, line)) && line.rfind("# cpcsim sweep manifest", 0) == 0;
}

// -------------------------------------------------------------------------------------------
// Expand and tasks

Manifest expand(const Manifest& old, const Manifest& fresh, int* added_points, int* added_runs) {
    ProblemList problems;
    const std::string label = fresh.sweep_file;
    if (old.base_hash != fresh.base_hash)
        problems.add(label, "",
                     "the base scenario's content differs from the manifest's (hash " + hex64(fresh.base_hash) +
                         " vs " + hex64(old.base_hash) +
                         "): the scenario files, the [sweep] set / --set overrides or the model defaults changed");
    if (old.seed != fresh.seed)
        problems.add(label, "sweep.seed", "the seed differs from the manifest's (" + std::to_string(old.seed) + ")");
    if (old.design != fresh.design)
        problems.add(label, "design.type", "the design type differs from the manifest's (" + old.design + ")");
    if (old.design_seed != fresh.design_seed)
        problems.add(label, "design.seed", "the design seed differs from the manifest's");
    if (uncertainty_text(old.uncertainty) != uncertainty_text(fresh.uncertainty))
        problems.add(label, "--uncertainty",
                     "the parameter uncertainty differs from the manifest's (" + uncertainty_text(old.uncertainty) +
                         "; now " + uncertainty_text(fresh.uncertainty) +
                         "): give the same --uncertainty, --uncertainty-seed and --replicates-per-draw");
    if (old.store != fresh.store)
        problems.add(label, "sweep.store", "the outputs stored differ from the manifest's (" + old.store + ")");
    if (old.levels != fresh.levels)
        problems.add(label, "design.levels", "the number of Morris levels differs from the manifest's");
    if (old.lhs_points != fresh.lhs_points)
        problems.add(label, "design.points",
                     "the points per Latin hypercube block differ from the manifest's (" +
                         std::to_string(old.lhs_points) +
                         "): a new size draws a different hypercube; add blocks instead");
    if (!old.range_min.empty() || !fresh.range_min.empty()) {
        if (old.parameters != fresh.parameters || old.range_min != fresh.range_min || old.range_max != fresh.range_max)
            problems.add(label, "design.ranges",
                         "the parameter ranges differ from the manifest's; plan a new sweep instead");
    }
    problems.throw_if_any();

    Manifest m = old;
    m.sweep_name = fresh.sweep_name;
    m.sweep_file = fresh.sweep_file;
    for (const auto& k : fresh.parameters)
        if (std::find(m.parameters.begin(), m.parameters.end(), k) == m.parameters.end()) {
            m.parameters.push_back(k);
            for (auto& p : m.points) p.values.emplace_back();
        }
    // A point's identity: its name and settings (by key).
    auto identity = [](const Manifest& mm, const Point& p) {
        std::vector<std::pair<std::string, std::string>> s;
        for (std::size_t j = 0; j < mm.parameters.size(); ++j)
            if (!p.values[j].empty()) s.emplace_back(mm.parameters[j], p.values[j]);
        std::sort(s.begin(), s.end());
        std::string id = p.name + '\x1f' + std::to_string(p.trajectory) + '\x1f';
        for (const auto& [k, v] : s) id += k + "=" + v + '\x1f';
        return id;
    };
    std::map<std::string, std::int64_t> point_of;
    for (const auto& p : m.points) point_of.emplace(identity(m, p), p.id);
    std::map<std::pair<std::int64_t, std::int64_t>, bool> have;
    for (const auto& r : m.runs) have[{r.point, r.replicate}] = true;
    int np = 0, nr = 0;
    std::map<std::int64_t, std::int64_t> fresh_to_new;
    for (const auto& fp : fresh.points) {
        Point p = fp;
        // Re-order the values to the combined columns.
        p.values.assign(m.parameters.size(), "");
        for (std::size_t j = 0; j < fresh.parameters.size(); ++j) {
            const auto it = std::find(m.parameters.begin(), m.parameters.end(), fresh.parameters[j]);
            p.values[static_cast<std::size_t>(it - m.parameters.begin())] = fp.values[j];
        }
        if (fp.changed >= 0) {
            const auto it = std::find(m.parameters.begin(), m.parameters.end(),
                                      fresh.parameters[static_cast<std::size_t>(fp.changed)]);
            p.changed = static_cast<int>(it - m.parameters.begin());
        }
        const std::string id = identity(m, p);
        const auto it = point_of.find(id);
        if (it != point_of.end()) {
            fresh_to_new[fp.id] = it->second;
            continue;
        }
        p.id = static_cast<std::int64_t>(m.points.size());
        point_of.emplace(id, p.id);
        fresh_to_new[fp.id] = p.id;
        m.points.push_back(std::move(p));
        ++np;
    }
    for (const auto& r : fresh.runs) {
        const std::int64_t point = fresh_to_new[r.point];
        if (have[{point, r.replicate}]) continue;
        have[{point, r.replicate}] = true;
        m.runs.push_back({static_cast<std::int64_t>(m.runs.size()), point, r.replicate, r.hash});
        ++nr;
    }
    if (added_points) *added_points = np;
    if (added_runs) *added_runs = nr;
    return m;
}

std::vector<std::int64_t> task_runs(const Manifest& m, int task, int tasks) {
    std::vector<std::int64_t> out;
    for (const auto& r : m.runs)
        if (tasks <= 1 || r.id % tasks == task) out.push_back(r.id);
    return out;
}

}  // namespace cpcsim::sweep
