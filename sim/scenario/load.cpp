// The scenario loader: TOML files (following `extends`), --set overrides, the CSV tables and
// travel times. Every problem found anywhere is collected and thrown once, so that a user fixes
// a whole scenario in one pass instead of one error per run.
#include "scenario/scenario.hpp"

#include "core/error.hpp"
#include "core/text.hpp"
#include "scenario/csv.hpp"
#include "scenario/geo.hpp"
#include "scenario/region.hpp"
#include "scenario/toml_phrase.hpp"
#include "scenario/toml_text.hpp"

#include <toml++/toml.h>

#include <algorithm>
#include <cmath>
#include <optional>
#include <unordered_map>

namespace cpcsim {

namespace fs = std::filesystem;

namespace {

std::string display(const fs::path& path) {
    return path.lexically_normal().string();
}

fs::path absolute_path(const fs::path& path) {
    std::error_code ec;
    const fs::path absolute = fs::absolute(path, ec);
    return (ec ? path : absolute).lexically_normal();
}

// Identity of a file for cycle detection: the same file reached by two spellings is one file.
fs::path identity(const fs::path& path) {
    std::error_code ec;
    const fs::path canonical = fs::weakly_canonical(path, ec);
    return ec ? absolute_path(path) : canonical;
}

std::string line_of(const toml::node& node) {
    return "line " + std::to_string(node.source().begin.line);
}

std::string line_and_key(const toml::node& node, std::string_view key) {
    return line_of(node) + ", key " + std::string(key);
}

std::string join(const std::vector<std::string>& items, std::string_view last_separator = ", ") {
    std::string s;
    for (std::size_t i = 0; i < items.size(); ++i) {
        if (i > 0) s += (i + 1 == items.size()) ? std::string(last_separator) : std::string(", ");
        s += items[i];
    }
    return s;
}

std::string type_phrase(const toml::node& node) {
    return toml_type_phrase(node);
}

// toml++ keeps a table's keys sorted by name; problems read better in the order of the file.
std::vector<std::pair<std::string, const toml::node*>> in_file_order(const toml::table& table) {
    std::vector<std::pair<std::string, const toml::node*>> entries;
    for (auto&& [name, node] : table) entries.emplace_back(std::string(name.str()), &node);
    std::stable_sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) {
        const auto& pa = a.second->source().begin;
        const auto& pb = b.second->source().begin;
        return pa.line != pb.line ? pa.line < pb.line : pa.column < pb.column;
    });
    return entries;
}

// Where a TOML value came from: a line of a scenario file, or a --set override (no lines).
struct Origin {
    std::string file;          ///< display name of the scenario file; "" for an override
    std::string set_location;  ///< "--set key=value" for an override; "" for a file

    [[nodiscard]] Problem at(const toml::node& node, std::string_view key, std::string message) const {
        if (!set_location.empty()) return Problem{"", set_location, std::move(message)};
        return Problem{file, key.empty() ? line_of(node) : line_and_key(node, key), std::move(message)};
    }
};

// ---------------------------------------------------------------------------------------------
// Parameters

/// Reads parameter values from TOML tables and --set overrides into a ParamSet, validating each.
class ParamReader {
public:
    ParamReader(ParamSet& params, ProblemList& problems)
        : params_(params), registry_(params.registry()), problems_(problems) {}

    /// Walks `table` (whose dotted path is `prefix`) and reads every parameter in it.
    void read_table(const toml::table& table, const std::string& prefix, const Origin& origin) {
        for (const auto& [name, node_pointer] : in_file_order(table)) {
            const toml::node& node = *node_pointer;
            const std::string path = prefix.empty() ? name : prefix + "." + name;
            if (prefix.empty() &&
                (path == "scenario" || path == "funding_change" || path == "uncertainty" || path == "local_network"))
                continue;  // not parameters
            if (const ParamSpec* spec = registry_.find(path)) {
                read_param(*spec, node, origin);
            } else if (is_section(path)) {
                if (const auto* section = node.as_table())
                    read_table(*section, path, origin);
                else
                    problems_.add(origin.at(
                        node, path,
                        "'" + path + "' is a section of parameters; expected a table, got " + type_phrase(node)));
            } else {
                report_unknown(path, node, origin);
            }
        }
    }

    /// Applies one "key=value" override (value in TOML syntax). The key is a parameter key, or a
    /// parameter key followed by one label (1-D) or row label (2-D), as a dotted key in a file would.
    void read_override(const std::string& text) {
        if (const std::string why = text_problem(text); !why.empty()) {
            problems_.add("", "--set", why + " in the override (overrides are stored with the results)");
            return;
        }
        const Origin origin{"", "--set " + text};
        const auto equals = text.find('=');
        const std::string key(equals == std::string::npos ? "" : csv::trim(std::string_view(text).substr(0, equals)));
        const std::string value(equals == std::string::npos ? ""
                                                            : csv::trim(std::string_view(text).substr(equals + 1)));
        if (key.empty() || value.empty()) {
            problems_.add("", origin.set_location,
                          "expected key=value with the value in TOML syntax, e.g. run.years=5, "
                          "network.shared_records=true or population.ethnicity_rate_ratio=[1,2,1.5,1.1]");
            return;
        }
        toml::table document;
        try {
            document = toml::parse(std::string_view("v = " + value), std::string_view("--set"));
        } catch (const toml::parse_error& e) {
            problems_.add("", origin.set_location,
                          "value '" + value + "' is not valid TOML (" + std::string(e.description()) +
                              "); strings need quotes, booleans are true/false");
            return;
        }
        if (document.size() != 1 || !document.contains("v")) {
            problems_.add("", origin.set_location, "expected a single value after '='");
            return;
        }
        if (const ParamSpec* spec = registry_.find(key)) {
            read_param(*spec, *document.get("v"), origin);
            return;
        }
        if (const auto* section = document.get("v")->as_table(); section && is_section(key)) {
            read_table(*section, key, origin);  // e.g. network={shared_records=true,coordinator_wte=1}
            return;
        }
        if (const auto dot = key.rfind('.'); dot != std::string::npos) {
            const ParamSpec* spec = registry_.find(std::string_view(key).substr(0, dot));
            const std::string label = key.substr(dot + 1);
            if (spec && !spec->is_scalar()) {
                const auto& labels = spec->is_table() ? spec->row_labels : spec->labels;
                if (std::find(labels.begin(), labels.end(), label) != labels.end()) {
                    // Re-read as { "label" = value }: a partial table, exactly as in a file.
                    const toml::table partial = toml::parse(std::string_view(toml_key(label) + " = " + value));
                    read_param(*spec, partial, origin);
                    return;
                }
            }
        }
        report_unknown(key, *document.get("v"), origin);
    }

