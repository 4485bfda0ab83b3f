#include "sweep/sweep_file.hpp"

#include "core/error.hpp"
#include "metrics/outcomes.hpp"
#include "model/parameter_table.hpp"
#include "scenario/csv.hpp"
#include "scenario/params.hpp"
#include "scenario/toml_phrase.hpp"
#include "scenario/toml_text.hpp"

#include <toml++/toml.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <optional>

namespace cpcsim::sweep {

namespace fs = std::filesystem;

namespace {

std::string line_of(const toml::node& node) {
    return "line " + std::to_string(node.source().begin.line);
}

std::string type_phrase(const toml::node& node) {
    return toml_type_phrase(node);
}

/// Leaves of a table as (dotted key, node), in the order of the file. Nested tables (from bare
/// dotted keys such as funding.statutory_multiplier = ...) are flattened.
void flatten(const toml::table& table, const std::string& prefix,
             std::vector<std::pair<std::string, const toml::node*>>& out) {
    for (auto&& [name, node] : table) {
        const std::string key = prefix.empty() ? std::string(name.str()) : prefix + "." + std::string(name.str());
        if (const auto* sub = node.as_table())
            flatten(*sub, key, out);
        else
            out.emplace_back(key, &node);
    }
}
std::vector<std::pair<std::string, const toml::node*>> leaves(const toml::table& table) {
    std::vector<std::pair<std::string, const toml::node*>> out;
    flatten(table, "", out);
    std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
        const auto& pa = a.second->source().begin;
        const auto& pb = b.second->source().begin;
        return pa.line != pb.line ? pa.line < pb.line : pa.column < pb.column;
    });
    return out;
}

/// TOML text of any value node, as written (numbers in their shortest exact form).
std::string raw_text(const toml::node& node) {
    if (const auto* s = node.as_string()) return toml_quoted(s->get());
    if (const auto* i = node.as_integer()) return std::to_string(i->get());
    if (const auto* f = node.as_floating_point()) return toml_value(f->get(), ParamKind::Real);
    if (const auto* b = node.as_boolean()) return b->get() ? "true" : "false";
    if (const auto* a = node.as_array()) {
        std::string out = "[";
        for (std::size_t i = 0; i < a->size(); ++i) out += (i ? ", " : "") + raw_text(*a->get(i));
        return out + "]";
    }
    if (const auto* t = node.as_table()) {
        std::string out = "{";
        bool first = true;
        for (const auto& [k, v] : leaves(*t)) {
            out += (first ? "" : ", ") + toml_dotted_key(k) + " = " + raw_text(*v);
            first = false;
        }
        return out + "}";
    }
    return "\"?\"";
}

std::optional<double> number_of(const toml::node& node) {
    if (const auto* i = node.as_integer()) return static_cast<double>(i->get());
    if (const auto* f = node.as_floating_point()) return f->get();
    if (const auto* b = node.as_boolean()) return b->get() ? 1.0 : 0.0;
    return std::nullopt;
}

/// One element in the canonical text of `kind`, or nothing if it does not fit the kind (the
/// loader then reports it in its own words).
std::optional<std::string> canonical_element(const toml::node& node, ParamKind kind) {
    const bool is_bool = node.is_boolean();
    if (kind == ParamKind::Boolean) {
        if (!is_bool) return std::nullopt;
    } else if (is_bool || !(node.is_integer() || node.is_floating_point())) {
        return std::nullopt;
    }
    const auto v = number_of(node);
    if (!v) return std::nullopt;
    if (kind == ParamKind::Integer && (!std::isfinite(*v) || std::floor(*v) != *v)) return std::nullopt;
    return toml_value(*v, kind);
}

/// The parameter a key names, and whether it names one element of an array (key.label).
const ParamSpec* spec_of(const std::string& key, bool& element) {
    const auto& reg = model_parameters();
    element = false;
    if (const auto* s = reg.find(key)) return s;
    const auto dot = key.rfind('.');
    if (dot == std::string::npos) return nullptr;
    const auto* s = reg.find(std::string_view(key).substr(0, dot));
    if (s && !s->is_scalar()) {
        element = true;
        return s;
    }
    return nullptr;
}

