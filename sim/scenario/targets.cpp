// The targets-file reader: every problem in the file is collected and thrown once.
#include "scenario/targets.hpp"

#include "core/error.hpp"
#include "scenario/csv.hpp"
#include "scenario/toml_phrase.hpp"

#include <toml++/toml.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <optional>
#include <set>
#include <sstream>

namespace cpcsim {

namespace {

std::string line_of(const toml::node& node) {
    return "line " + std::to_string(node.source().begin.line);
}

std::string list_of(const std::vector<std::string>& names) {
    std::string s;
    for (std::size_t i = 0; i < names.size(); ++i) s += (i ? ", " : "") + names[i];
    return s;
}

const std::vector<std::string> kMeasureKeys = {"id",       "name",    "description",    "published",
                                               "source",   "measure", "ratio",          "order",
                                               "observed", "range",   "observation_sd", "discrepancy_sd"};
const std::vector<std::string> kValueKeys = {"observed", "range", "observation_sd", "discrepancy_sd"};

class Reader {
public:
    Reader(std::string file, const TargetVocabulary& vocabulary) : file_(std::move(file)), vocab_(vocabulary) {}

    TargetSet read(std::string_view text) {
        TargetSet set{file_, {}};
        toml::table doc;
        try {
            doc = toml::parse(text, std::string_view(file_));
        } catch (const toml::parse_error& e) {
            problems_.add(
                file_,
                "line " + std::to_string(e.source().begin.line) + ", column " + std::to_string(e.source().begin.column),
                "TOML syntax error: " + std::string(e.description()));
            problems_.throw_if_any();
        }
        for (auto&& [key, node] : doc)
            if (key.str() != "target" && key.str() != "description")
                add(node, std::string(key.str()),
                    "unknown key; a targets file holds [[target]] tables (and an optional description)");
        if (const auto* d = doc.get("description"); d && !d->is_string())
            add(*d, "description", "expected a string, got " + toml_type_phrase(*d));
        const toml::node* list = doc.get("target");
        if (!list) {
            problems_.add(file_, "", "no [[target]] tables: a targets file lists at least one target");
        } else if (const auto* array = list->as_array(); !array || !array->is_array_of_tables()) {
            add(*list, "target", "expected [[target]] tables, got " + toml_type_phrase(*list));
        } else {
            std::set<std::string> names;
            for (std::size_t i = 0; i < array->size(); ++i) {
                const auto& table = *array->get(i)->as_table();
                auto target = read_target(table, i);
                if (!target) continue;
                if (!names.insert(target->name).second)
                    add(*table.get("name"), key(i, "name"),
                        "target name '" + target->name + "' is used twice; names must be unique");
                set.targets.push_back(std::move(*target));
            }
        }
        problems_.throw_if_any();
        return set;
    }

private:
    std::string file_;
    const TargetVocabulary& vocab_;
    ProblemList problems_;

    static std::string key(std::size_t i, const std::string& name) {
        return "target[" + std::to_string(i + 1) + "]." + name;
    }
    void add(const toml::node& node, const std::string& k, std::string message) {
        problems_.add(file_, line_of(node) + ", key " + k, std::move(message));
    }

    std::optional<std::string> string(const toml::table& t, std::size_t i, const std::string& name, bool required) {
        const auto* n = t.get(name);
        if (!n) {
            if (required)
                problems_.add(file_, line_of(t) + ", " + key(i, name), "missing key '" + name + "' (a string)");
            return std::nullopt;
        }
        if (const auto* s = n->as_string(); s && !s->get().empty()) return s->get();
        add(*n, key(i, name), "expected a non-empty string, got " + toml_type_phrase(*n));
        return std::nullopt;
    }

    std::optional<double> number(const toml::node& n, const std::string& k) {
        std::optional<double> v;
        if (const auto* x = n.as_integer()) v = static_cast<double>(x->get());
        if (const auto* x = n.as_floating_point()) v = x->get();
        if (!v || !std::isfinite(*v)) {
            add(n, k, "expected a finite number, got " + toml_type_phrase(n));
            return std::nullopt;
        }
        return v;
    }
    std::optional<double> number(const toml::table& t, std::size_t i, const std::string& name, double min) {
        const auto* n = t.get(name);
        if (!n) {
            problems_.add(file_, line_of(t) + ", " + key(i, name), "missing key '" + name + "' (a number)");
            return std::nullopt;
        }
        const auto v = number(*n, key(i, name));
        if (v && *v < min) {
            add(*n, key(i, name),
                "expected a number >= " + csv::format_number(min) + ", got " + csv::format_number(*v));
            return std::nullopt;
        }
        return v;
    }