    /// One value of a scalar parameter read from a table other than its section (a
    /// [[local_network]] block); nothing (after adding a problem naming `where`) if it is not valid.
    std::optional<double> read_value(const ParamSpec& spec, const toml::node& node, const std::string& where,
                                     const Origin& origin) {
        return read_element(spec, node, where, origin);
    }

private:
    bool is_section(std::string_view path) const {
        return std::any_of(registry_.specs().begin(), registry_.specs().end(), [&](const ParamSpec& spec) {
            return spec.key.size() > path.size() && spec.key.starts_with(path) && spec.key[path.size()] == '.';
        });
    }

    void report_unknown(const std::string& path, const toml::node& node, const Origin& origin) {
        // Report each leaf of an unknown table: each gets its own line and "did you mean".
        if (const auto* table = node.as_table(); table && !table->empty() && origin.set_location.empty()) {
            for (const auto& [name, child] : in_file_order(*table)) report_unknown(path + "." + name, *child, origin);
            return;
        }
        std::string message = "unknown key '" + path + "'";
        const auto close = registry_.similar(path);
        if (!close.empty()) message += "; did you mean " + join(close, " or ") + "?";
        problems_.add(origin.at(node, "", std::move(message)));
    }

    static std::string expectation(const ParamSpec& spec) {
        switch (spec.kind) {
            case ParamKind::Boolean:
                return "true or false (or 0/1)";
            case ParamKind::Integer:
                return "a whole number";
            case ParamKind::Real:
                break;
        }
        return "a number";
    }

    /// One number of a parameter; nothing (after adding a problem) if it is not valid.
    std::optional<double> read_element(const ParamSpec& spec, const toml::node& node, const std::string& element,
                                       const Origin& origin) {
        const std::string prefix = element.empty() ? "" : "value for " + element + ": ";
        std::optional<double> value;
        if (const auto* boolean = node.as_boolean()) {
            if (spec.kind == ParamKind::Boolean) value = boolean->get() ? 1.0 : 0.0;
        } else if (const auto* integer = node.as_integer()) {
            value = static_cast<double>(integer->get());
        } else if (const auto* floating = node.as_floating_point()) {
            value = floating->get();
        }
        if (!value) {
            problems_.add(
                origin.at(node, spec.key, prefix + "expected " + expectation(spec) + ", got " + type_phrase(node)));
            return std::nullopt;
        }
        std::string why;
        if (spec.kind == ParamKind::Integer && !(std::abs(*value) < 1e15))  // keep check()'s integer cast defined
            why = "expected a whole number in [" + csv::format_number(spec.min) + ", " + csv::format_number(spec.max) +
                  "]";
        else
            why = spec.check(*value);
        if (!why.empty()) {
            if (why.find(", got ") == std::string::npos) why += ", got " + csv::format_number(*value);
            problems_.add(origin.at(node, spec.key, prefix + why));
            return std::nullopt;
        }
        return value;
    }

    /// One row of labelled values starting at values[offset]: a full array, or a table of
    /// label = value replacing only the labels it names.
    bool read_row(const ParamSpec& spec, std::vector<double>& values, std::size_t offset, const std::string& row_name,
                  const toml::node& node, const Origin& origin) {
        const std::string element_prefix = row_name.empty() ? "" : row_name + ", ";
        const std::string where_row = row_name.empty() ? "" : "row " + row_name + ": ";
        bool good = true;
        if (const auto* array = node.as_array()) {
            if (array->size() != spec.labels.size()) {
                problems_.add(origin.at(node, spec.key,
                                        where_row + "expected " + std::to_string(spec.labels.size()) + " values (" +
                                            join(spec.labels) + "), got " + std::to_string(array->size())));
                return false;
            }
            for (std::size_t i = 0; i < array->size(); ++i) {
                const auto value = read_element(spec, *array->get(i), element_prefix + spec.labels[i], origin);
                if (value) values[offset + i] = *value;
                good = good && value.has_value();
            }
            return good;
        }
        if (const auto* table = node.as_table()) {
            for (const auto& [name, child] : in_file_order(*table)) {
                const auto it = std::find(spec.labels.begin(), spec.labels.end(), name);
                if (it == spec.labels.end()) {
                    problems_.add(origin.at(
                        *child, spec.key, where_row + "unknown label '" + name + "'; labels are " + join(spec.labels)));
                    good = false;
                    continue;
                }
                const auto i = static_cast<std::size_t>(it - spec.labels.begin());
                const auto value = read_element(spec, *child, element_prefix + spec.labels[i], origin);
                if (value) values[offset + i] = *value;
                good = good && value.has_value();
            }
            return good;
        }
        problems_.add(origin.at(node, spec.key,
                                where_row + "expected an array of " + std::to_string(spec.labels.size()) + " values (" +
                                    join(spec.labels) + ") or a table of label = value, got " + type_phrase(node)));
        return false;
    }

    void read_param(const ParamSpec& spec, const toml::node& node, const Origin& origin) {
        const auto index = static_cast<std::size_t>(registry_.index(spec.key));
        std::vector<double> values = params_.values(index);  // partial tables change the inherited values
        bool good = true;
        if (spec.is_scalar()) {
            const auto value = read_element(spec, node, "", origin);
            if (value) values[0] = *value;
            good = value.has_value();
        } else if (!spec.is_table()) {
            good = read_row(spec, values, 0, "", node, origin);
        } else if (const auto* table = node.as_table()) {
            for (const auto& [name, row] : in_file_order(*table)) {
                const auto it = std::find(spec.row_labels.begin(), spec.row_labels.end(), name);
                if (it == spec.row_labels.end()) {
                    problems_.add(origin.at(*row, spec.key,
                                            "unknown row label '" + name + "'; rows are " + join(spec.row_labels)));
                    good = false;
                    continue;
                }
                const auto r = static_cast<std::size_t>(it - spec.row_labels.begin());
                good = read_row(spec, values, r * spec.labels.size(), spec.row_labels[r], *row, origin) && good;
            }
        } else if (const auto* rows = node.as_array(); rows && rows->size() == spec.row_labels.size()) {
            for (std::size_t r = 0; r < rows->size(); ++r)
                good =
                    read_row(spec, values, r * spec.labels.size(), spec.row_labels[r], *rows->get(r), origin) && good;
        } else {
            problems_.add(origin.at(node, spec.key,
                                    "expected a table of row = [values] with rows " + join(spec.row_labels) +
                                        " and columns " + join(spec.labels) + ", got " + type_phrase(node)));
            good = false;
        }
        if (good) params_.set(spec.key, std::move(values));
    }

    ParamSet& params_;
    const ParamRegistry& registry_;
    ProblemList& problems_;
};

// ---------------------------------------------------------------------------------------------
// Prior quantiles (--set prior_quantile.KEY=u; docs/calibration.md, "History matching")

constexpr std::string_view quantile_prefix = "prior_quantile.";