std::string canonical_node(const std::string& key, const toml::node& node) {
    bool element = false;
    const ParamSpec* spec = spec_of(key, element);
    if (spec) {
        if (spec->is_scalar() || (element && !spec->is_table())) {
            if (auto c = canonical_element(node, spec->kind)) return *c;
        } else if (const auto* a = node.as_array(); a && !spec->is_table()) {
            std::string out = "[";
            bool ok = true;
            for (std::size_t i = 0; i < a->size() && ok; ++i) {
                const auto c = canonical_element(*a->get(i), spec->kind);
                ok = c.has_value();
                if (ok) out += (i ? ", " : "") + *c;
            }
            if (ok) return out + "]";
        }
    }
    return raw_text(node);
}

class Reader {
public:
    Reader(fs::path file, std::string label) : file_(std::move(file)), label_(std::move(label)) {}

    void add(const toml::node& node, const std::string& key, std::string message) {
        problems_.add(label_, line_of(node) + ", key " + key, std::move(message));
    }
    void add(std::string where, std::string message) { problems_.add(label_, std::move(where), std::move(message)); }
    ProblemList& problems() { return problems_; }

    const toml::node* get(const toml::table& t, const std::string& key) const { return t.get(key); }

    std::optional<std::string> string(const toml::table& t, const std::string& section, const std::string& name,
                                      bool required) {
        const auto* n = t.get(name);
        const std::string key = section + "." + name;
        if (!n) {
            if (required) add(section.empty() ? "" : "[" + section + "]", "missing key '" + name + "'");
            return std::nullopt;
        }
        if (const auto* s = n->as_string()) return s->get();
        add(*n, key, "expected a string, got " + type_phrase(*n));
        return std::nullopt;
    }

    std::optional<std::int64_t> integer(const toml::table& t, const std::string& section, const std::string& name,
                                        std::int64_t lo, std::int64_t hi, bool required) {
        const auto* n = t.get(name);
        const std::string key = section + "." + name;
        if (!n) {
            if (required) add(section.empty() ? "" : "[" + section + "]", "missing key '" + name + "'");
            return std::nullopt;
        }
        const auto* i = n->as_integer();
        if (!i) {
            add(*n, key, "expected a whole number, got " + type_phrase(*n));
            return std::nullopt;
        }
        if (i->get() < lo || i->get() > hi) {
            add(*n, key, std::to_string(i->get()) + " is outside " + std::to_string(lo) + " to " + std::to_string(hi));
            return std::nullopt;
        }
        return i->get();
    }

    /// A table of settings, key = value, flattened and made canonical.
    std::vector<Setting> settings(const toml::node& node, const std::string& key) {
        std::vector<Setting> out;
        const auto* t = node.as_table();
        if (!t) {
            add(node, key,
                "expected a table of parameter settings such as { \"network.coordinator_wte\" = 1 }, got " +
                    type_phrase(node));
            return out;
        }
        for (const auto& [k, v] : leaves(*t)) {
            if (v->is_array_of_tables()) {
                add(*v, key + "." + k, "expected a parameter value, got an array of tables");
                continue;
            }
            out.emplace_back(k, canonical_node(k, *v));
        }
        return out;
    }

    void check_keys(const toml::table& t, const std::string& section, const std::vector<std::string>& allowed) {
        for (auto&& [name, node] : t) {
            const std::string n(name.str());
            if (std::find(allowed.begin(), allowed.end(), n) != allowed.end()) continue;
            std::string list;
            for (std::size_t i = 0; i < allowed.size(); ++i) list += (i ? ", " : "") + allowed[i];
            add(node, section.empty() ? n : section + "." + n,
                "unknown key '" + n + "'" + (section.empty() ? "" : " in [" + section + "]") +
                    "; expected one of: " + list);
        }
    }

private:
    fs::path file_;
    std::string label_;
    ProblemList problems_;
};

}  // namespace