    /// "annual.deaths", "monthly.referrals_lost", "summary.deaths_per_year" or a bare summary measure.
    std::optional<OutputRef> output(const toml::node& node, const std::string& k, const std::string& text) {
        const auto dot = text.find('.');
        const std::string table = dot == std::string::npos ? "summary" : text.substr(0, dot);
        const std::string name = dot == std::string::npos ? text : text.substr(dot + 1);
        const std::vector<std::string>* names = nullptr;
        OutputRef ref{OutputRef::Table::Summary, 0, text};
        if (table == "summary") {
            names = &vocab_.summary;
        } else if (table == "annual") {
            names = &vocab_.annual;
            ref.table = OutputRef::Table::Annual;
        } else if (table == "monthly") {
            names = &vocab_.monthly;
            ref.table = OutputRef::Table::Monthly;
        } else {
            add(node, k,
                "unknown output table '" + table + "' in '" + text +
                    "': expected a summary measure, summary.<measure>, annual.<counter> or monthly.<counter>");
            return std::nullopt;
        }
        const auto it = std::find(names->begin(), names->end(), name);
        if (it == names->end()) {
            add(node, k, "unknown " + table + " output '" + name + "'; expected one of: " + list_of(*names));
            return std::nullopt;
        }
        ref.index = static_cast<std::size_t>(it - names->begin());
        return ref;
    }
    std::optional<OutputRef> output(const toml::node& node, const std::string& k) {
        const auto* s = node.as_string();
        if (!s) {
            add(node, k, "expected the name of an output (a string), got " + toml_type_phrase(node));
            return std::nullopt;
        }
        return output(node, k, s->get());
    }

    /// "A < B", "A <= B", "A > B" or "A >= B", kept as A < B or A <= B.
    std::optional<OrderCondition> condition(const toml::node& node, const std::string& k) {
        const auto* s = node.as_string();
        const std::string expected = "expected a comparison of two outputs such as \"prevalence_q2 < prevalence_q3\"";
        if (!s) {
            add(node, k, expected + ", got " + toml_type_phrase(node));
            return std::nullopt;
        }
        std::istringstream words(s->get());
        std::string left, op, right, extra;
        words >> left >> op >> right;
        if (right.empty() || (words >> extra) || (op != "<" && op != "<=" && op != ">" && op != ">=")) {
            add(node, k, expected + " (operators <, <=, >, >=, separated by spaces), got \"" + s->get() + "\"");
            return std::nullopt;
        }
        const auto l = output(node, k, left);
        const auto r = output(node, k, right);
        if (!l || !r) return std::nullopt;
        const bool greater = op[0] == '>';
        OrderCondition c{greater ? *r : *l, greater ? *l : *r, op.size() == 2, greater, ""};
        c.text = c.left.text + (c.or_equal ? " <= " : " < ") + c.right.text;
        return c;
    }

    void check_keys(const toml::table& t, std::size_t i) {
        for (auto&& [name, node] : t)
            if (std::find(kMeasureKeys.begin(), kMeasureKeys.end(), std::string(name.str())) == kMeasureKeys.end())
                add(node, key(i, std::string(name.str())), "unknown key; expected one of: " + list_of(kMeasureKeys));
    }

    std::optional<CalibrationTarget> read_target(const toml::table& t, std::size_t i) {
        const std::size_t before = problems_.size();
        check_keys(t, i);
        CalibrationTarget target;
        target.line = static_cast<int>(t.source().begin.line);
        target.id = string(t, i, "id", true).value_or("");
        target.name = string(t, i, "name", true).value_or("");
        target.description = string(t, i, "description", true).value_or("");
        target.published = string(t, i, "published", false).value_or("");
        target.source = string(t, i, "source", true).value_or("");
        if (const auto* n = t.get("name");
            n && !target.name.empty() && !std::all_of(target.name.begin(), target.name.end(), [](char c) {
                return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
            }))
            add(*n, key(i, "name"), "expected letters, digits and _ only (a column name), got '" + target.name + "'");

        const int kinds =
            (t.contains("measure") ? 1 : 0) + (t.contains("ratio") ? 1 : 0) + (t.contains("order") ? 1 : 0);
        if (kinds != 1) {
            problems_.add(file_, line_of(t) + ", " + key(i, "measure"),
                          "expected exactly one of 'measure' (an output), 'ratio' ({ numerator, denominator, scale }) "
                          "or 'order' (a list of comparisons); got " +
                              std::to_string(kinds));
            return std::nullopt;
        }
        if (const auto* m = t.get("measure")) {
            target.kind = CalibrationTarget::Kind::Measure;
            if (auto r = output(*m, key(i, "measure"))) target.measure = *r;
        } else if (const auto* r = t.get("ratio")) {
            target.kind = CalibrationTarget::Kind::Ratio;
            read_ratio(*r, i, target);
        } else {
            target.kind = CalibrationTarget::Kind::Order;
            read_order(*t.get("order"), i, target);
        }
        if (target.kind == CalibrationTarget::Kind::Order) {
            for (const auto& k : kValueKeys)
                if (const auto* n = t.get(k))
                    add(*n, key(i, k), "an order target (a shape) has no '" + k + "'; remove it");
        } else {
            read_values(t, i, target);
        }
        if (problems_.size() != before) return std::nullopt;
        return target;
    }