bool is_quantile_override(const std::string& text) {
    return csv::trim(std::string_view(text).substr(0, text.find('='))).starts_with(quantile_prefix);
}

/// Realises the parameters named by "prior_quantile.KEY=u" overrides (a Dirichlet prior: one
/// "prior_quantile.KEY.LABEL=u" per column) at those quantiles of their priors, on top of every
/// value the scenario and its other overrides set, and fixes them (a prior draw leaves them).
void apply_prior_quantiles(Scenario& sc, const std::vector<std::string>& texts, ProblemList& problems) {
    if (texts.empty()) return;
    const auto& reg = sc.params.registry();
    std::vector<PriorQuantiles> given;
    const std::size_t before = problems.size();
    for (const auto& text : texts) {
        const std::string where = "--set " + text;
        const auto equals = text.find('=');
        const std::string key(csv::trim(std::string_view(text).substr(0, equals)).substr(quantile_prefix.size()));
        const std::string value(equals == std::string::npos ? ""
                                                            : csv::trim(std::string_view(text).substr(equals + 1)));
        double u = std::nan("");
        try {
            const toml::table doc = toml::parse(std::string_view("v = " + value), std::string_view("--set"));
            u = doc.get("v") ? doc.get("v")->value<double>().value_or(std::nan("")) : std::nan("");
        } catch (const toml::parse_error&) {
        }
        if (!(u > 0.0 && u < 1.0)) {
            problems.add("", where, "expected a prior quantile strictly between 0 and 1, got '" + value + "'");
            continue;
        }
        int index = reg.index(key);
        std::string label;
        if (const auto dot = key.rfind('.'); index < 0 && dot != std::string::npos) {
            index = reg.index(std::string_view(key).substr(0, dot));
            label = key.substr(dot + 1);
        }
        if (index < 0) {
            problems.add("", where,
                         "unknown parameter '" + key +
                             "' (expected prior_quantile.KEY or, for a Dirichlet "
                             "prior, prior_quantile.KEY.LABEL)");
            continue;
        }
        const auto i = static_cast<std::size_t>(index);
        const ParamSpec& spec = reg.specs()[i];
        const Distribution& d = sc.uncertainty[i];
        const std::size_t n = quantile_count(d, spec, sc.params.values(i).size());
        if (n == 0) {
            problems.add("", where, "'" + spec.key + "' has no prior in this scenario (" + d.why + ")");
            continue;
        }
        std::size_t column = 0;
        if (d.family == Family::Dirichlet) {
            const auto it = std::find(spec.labels.begin(), spec.labels.end(), label);
            if (label.empty() || it == spec.labels.end()) {
                problems.add("", where,
                             "a Dirichlet prior takes one quantile per column: prior_quantile." + spec.key +
                                 ".LABEL with LABEL one of " + join(spec.labels, ", "));
                continue;
            }
            column = static_cast<std::size_t>(it - spec.labels.begin());
        } else if (!label.empty()) {
            problems.add("", where, "'" + spec.key + "' has one prior quantile: prior_quantile." + spec.key + "=u");
            continue;
        }
        auto g = std::find_if(given.begin(), given.end(), [&](const PriorQuantiles& q) { return q.parameter == i; });
        if (g == given.end()) g = given.insert(given.end(), PriorQuantiles{i, std::vector<double>(n, std::nan(""))});
        g->u[column] = u;
    }
    for (const auto& q : given)
        for (std::size_t j = 0; j < q.u.size(); ++j)
            if (std::isnan(q.u[j]))
                problems.add("", "--set prior_quantile." + reg.specs()[q.parameter].key,
                             "a Dirichlet prior needs a quantile for every column; missing '" +
                                 reg.specs()[q.parameter].labels[j] + "'");
    if (problems.size() != before) return;
    sc.params = at_prior_quantiles(std::move(sc.params), sc.uncertainty, given);
    for (const auto& q : given) {
        sc.uncertainty[q.parameter] = prior::fixed("set at a prior quantile by --set prior_quantile");
        sc.fixed_by_value.push_back(reg.specs()[q.parameter].key);
    }
}

// ---------------------------------------------------------------------------------------------
// Parameter uncertainty ([uncertainty] table, docs/scenario-format.md)

/// Reads a file's [uncertainty] table: per parameter key, "fixed" or a distribution.
class UncertaintyReader {
public:
    UncertaintyReader(const ParamRegistry& registry, std::vector<Distribution>& out, std::vector<bool>& given,
                      ProblemList& problems)
        : registry_(registry), out_(out), given_(given), problems_(problems) {}