std::string canonical_value(const std::string& key, const std::string& text) {
    try {
        const toml::table doc = toml::parse(std::string_view("v = " + text), std::string_view("value"));
        if (const auto* n = doc.get("v")) return canonical_node(key, *n);
    } catch (const toml::parse_error&) {
    }
    return text;
}

SweepSpec read_sweep_file(const fs::path& file, const std::vector<std::string>& extra_overrides) {
    SweepSpec spec;
    spec.file = file;
    const std::string label = file.lexically_normal().string();
    Reader r(file, label);
    ProblemList io_problems;
    std::error_code ec;
    if (!fs::is_regular_file(file, ec)) throw Error(label, "", "sweep file not found");
    const auto text = csv::read_file(file, label, io_problems);
    io_problems.throw_if_any();
    toml::table doc;
    try {
        doc = toml::parse(std::string_view(*text), label);
    } catch (const toml::parse_error& e) {
        throw Error(
            label,
            "line " + std::to_string(e.source().begin.line) + ", column " + std::to_string(e.source().begin.column),
            "TOML syntax error: " + std::string(e.description()));
    }
    r.check_keys(doc, "", {"sweep", "design"});

    // [sweep]
    const auto* sweep_node = doc.get("sweep");
    const toml::table* sweep = sweep_node ? sweep_node->as_table() : nullptr;
    if (!sweep) {
        r.add("", "missing table [sweep] (name, scenario, replicates, seed)");
    } else {
        r.check_keys(*sweep, "sweep", {"name", "description", "scenario", "replicates", "seed", "set", "store"});
        spec.name = r.string(*sweep, "sweep", "name", false).value_or(file.stem().string());
        spec.description = r.string(*sweep, "sweep", "description", false).value_or("");
        if (auto s = r.string(*sweep, "sweep", "scenario", true)) {
            spec.scenario = (file.parent_path() / *s).lexically_normal();
            if (!fs::is_regular_file(spec.scenario, ec))
                r.add(*sweep->get("scenario"), "sweep.scenario",
                      "base scenario file not found: " + spec.scenario.string() +
                          " (paths are relative to the sweep file)");
        }
        spec.replicates = static_cast<int>(r.integer(*sweep, "sweep", "replicates", 1, 100000, false).value_or(1));
        if (const auto* n = sweep->get("seed")) {
            if (const auto* i = n->as_integer(); i && i->get() >= 0)
                spec.seed = static_cast<std::uint64_t>(i->get());
            else
                r.add(*n, "sweep.seed", "expected a whole number >= 0, got " + type_phrase(*n));
        }
        if (auto s = r.string(*sweep, "sweep", "store", false)) {
            try {
                (void)StoredOutputs::parse(*s, file.string(), "sweep.store");  // checked; the manifest canonicalises it
                spec.store = *s;
            } catch (const Error& e) {
                r.add(*sweep->get("store"), "sweep.store", e.problems().front().message);
            }
        }
        if (const auto* n = sweep->get("set"))
            for (const auto& [k, v] : r.settings(*n, "sweep.set")) spec.base_overrides.push_back(k + "=" + v);
    }
    for (const auto& o : extra_overrides) spec.base_overrides.push_back(o);

    // [design]
    const auto* design_node = doc.get("design");
    const toml::table* design = design_node ? design_node->as_table() : nullptr;
    spec.design_seed = spec.seed;
    if (!design) {
        r.add("", "missing table [design] with type = \"grid\", \"variants\", \"lhs\" or \"morris\"");
        r.problems().throw_if_any();
        return spec;
    }
    const auto type = r.string(*design, "design", "type", true);
    if (!type) {
        r.problems().throw_if_any();
        return spec;
    }
    spec.design = *type;
    if (const auto* n = design->get("seed")) {
        if (const auto* i = n->as_integer(); i && i->get() >= 0)
            spec.design_seed = static_cast<std::uint64_t>(i->get());
        else
            r.add(*n, "design.seed", "expected a whole number >= 0, got " + type_phrase(*n));
    }

    auto read_grid = [&](bool required) {
        const auto* n = design->get("parameters");
        if (!n) {
            if (required)
                r.add("[design]",
                      "missing table [design.parameters], e.g. \"funding.statutory_multiplier\" = [0.8, 1.0, 1.2]");
            return;
        }
        const auto* t = n->as_table();
        if (!t) {
            r.add(*n, "design.parameters", "expected a table of parameter = [levels], got " + type_phrase(*n));
            return;
        }
        for (const auto& [k, v] : leaves(*t)) {
            const auto* a = v->as_array();
            if (!a || a->empty()) {
                r.add(*v, "design.parameters." + k,
                      "expected a non-empty array of levels, got " +
                          (a ? std::string("an empty array") : type_phrase(*v)));
                continue;
            }
            GridAxis axis{k, {}};
            for (std::size_t i = 0; i < a->size(); ++i) {
                std::string value = canonical_node(k, *a->get(i));
                if (std::find(axis.values.begin(), axis.values.end(), value) != axis.values.end())
                    r.add(*a->get(i), "design.parameters." + k, "level " + value + " is listed twice");
                else
                    axis.values.push_back(std::move(value));
            }
            spec.grid.push_back(std::move(axis));
        }
        if (spec.grid.empty() && required) r.add(*n, "design.parameters", "no parameters to vary");
    };

    auto read_ranges = [&] {
        const auto* n = design->get("ranges");
        if (!n) {
            r.add("[design]", "missing table [design.ranges], e.g. \"network.leadership\" = { min = 0, max = 1 }");
            return;
        }
        const auto* t = n->as_table();
        if (!t) {
            r.add(*n, "design.ranges",
                  "expected a table of parameter = { min = ..., max = ... }, got " + type_phrase(*n));
            return;
        }
        // Each range is a table {min, max}: walk one level of (possibly dotted) keys to find them.
        std::vector<std::pair<std::string, const toml::table*>> found;
        std::function<void(const toml::table&, const std::string&)> walk = [&](const toml::table& tt,
                                                                               const std::string& prefix) {
            for (auto&& [name, node] : tt) {
                const std::string key =
                    prefix.empty() ? std::string(name.str()) : prefix + "." + std::string(name.str());
                const auto* sub = node.as_table();
                if (sub && (sub->contains("min") || sub->contains("max")))
                    found.emplace_back(key, sub);
                else if (sub)
                    walk(*sub, key);
                else
                    r.add(node, "design.ranges." + key, "expected { min = ..., max = ... }, got " + type_phrase(node));
            }
        };
        walk(*t, "");
        std::stable_sort(found.begin(), found.end(), [](const auto& a, const auto& b) {
            const auto& pa = a.second->source().begin;
            const auto& pb = b.second->source().begin;
            return pa.line != pb.line ? pa.line < pb.line : pa.column < pb.column;
        });
        for (const auto& [key, tt] : found) {
            r.check_keys(*tt, "design.ranges." + key, {"min", "max"});
            const auto* lo = tt->get("min");
            const auto* hi = tt->get("max");
            const auto vlo = lo ? number_of(*lo) : std::nullopt;
            const auto vhi = hi ? number_of(*hi) : std::nullopt;
            if (!lo || !hi || !vlo || !vhi || lo->is_boolean() || hi->is_boolean()) {
                r.add(*tt, "design.ranges." + key, "expected numbers min and max");
                continue;
            }
            bool element = false;
            const ParamSpec* ps = spec_of(key, element);
            if (!ps) {
                const auto similar = model_parameters().similar(key);
                std::string hint;
                for (std::size_t i = 0; i < similar.size() && i < 3; ++i)
                    hint += (i ? ", " : "; did you mean ") + similar[i];
                r.add(*tt, "design.ranges." + key,
                      "unknown parameter '" + key + "'" + hint + (hint.empty() ? "" : "?"));
                continue;
            }
            if (ps->kind == ParamKind::Boolean) {
                r.add(*tt, "design.ranges." + key,
                      "'" + key + "' is true/false; a range needs a numeric parameter (vary it in a grid)");
                continue;
            }
            if ((!ps->is_scalar() && !element) || ps->is_table()) {
                r.add(*tt, "design.ranges." + key,
                      "'" + key + "' is an array; give a range for one element (" + key + "." +
                          (ps->labels.empty() ? std::string("label") : ps->labels.front()) + ")");
                continue;
            }
            if (!(*vlo < *vhi)) {
                r.add(*tt, "design.ranges." + key, "min must be below max");
                continue;
            }
            if (*vlo < ps->min || *vhi > ps->max)
                r.add(*tt, "design.ranges." + key,
                      "range " + toml_value(*vlo, ParamKind::Real) + " to " + toml_value(*vhi, ParamKind::Real) +
                          " leaves the parameter's valid range " + toml_value(ps->min, ParamKind::Real) + " to " +
                          toml_value(ps->max, ParamKind::Real));
            spec.ranges.push_back({key, *vlo, *vhi});
        }
        if (spec.ranges.empty() && found.empty()) r.add(*n, "design.ranges", "no parameter ranges given");
    };

    if (spec.design == "grid") {
        r.check_keys(*design, "design", {"type", "parameters"});
        read_grid(true);
    } else if (spec.design == "variants") {
        r.check_keys(*design, "design", {"type", "variant", "parameters"});
        const auto* n = design->get("variant");
        const auto* arr = n ? n->as_array() : nullptr;
        if (!n || !arr || !arr->is_array_of_tables() || arr->empty()) {
            r.add("[design]", "expected one or more [[design.variant]] tables with name = \"...\" and set = { ... }");
        } else {
            for (std::size_t i = 0; i < arr->size(); ++i) {
                const auto& t = *arr->get(i)->as_table();
                const std::string where = "design.variant[" + std::to_string(i) + "]";
                r.check_keys(t, where, {"name", "set"});
                Variant v;
                v.name = r.string(t, where, "name", true).value_or("");
                if (v.name.empty() && t.get("name"))
                    r.add(*t.get("name"), where + ".name", "a variant name cannot be empty");
                for (const auto& other : spec.variants)
                    if (!v.name.empty() && other.name == v.name)
                        r.add(*t.get("name"), where + ".name", "variant name '" + v.name + "' is used twice");
                if (const auto* s = t.get("set")) v.set = r.settings(*s, where + ".set");
                spec.variants.push_back(std::move(v));
            }
        }
        read_grid(false);
        for (const auto& axis : spec.grid)
            for (const auto& v : spec.variants)
                for (const auto& [k, value] : v.set)
                    if (k == axis.key)
                        r.add("[design.parameters]", "'" + k + "' is both set by variant '" + v.name +
                                                         "' and varied by the grid; vary it in one place only");
    } else if (spec.design == "lhs") {
        r.check_keys(*design, "design", {"type", "points", "blocks", "seed", "ranges"});
        spec.points = static_cast<int>(r.integer(*design, "design", "points", 1, 1000000, true).value_or(0));
        spec.blocks = static_cast<int>(r.integer(*design, "design", "blocks", 1, 100000, false).value_or(1));
        read_ranges();
    } else if (spec.design == "morris") {
        r.check_keys(*design, "design", {"type", "trajectories", "levels", "seed", "ranges"});
        spec.trajectories = static_cast<int>(r.integer(*design, "design", "trajectories", 1, 100000, true).value_or(0));
        if (const auto lv = r.integer(*design, "design", "levels", 2, 1000, false)) {
            spec.levels = static_cast<int>(*lv);
            if (spec.levels % 2 != 0)
                r.add(*design->get("levels"), "design.levels",
                      "levels must be even (the Morris step is levels/2 grid steps, so that every level is equally "
                      "likely)");
        }
        read_ranges();
    } else {
        r.add(*design->get("type"), "design.type",
              "unknown design type '" + spec.design + "'; expected \"grid\", \"variants\", \"lhs\" or \"morris\"");
    }
    r.problems().throw_if_any();
    return spec;
}

}  // namespace cpcsim::sweep