    void read_ratio(const toml::node& node, std::size_t i, CalibrationTarget& target) {
        const auto* r = node.as_table();
        if (!r) {
            add(node, key(i, "ratio"),
                "expected a table { numerator = \"...\", denominator = \"...\" }, got " + toml_type_phrase(node));
            return;
        }
        for (auto&& [name, value] : *r)
            if (name.str() != "numerator" && name.str() != "denominator" && name.str() != "scale")
                add(value, key(i, "ratio." + std::string(name.str())),
                    "unknown key; expected numerator, denominator and optionally scale");
        for (const char* part : {"numerator", "denominator"}) {
            const auto* n = r->get(part);
            if (!n) {
                add(node, key(i, "ratio"), std::string("missing '") + part + "' (the name of an output)");
                continue;
            }
            if (auto ref = output(*n, key(i, std::string("ratio.") + part)))
                (std::string(part) == "numerator" ? target.numerator : target.denominator) = *ref;
        }
        if (const auto* n = r->get("scale")) {
            const auto v = number(*n, key(i, "ratio.scale"));
            if (v && *v == 0) add(*n, key(i, "ratio.scale"), "expected a non-zero number, got 0");
            if (v) target.scale = *v;
        }
    }

    void read_order(const toml::node& node, std::size_t i, CalibrationTarget& target) {
        const auto* a = node.as_array();
        if (!a || a->empty()) {
            add(node, key(i, "order"),
                "expected a non-empty list of comparisons such as [\"prevalence_q2 < prevalence_q3\"], got " +
                    toml_type_phrase(node));
            return;
        }
        for (std::size_t j = 0; j < a->size(); ++j)
            if (auto c = condition(*a->get(j), key(i, "order[" + std::to_string(j + 1) + "]")))
                target.order.push_back(*c);
    }

    void read_values(const toml::table& t, std::size_t i, CalibrationTarget& target) {
        const auto observed = number(t, i, "observed", -HUGE_VAL);
        const auto obs_sd = number(t, i, "observation_sd", 0);
        const auto disc_sd = number(t, i, "discrepancy_sd", 0);
        std::optional<double> low, high;
        if (const auto* n = t.get("range")) {
            const auto* a = n->as_array();
            if (!a || a->size() != 2) {
                add(*n, key(i, "range"),
                    "expected [low, high], the acceptance range of the simulated mean, got " + toml_type_phrase(*n));
            } else {
                low = number(*a->get(0), key(i, "range[1]"));
                high = number(*a->get(1), key(i, "range[2]"));
                if (low && high && *low > *high) {
                    add(*n, key(i, "range"),
                        "expected low <= high, got [" + csv::format_number(*low) + ", " + csv::format_number(*high) +
                            "]");
                } else if (low && high && observed && (*observed < *low || *observed > *high)) {
                    add(*n, key(i, "range"),
                        "the observed value " + csv::format_number(*observed) + " lies outside the range [" +
                            csv::format_number(*low) + ", " + csv::format_number(*high) + "]");
                }
            }
        } else {
            problems_.add(file_, line_of(t) + ", " + key(i, "range"),
                          "missing key 'range' ([low, high], the acceptance range of the simulated mean)");
        }
        target.observed = observed.value_or(0);
        target.low = low.value_or(0);
        target.high = high.value_or(0);
        target.observation_sd = obs_sd.value_or(0);
        target.discrepancy_sd = disc_sd.value_or(0);
    }
};

}  // namespace

TargetSet parse_targets(std::string_view text, const std::string& file, const TargetVocabulary& vocabulary) {
    return Reader(file, vocabulary).read(text);
}

TargetSet load_targets(const std::filesystem::path& path, const TargetVocabulary& vocabulary) {
    ProblemList problems;
    const std::string label = path.lexically_normal().string();
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec))
        problems.add(label, "", "targets file not found: " + path.string());
    problems.throw_if_any();
    const auto text = csv::read_file(path, label, problems);
    problems.throw_if_any();
    return parse_targets(*text, label, vocabulary);
}

}  // namespace cpcsim