    void read_table(const toml::table& table, const std::string& prefix, const Origin& origin) {
        for (const auto& [name, node_pointer] : in_file_order(table)) {
            const toml::node& node = *node_pointer;
            const std::string path = prefix.empty() ? name : prefix + "." + name;
            const int index = registry_.index(path);
            if (index >= 0) {
                read_entry(registry_.specs()[static_cast<std::size_t>(index)], static_cast<std::size_t>(index), node,
                           origin);
            } else if (const auto* sub = node.as_table(); sub && !sub->contains("family")) {
                read_table(*sub, path, origin);
            } else {
                std::string message = "unknown parameter 'uncertainty." + path + "'";
                const auto close = registry_.similar(path);
                if (!close.empty()) message += "; did you mean " + join(close, " or ") + "?";
                problems_.add(origin.at(node, "", std::move(message)));
            }
        }
    }

private:
    void read_entry(const ParamSpec& spec, std::size_t index, const toml::node& node, const Origin& origin) {
        const std::string key = "uncertainty." + spec.key;
        if (const auto* text = node.as_string()) {
            if (text->get() != "fixed") {
                problems_.add(origin.at(node, key,
                                        "expected \"fixed\" or a table such as { family = \"beta\", "
                                        "mean = 0.2, sd = 0.05 }, got \"" +
                                            text->get() + "\""));
                return;
            }
            out_[index] = prior::fixed("fixed by " + origin.file);
            given_[index] = true;
            return;
        }
        const auto* table = node.as_table();
        if (!table) {
            problems_.add(
                origin.at(node, key, "expected \"fixed\" or a table with a family, got " + type_phrase(node)));
            return;
        }
        static const std::vector<std::string> families = {"uniform", "triangular", "beta",
                                                          "gamma",   "lognormal",  "truncated_normal"};
        static const std::vector<std::vector<std::string>> needs = {{"min", "max"},      {"min", "mode", "max"},
                                                                    {"mean", "sd"},      {"mean", "sd"},
                                                                    {"median", "sigma"}, {"mean", "sd", "min", "max"}};
        static const std::vector<std::string> optional = {"family", "applies", "lower", "upper", "element", "why"};
        const auto family_node = table->get("family");
        const std::string family = family_node && family_node->is_string() ? family_node->as_string()->get() : "";
        const auto f = std::find(families.begin(), families.end(), family);
        if (f == families.end()) {
            problems_.add(origin.at(
                family_node ? *family_node : node, key,
                "expected family = " + join(families, " or ") + (family.empty() ? "" : ", got \"" + family + "\"")));
            return;
        }
        const auto& required = needs[static_cast<std::size_t>(f - families.begin())];
        std::unordered_map<std::string, double> number;
        bool ok = true;
        for (const auto& [name, child] : in_file_order(*table)) {
            if (std::find(optional.begin(), optional.end(), name) != optional.end()) continue;
            if (std::find(required.begin(), required.end(), name) == required.end()) {
                problems_.add(origin.at(*child, key + "." + name,
                                        "unknown key for a " + family + " distribution; expected " +
                                            join(required, " and ") +
                                            " (optional: applies, lower, upper, element, why)"));
                ok = false;
            } else if (auto v = child->value<double>()) {
                number[name] = *v;
            } else {
                problems_.add(origin.at(*child, key + "." + name, "expected a number, got " + type_phrase(*child)));
                ok = false;
            }
        }
        for (const auto& r : required)
            if (!number.count(r)) {
                problems_.add(origin.at(
                    node, key,
                    "a " + family + " distribution needs " + join(required, " and ") + "; '" + r + "' is missing"));
                ok = false;
            }
        if (!ok) return;
        Distribution d;
        const std::string why = table->get("why") && table->get("why")->is_string()
                                    ? table->get("why")->as_string()->get()
                                    : "set in " + origin.file;
        if (family == "uniform") d = prior::uniform(number["min"], number["max"], why);
        if (family == "triangular") d = prior::triangular(number["min"], number["mode"], number["max"], why);
        if (family == "beta") d = prior::beta(number["mean"], number["sd"], why);
        if (family == "gamma") d = prior::gamma(number["mean"], number["sd"], why);
        if (family == "lognormal") d = prior::lognormal(number["median"], number["sigma"], why);
        if (family == "truncated_normal")
            d = prior::truncated_normal(number["mean"], number["sd"], number["min"], number["max"], why);
        for (const char* bound : {"lower", "upper"}) {
            if (const auto* b = table->get(bound)) {
                if (auto v = b->value<double>())
                    (std::string_view(bound) == "lower" ? d.lower : d.upper) = *v;
                else
                    problems_.add(origin.at(*b, key + "." + bound, "expected a number, got " + type_phrase(*b)));
            }
        }
        d.applies = spec.is_scalar() ? Applies::Value : Applies::Multiplier;
        if (const auto* a = table->get("applies")) {
            static const std::vector<std::string> ways = {"value", "multiplier", "gradient", "odds"};
            const std::string how = a->is_string() ? a->as_string()->get() : "";
            const auto w = std::find(ways.begin(), ways.end(), how);
            if (w == ways.end()) {
                problems_.add(origin.at(*a, key + ".applies", "expected " + join(ways, " or ")));
                return;
            }
            d.applies = static_cast<Applies>(w - ways.begin());
        }
        if (const auto* e = table->get("element")) {
            const std::string label = e->is_string() ? e->as_string()->get() : "";
            const auto l = std::find(spec.labels.begin(), spec.labels.end(), label);
            if (spec.is_table() || l == spec.labels.end()) {
                problems_.add(origin.at(*e, key + ".element",
                                        spec.is_scalar() || spec.is_table()
                                            ? "element applies to 1-D parameters only"
                                            : "expected one of the labels " + join(spec.labels) + ", got " +
                                                  (label.empty() ? type_phrase(*e) : "\"" + label + "\"")));
                return;
            }
            d.element = static_cast<int>(l - spec.labels.begin());
        }
        if (d.applies == Applies::Value && !spec.is_scalar() && d.element < 0) {
            problems_.add(origin.at(node, key,
                                    "'" + spec.key +
                                        "' has several values: use applies = \"multiplier\", \"gradient\" or "
                                        "\"odds\", or name one element"));
            return;
        }
        if (spec.kind != ParamKind::Real) {
            problems_.add(
                origin.at(node, key, "'" + spec.key + "' is a whole number or a switch: it can only be fixed"));
            return;
        }
        if (const std::string p = d.problem(); !p.empty()) {
            problems_.add(origin.at(node, key, p));
            return;
        }
        out_[index] = std::move(d);
        given_[index] = true;
    }

    const ParamRegistry& registry_;
    std::vector<Distribution>& out_;
    std::vector<bool>& given_;
    ProblemList& problems_;
};

// ---------------------------------------------------------------------------------------------
// Scenario files and the extends chain

struct Layer {
    fs::path path;                   ///< as reached: the given file, then each base joined to its child's folder
    std::string label;               ///< for messages
    std::optional<toml::table> doc;  ///< empty when the file could not be parsed
};

/// Loads the file and every base it extends, child first. `complete` is false when the chain
/// was cut short (unreadable file, parse error, bad extends, cycle).
std::vector<Layer> load_chain(const fs::path& file, ProblemList& problems, bool& complete) {
    std::vector<Layer> chain;
    std::vector<fs::path> identities;
    std::optional<Problem> named_at;  // where the next file was named (its child's extends line)
    fs::path next = file;
    complete = false;
    while (true) {
        Layer layer{next, display(next), std::nullopt};
        std::error_code ec;
        if (!fs::is_regular_file(next, ec)) {
            if (named_at)
                problems.add(named_at->file, named_at->where, "base scenario file not found: " + next.string());
            else
                problems.add(layer.label, "", "scenario file not found: " + next.string());
            return chain;
        }
        const auto text = csv::read_file(next, layer.label, problems);
        if (!text) return chain;
        try {
            layer.doc = toml::parse(std::string_view(*text), layer.label);
        } catch (const toml::parse_error& e) {
            problems.add(
                layer.label,
                "line " + std::to_string(e.source().begin.line) + ", column " + std::to_string(e.source().begin.column),
                "TOML syntax error: " + std::string(e.description()));
            chain.push_back(std::move(layer));
            return chain;
        }
        identities.push_back(identity(next));
        chain.push_back(std::move(layer));

        const Layer& child = chain.back();
        const toml::node* extends = child.doc->at_path("scenario.extends").node();
        if (!extends) break;
        const std::string where = line_and_key(*extends, "scenario.extends");
        const auto* base_name = extends->as_string();
        if (!base_name || base_name->get().empty()) {
            problems.add(child.label, where, "expected the path of a base scenario file, got " + type_phrase(*extends));
            return chain;
        }
        next = child.path.parent_path() / base_name->get();
        if (std::find(identities.begin(), identities.end(), identity(next)) != identities.end()) {
            std::string cycle;
            for (const auto& layer_in_chain : chain) cycle += layer_in_chain.path.filename().string() + " -> ";
            problems.add(child.label, where, "extends cycle: " + cycle + next.filename().string());
            return chain;
        }
        named_at = Problem{child.label, where, ""};
    }
    complete = true;
    return chain;
}

/// A CSV file named in a [scenario] table, resolved against the folder of the file naming it.
struct NamedFile {
    fs::path path;
    std::string named_in;  ///< scenario file label
    std::string where;     ///< line and key there
};

/// The [scenario] header merged over the chain: a child's entries replace its base's.
struct Header {
    std::optional<std::string> name;
    std::optional<std::string> description;
    std::optional<NamedFile> areas, providers, travel_minutes;
};

void read_header(const Layer& layer, Header& header, ProblemList& problems) {
    const toml::node* node = layer.doc->get("scenario");
    if (!node) return;
    const auto* table = node->as_table();
    if (!table) {
        problems.add(layer.label, line_of(*node), "'scenario' must be a table ([scenario])");
        return;
    }
    static const std::vector<std::string> known = {"name",  "description", "extends",
                                                   "areas", "providers",   "travel_minutes"};
    for (const auto& [key, value_pointer] : in_file_order(*table)) {
        const toml::node& value = *value_pointer;
        const std::string where = line_and_key(value, "scenario." + key);
        if (std::find(known.begin(), known.end(), key) == known.end()) {
            problems.add(layer.label, where, "unknown key 'scenario." + key + "'; expected " + join(known, " or "));
            continue;
        }
        if (key == "extends") continue;  // followed by load_chain
        const auto* text = value.as_string();
        if (!text || (key != "description" && text->get().empty())) {
            problems.add(layer.label, where, "expected a non-empty string, got " + type_phrase(value));
            continue;
        }
        if (const std::string why = text_problem(text->get()); !why.empty()) {
            problems.add(layer.label, where, why + " in the string (a \\u0000 escape is not allowed)");
            continue;
        }
        if (key == "name") {
            header.name = text->get();
        } else if (key == "description") {
            header.description = text->get();
        } else {
            NamedFile file{layer.path.parent_path() / text->get(), layer.label, where};
            (key == "areas" ? header.areas : key == "providers" ? header.providers : header.travel_minutes) = file;
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Funding changes

constexpr double kMaxFundingChangeYear = 60;
constexpr double kMaxFundingMultiplier = 10;
constexpr double kMaxFundingAmount = 1e9;  // GBP per year: far above any provider's budget
constexpr double kMaxFundingWte = 1000;

struct FundingEntry {
    FundingChange change;
    std::string file;
    std::string where;  ///< line of the [[funding_change]] table
};

std::vector<FundingEntry> read_funding_changes(const toml::node& node, const std::string& file, ProblemList& problems) {
    std::vector<FundingEntry> entries;
    const auto* array = node.as_array();
    if (!array || !(array->empty() || array->is_array_of_tables())) {
        problems.add(file, line_of(node), "funding_change must be written as [[funding_change]] tables");
        return entries;
    }
    static const std::vector<std::string> known = {"year",       "target",     "icb", "provider_type", "income",
                                                   "multiplier", "amount_gbp", "wte", "out_of_hours"};
    for (const auto& element : *array) {
        const auto& table = *element.as_table();
        FundingEntry entry{FundingChange{}, file, line_of(element)};
        for (const auto& [key, value_pointer] : in_file_order(table)) {
            const toml::node& value = *value_pointer;
            const std::string where = line_and_key(value, "funding_change." + key);
            if (key == "year" || key == "multiplier" || key == "amount_gbp" || key == "wte") {
                const bool is_number = value.is_number();
                const double number = is_number ? value.value_or(0.0) : 0.0;
                // Bounds (docs/scenario-format.md): a change can start at most at the longest
                // horizon (run.years <= 60), and one change at most multiplies an income by 10
                // (the range of funding.statutory_multiplier): larger values overflowed costs.
                const std::string got = is_number ? csv::format_number(number) : type_phrase(value);
                if (key == "year") {
                    if (!is_number || !(number >= 0 && number <= kMaxFundingChangeYear))
                        problems.add(file, where,
                                     "expected a year in [0, " + csv::format_number(kMaxFundingChangeYear) +
                                         "] (years from the start of the horizon), got " + got);
                    else
                        entry.change.year = number;
                } else if (key == "multiplier") {
                    if (!is_number || !(number > 0 && number <= kMaxFundingMultiplier))
                        problems.add(file, where,
                                     "expected a multiplier in (0, " + csv::format_number(kMaxFundingMultiplier) +
                                         "], got " + got);
                    else
                        entry.change.multiplier = number;
                } else {  // amount_gbp or wte: added (negative: removed), never zero
                    const bool gbp = key == "amount_gbp";
                    const double bound = gbp ? kMaxFundingAmount : kMaxFundingWte;
                    if (!is_number || !(number >= -bound && number <= bound) || number == 0)
                        problems.add(file, where,
                                     std::string(gbp ? "expected GBP per year" : "expected posts in WTE") +
                                         " added (negative: removed), non-zero, in [-" + csv::format_number(bound) +
                                         ", " + csv::format_number(bound) + "], got " + got);
                    else
                        (gbp ? entry.change.amount_gbp : entry.change.wte) = number;
                }
            } else if (key == "out_of_hours") {
                // Only cover added: cover in today's budgets is removed by cutting the money.
                if (!value.is_boolean() || !value.value_or(false))
                    problems.add(file, where,
                                 "expected out_of_hours = true (cover added by the scenario), got " +
                                     (value.is_boolean() ? std::string("false") : type_phrase(value)));
                else
                    entry.change.out_of_hours = true;
            } else if (key == "target" || key == "income" || key == "icb" || key == "provider_type") {
                const auto* text = value.as_string();
                if (!text) {
                    problems.add(file, where, "expected a string, got " + type_phrase(value));
                } else if (const std::string why = text_problem(text->get()); !why.empty()) {
                    problems.add(file, where, why + " in the string");
                } else if (key == "target") {
                    entry.change.target = text->get();  // checked once the providers are known
                } else if (key == "icb") {
                    entry.change.icb = text->get();  // checked once the areas are known
                    if (text->get().empty()) problems.add(file, where, "expected an ICB name, got an empty string");
                } else if (key == "provider_type") {
                    const auto t = provider_type_from_name(text->get());
                    if (!t || *t == ProviderType::Hospital)
                        problems.add(file, where,
                                     "expected provider_type hospice, sppc or ccn, got '" + text->get() + "'");
                    else
                        entry.change.provider_type = text->get();
                } else if (text->get() != "statutory" && text->get() != "charitable" && text->get() != "all") {
                    problems.add(file, where,
                                 "expected income statutory, charitable or all, got '" + text->get() + "'");
                } else {
                    entry.change.income = text->get();
                }
            } else {
                problems.add(file, where,
                             "unknown key '" + key + "' in [[funding_change]]; expected " + join(known, " or "));
            }
        }
        if (!table.contains("year")) problems.add(file, entry.where, "[[funding_change]] needs a year");
        if (table.contains("target") && (table.contains("icb") || table.contains("provider_type")))
            problems.add(file, entry.where,
                         "[[funding_change]] names a target and icb or provider_type; expected either target, or icb "
                         "and/or provider_type (ambiguous otherwise)");
        const int how = static_cast<int>(table.contains("multiplier")) +
                        static_cast<int>(table.contains("amount_gbp")) + static_cast<int>(table.contains("wte")) +
                        static_cast<int>(table.contains("out_of_hours"));
        if (how != 1)
            problems.add(
                file, entry.where,
                std::string(
                    "[[funding_change]] needs exactly one of multiplier, amount_gbp, wte or out_of_hours, got ") +
                    (how == 0 ? "none" : "more than one"));
        entries.push_back(std::move(entry));
    }
    return entries;
}

/// Changes multiply each other: 400 changes of x10 would overflow just as one of 1e308 did. The
/// growth they can add together is bounded like one change's.
void check_funding_growth(const std::vector<FundingEntry>& entries, ProblemList& problems) {
    double growth = 1;
    for (const auto& entry : entries) growth *= std::max(1.0, entry.change.multiplier);
    if (growth > kMaxFundingMultiplier)
        problems.add(entries.back().file, entries.back().where,
                     "the [[funding_change]] multipliers above 1 multiply to " + csv::format_number(growth) +
                         "; expected at most " + csv::format_number(kMaxFundingMultiplier) +
                         " (changes multiply each other)");
}

/// A change naming icb and/or provider_type selects every provider of that type standing in an
/// area of that ICB; an amount is split by baseline budgets and posts by baseline WTE.
void resolve_funding_selections(std::vector<FundingEntry>& entries, const std::vector<Area>& areas,
                                const std::vector<Provider>& providers, ProblemList& problems) {
    std::vector<std::string> icbs;
    for (const auto& area : areas)
        if (std::find(icbs.begin(), icbs.end(), area.icb) == icbs.end()) icbs.push_back(area.icb);
    for (auto& entry : entries) {
        auto& ch = entry.change;
        if (ch.icb.empty() && ch.provider_type.empty()) continue;
        if (!ch.icb.empty() && std::find(icbs.begin(), icbs.end(), ch.icb) == icbs.end()) {
            problems.add(entry.file, entry.where + ", key funding_change.icb",
                         "unknown ICB '" + ch.icb + "'; expected one of " + join(icbs, " or ") +
                             " (the icb column of the areas table)");
            continue;
        }
        auto selected = [&](const Provider& pr) {
            if (pr.type == ProviderType::Hospital) return false;  // no budget in the model
            if (!ch.provider_type.empty() && provider_type_name(pr.type) != ch.provider_type) return false;
            if (ch.icb.empty()) return true;
            const auto it = std::find_if(areas.begin(), areas.end(), [&](const Area& a) { return a.code == pr.area; });
            return it != areas.end() && it->icb == ch.icb;
        };
        ch.amount_share.assign(providers.size(), 0.0);
        ch.wte_share.assign(providers.size(), 0.0);
        double budgets = 0, wtes = 0;
        int count = 0;
        for (std::size_t p = 0; p < providers.size(); ++p) {
            if (!selected(providers[p])) continue;
            ++count;
            ch.amount_share[p] = providers[p].statutory_income_gbp + providers[p].charitable_income_gbp;
            ch.wte_share[p] = providers[p].staff_wte;
            budgets += ch.amount_share[p];
            wtes += ch.wte_share[p];
            ch.selection.push_back(p);
        }
        const std::string what = (ch.provider_type.empty() ? std::string("provider") : ch.provider_type) +
                                 (ch.icb.empty() ? std::string() : " standing in ICB '" + ch.icb + "'");
        if (count == 0)
            problems.add(entry.file, entry.where, "[[funding_change]] selects no " + what + " in the providers table");
        else if (ch.amount_gbp != 0 && budgets <= 0)
            problems.add(entry.file, entry.where + ", key funding_change.amount_gbp",
                         "no selected " + what + " has a baseline budget to split the amount by");
        else if (ch.wte != 0 && wtes <= 0)
            problems.add(entry.file, entry.where + ", key funding_change.wte",
                         "no selected " + what + " has baseline WTE to split the posts by");
        for (std::size_t p = 0; p < providers.size(); ++p) {
            ch.amount_share[p] = budgets > 0 ? ch.amount_share[p] / budgets : 0.0;
            ch.wte_share[p] = wtes > 0 ? ch.wte_share[p] / wtes : 0.0;
        }
    }
}

void check_funding_targets(const std::vector<FundingEntry>& entries, const std::vector<Provider>& providers,
                           bool providers_known, ProblemList& problems) {
    for (const auto& entry : entries) {
        if (!entry.change.icb.empty() || !entry.change.provider_type.empty()) continue;  // resolved apart
        const std::string& target = entry.change.target;
        const auto it =
            std::find_if(providers.begin(), providers.end(), [&](const Provider& p) { return p.id == target; });
        // Out-of-hours cover is community cover: a hospital gives none (docs/model.md, 24/7 cover).
        if (entry.change.out_of_hours &&
            (target == "hospital" || (it != providers.end() && it->type == ProviderType::Hospital)))
            problems.add(entry.file, entry.where,
                         "funding_change target '" + target +
                             "': out_of_hours needs a hospice, SPPC or CCN provider (or one of those types, or 'all'); "
                             "hospitals give no out-of-hours cover at home");
        if (target == "all" || provider_type_from_name(target)) continue;
        const bool is_provider = it != providers.end();
        if (is_provider || !providers_known) continue;
        problems.add(entry.file, entry.where,
                     "funding_change target '" + target +
                         "' is not 'all', a provider type (hospice, sppc, ccn, hospital) or a provider id in the "
                         "providers table");
    }
}

// ---------------------------------------------------------------------------------------------
// Local networks ([[local_network]], docs/scenario-format.md)

struct LocalNetworkEntry {
    LocalNetwork block;
    std::string file;
    std::string where;       ///< "line N" of the block's table
    std::size_t number = 0;  ///< 1-based position among the file's [[local_network]] blocks
    bool scoped = false;     ///< icb or areas was read (problems already reported otherwise)
};

std::string block_name(std::size_t number) {
    return "[[local_network]] block " + std::to_string(number);
}

/// The keys a [[local_network]] block may set: "network.<key>" parameters declared local.
std::vector<std::string> local_lever_keys(const ParamRegistry& registry) {
    std::vector<std::string> keys;
    for (const auto& spec : registry.specs())
        if (spec.local && spec.key.starts_with("network.")) keys.push_back(spec.key.substr(8));
    return keys;
}

std::vector<LocalNetworkEntry> read_local_networks(const toml::node& node, const std::string& file, ParamReader& reader,
                                                   const ParamRegistry& registry, ProblemList& problems) {
    std::vector<LocalNetworkEntry> entries;
    const auto* array = node.as_array();
    if (!array || !(array->empty() || array->is_array_of_tables())) {
        problems.add(file, line_of(node), "local_network must be written as [[local_network]] tables");
        return entries;
    }
    const std::vector<std::string> levers = local_lever_keys(registry);
    for (const auto& element : *array) {
        const auto& table = *element.as_table();
        LocalNetworkEntry entry{LocalNetwork{}, file, line_of(element), entries.size() + 1};
        const std::string name = block_name(entry.number);
        const bool has_icb = table.contains("icb"), has_areas = table.contains("areas");
        if (has_icb == has_areas)
            problems.add(file, entry.where,
                         name + (has_icb ? " names both icb and areas" : " names neither icb nor areas") +
                             "; expected exactly one of them (icb = \"<ICB name>\" or areas = [\"<area code>\", ...])");
        entry.scoped = has_icb != has_areas;
        for (const auto& [key, value_pointer] : in_file_order(table)) {
            const toml::node& value = *value_pointer;
            const std::string where = line_and_key(value, "local_network." + key);
            if (key == "icb") {
                const auto* text = value.as_string();
                if (!text || text->get().empty() || !text_problem(text->get()).empty()) {
                    problems.add(
                        file, where,
                        name + ": expected icb = \"<ICB name as in the areas table>\", got " + type_phrase(value));
                    entry.scoped = false;
                } else {
                    entry.block.icb = text->get();
                }
            } else if (key == "areas") {
                const auto* list = value.as_array();
                bool good = list && !list->empty();
                if (good)
                    for (const auto& code : *list) {
                        const auto* text = code.as_string();
                        if (!text || text->get().empty() || !text_problem(text->get()).empty()) {
                            good = false;
                            break;
                        }
                        entry.block.codes.push_back(text->get());
                    }
                if (!good) {
                    problems.add(file, where,
                                 name +
                                     ": expected areas = [\"<area code>\", ...], a non-empty list of area codes "
                                     "from the areas table, got " +
                                     type_phrase(value));
                    entry.scoped = false;
                }
            } else if (std::find(levers.begin(), levers.end(), key) != levers.end()) {
                const ParamSpec& spec = *registry.find("network." + key);
                if (const auto v = reader.read_value(spec, value, name, Origin{file, ""}))
                    entry.block.values.emplace_back(registry.index(spec.key), *v);
            } else {
                problems.add(file, where,
                             name + ": '" + key +
                                 "' is not a network lever that can be set locally; expected icb or "
                                 "areas and any of " +
                                 join(levers, " or "));
            }
        }
        entries.push_back(std::move(entry));
    }
    return entries;
}

/// The areas each block covers, once the areas table is known.
void resolve_local_networks(std::vector<LocalNetworkEntry>& entries, const std::vector<Area>& areas,
                            ProblemList& problems) {
    std::vector<std::string> icbs;
    for (const auto& area : areas)
        if (std::find(icbs.begin(), icbs.end(), area.icb) == icbs.end()) icbs.push_back(area.icb);
    for (auto& entry : entries) {
        if (!entry.scoped) continue;
        auto& block = entry.block;
        const std::string name = block_name(entry.number);
        if (!block.icb.empty()) {
            for (std::size_t a = 0; a < areas.size(); ++a)
                if (areas[a].icb == block.icb) block.areas.push_back(a);
            if (block.areas.empty())
                problems.add(entry.file, entry.where + ", key local_network.icb",
                             name + ": unknown ICB '" + block.icb + "'; expected one of " + join(icbs, " or ") +
                                 " (the icb column of the areas table)");
        }
        for (const auto& code : block.codes) {
            const auto it = std::find_if(areas.begin(), areas.end(), [&](const Area& a) { return a.code == code; });
            if (it == areas.end()) {
                problems.add(entry.file, entry.where + ", key local_network.areas",
                             name + ": unknown area code '" + code + "'; expected a code of the areas table");
                continue;
            }
            const auto a = static_cast<std::size_t>(it - areas.begin());
            if (std::find(block.areas.begin(), block.areas.end(), a) == block.areas.end()) block.areas.push_back(a);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// CSV tables

/// Text of a table named in the header, or nothing after a problem at the line that names it.
std::optional<std::string> read_named(const NamedFile& named, ProblemList& problems) {
    std::error_code ec;
    if (!fs::is_regular_file(named.path, ec)) {
        problems.add(named.named_in, named.where, "file not found: " + named.path.string());
        return std::nullopt;
    }
    return csv::read_file(named.path, display(named.path), problems);
}

double geography_param(const ParamSet& params, std::string_view key, double fallback, ProblemList& problems) {
    if (!params.registry().find(key)) return fallback;
    const double value = params.get(key);
    if (!(value > 0)) problems.add("", "key " + std::string(key), "must be greater than 0 to compute travel times");
    return value;
}

/// Distributions (ParamSpec::weights) must have a positive total in every row: all-zero weights
/// would silently pick the first category.
void check_weights(const ParamSet& params, const fs::path& file, ProblemList& problems) {
    const auto& specs = params.registry().specs();
    for (std::size_t i = 0; i < specs.size(); ++i) {
        const auto& spec = specs[i];
        if (!spec.weights) continue;
        const auto& v = params.values(i);
        const std::size_t width = spec.labels.empty() ? 1 : spec.labels.size();
        for (std::size_t row = 0; row * width < v.size(); ++row) {
            double total = 0;
            for (std::size_t k = 0; k < width; ++k) total += v[row * width + k];
            if (total > 0) continue;
            const std::string where = "key " + spec.key + (spec.is_table() ? ", row " + spec.row_labels[row] : "");
            problems.add(display(file), where, "weights must not all be zero (they are normalised to probabilities)");
        }
    }
}

}  // namespace

Scenario load_scenario(const fs::path& file, const std::vector<std::string>& overrides, const ParamRegistry& registry) {
    return load_scenario(file, overrides, registry, AddedLayer{});
}

Scenario load_scenario(const fs::path& file, const std::vector<std::string>& overrides, const ParamRegistry& registry,
                       const AddedLayer& added) {
    ProblemList problems;
    // Designated so that `params` is built once from `registry`; the other members start empty,
    // which is what the warning below would complain about.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
    Scenario scenario{.params = ParamSet(registry)};
#pragma GCC diagnostic pop
    scenario.file = file;
    scenario.overrides = overrides;

    bool chain_complete = false;
    const std::vector<Layer> chain = load_chain(file, problems, chain_complete);
    for (const auto& layer : chain) scenario.chain.push_back(absolute_path(layer.path));

    // Base first, so that each child's values replace (or partly replace) what it inherits.
    Header header;
    ParamReader reader(scenario.params, problems);
    std::vector<FundingEntry> funding;
    std::vector<LocalNetworkEntry> local;
    for (auto layer = chain.rbegin(); layer != chain.rend(); ++layer) {
        if (!layer->doc) continue;
        read_header(*layer, header, problems);
        reader.read_table(*layer->doc, "", Origin{layer->label, ""});
        if (const toml::node* node = layer->doc->get("funding_change"))
            funding = read_funding_changes(*node, layer->label, problems);  // a child's list replaces its base's
        if (const toml::node* node = layer->doc->get("local_network"))
            local = read_local_networks(*node, layer->label, reader, registry, problems);  // replaces too
    }
    if (!added.toml.empty()) {
        // Parsed from text, so a syntax error is reported like a file's; the explorer's text
        // is generated and never has one.
        try {
            const toml::table doc = toml::parse(std::string_view(added.toml), added.label);
            for (const auto& [key, node] : in_file_order(doc))
                if (key == "scenario" || key == "uncertainty")
                    problems.add(added.label, line_of(*node), "'" + key + "' cannot be set here");
            reader.read_table(doc, "", Origin{added.label, ""});
            if (const toml::node* node = doc.get("funding_change"))
                for (auto& entry : read_funding_changes(*node, added.label, problems))
                    funding.push_back(std::move(entry));  // added to the files' list
            if (const toml::node* node = doc.get("local_network"))
                for (auto& entry : read_local_networks(*node, added.label, reader, registry, problems))
                    local.push_back(std::move(entry));
        } catch (const toml::parse_error& e) {
            problems.add(added.label, "line " + std::to_string(e.source().begin.line),
                         "TOML syntax error: " + std::string(e.description()));
        }
    }
    std::vector<std::string> quantile_overrides;
    for (const auto& text : overrides) {
        if (is_quantile_override(text))
            quantile_overrides.push_back(text);  // applied once the priors are known, below
        else
            reader.read_override(text);
    }

    // Uncertainty: the declared distributions, replaced by each file's [uncertainty] table (base
    // first); a parameter with a prior on its value that the scenario sets to another value than
    // its default keeps the scenario's value unless the scenario also gives it a distribution.
    for (const auto& spec : registry.specs()) scenario.uncertainty.push_back(spec.uncertainty);
    std::vector<bool> uncertainty_given(registry.specs().size(), false);
    UncertaintyReader uncertainty(registry, scenario.uncertainty, uncertainty_given, problems);
    for (auto layer = chain.rbegin(); layer != chain.rend(); ++layer) {
        if (!layer->doc) continue;
        if (const toml::node* node = layer->doc->get("uncertainty")) {
            if (const auto* table = node->as_table())
                uncertainty.read_table(*table, "", Origin{layer->label, ""});
            else
                problems.add(layer->label, line_of(*node),
                             "'uncertainty' is a table of parameter distributions; got " + type_phrase(*node));
        }
    }
    for (std::size_t i = 0; i < registry.specs().size(); ++i) {
        const ParamSpec& spec = registry.specs()[i];
        // Multiplier, gradient and odds priors are relative to whatever value the scenario has.
        if (uncertainty_given[i] || scenario.uncertainty[i].fixed() ||
            scenario.uncertainty[i].applies != Applies::Value)
            continue;
        if (scenario.params.values(i) != spec.defaults) {
            scenario.uncertainty[i] = prior::fixed("the scenario sets its value");
            scenario.fixed_by_value.push_back(spec.key);
        }
    }
    // A gradient prior scales how far ratios are from 1: with every ratio at 1 (no gradient
    // declared) it has nothing to scale, and drawing it would only add a column that correlates
    // with outcomes by chance.
    for (std::size_t i = 0; i < registry.specs().size(); ++i) {
        const Distribution& d = scenario.uncertainty[i];
        if (d.fixed() || d.applies != Applies::Gradient) continue;
        const auto& v = scenario.params.values(i);
        const bool flat = d.element >= 0 ? v.at(static_cast<std::size_t>(d.element)) == 1.0
                                         : std::all_of(v.begin(), v.end(), [](double x) { return x == 1.0; });
        if (!flat) continue;
        scenario.uncertainty[i] = prior::fixed("no gradient to scale: every ratio is 1");
        scenario.fixed_by_value.push_back(registry.specs()[i].key);
    }
    apply_prior_quantiles(scenario, quantile_overrides, problems);

    scenario.name = header.name.value_or(file.stem().string());
    scenario.description = header.description.value_or("");

    // A broken chain may have lost the file that names a table: do not also blame its absence.
    if (chain_complete) {
        if (!header.areas)
            problems.add(display(file), "", "no areas table: set scenario.areas in this file or a file it extends");
        if (!header.providers)
            problems.add(display(file), "",
                         "no providers table: set scenario.providers in this file or a file it extends");
    }

    bool providers_known = false;
    if (header.areas) {
        scenario.areas_file = absolute_path(header.areas->path);
        if (auto text = read_named(*header.areas, problems)) {
            scenario.areas = read_areas(*text, display(header.areas->path), problems);
            scenario.areas_csv = std::move(*text);
        }
    }
    if (header.providers) {
        scenario.providers_file = absolute_path(header.providers->path);
        if (auto text = read_named(*header.providers, problems)) {
            scenario.providers = read_providers(*text, display(header.providers->path), scenario.areas, problems);
            scenario.providers_csv = std::move(*text);
            providers_known = !scenario.providers.empty();
        }
    }

    check_funding_targets(funding, scenario.providers, providers_known, problems);
    if (providers_known) resolve_funding_selections(funding, scenario.areas, scenario.providers, problems);
    check_funding_growth(funding, problems);
    for (auto& entry : funding) scenario.funding_changes.push_back(std::move(entry.change));
    if (!scenario.areas.empty()) resolve_local_networks(local, scenario.areas, problems);
    for (auto& entry : local) scenario.local_networks.push_back(std::move(entry.block));

    if (header.travel_minutes) {
        scenario.travel_minutes_file = absolute_path(header.travel_minutes->path);
        if (auto text = read_named(*header.travel_minutes, problems);
            text && !scenario.areas.empty() && !scenario.providers.empty())
            scenario.travel_minutes = read_travel_matrix(*text, display(header.travel_minutes->path), scenario.areas,
                                                         scenario.providers, problems);
    } else {
        const double road_factor =
            geography_param(scenario.params, "geography.road_factor", kDefaultRoadFactor, problems);
        const double speed_kmh = geography_param(scenario.params, "geography.speed_kmh", kDefaultSpeedKmh, problems);
        scenario.travel_minutes =
            straight_line_travel_minutes(scenario.areas, scenario.providers, road_factor, speed_kmh);
    }

    check_weights(scenario.params, file, problems);
    problems.throw_if_any();
    return scenario;
}

}  // namespace cpcsim
