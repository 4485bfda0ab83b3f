// Scenario::resolved_toml(): the scenario as one self-contained TOML file (no `extends`, no
// overrides left to apply) for the provenance record of each output file. Written by hand rather
// than with toml++'s formatter to keep declaration order and explanatory comments.
#include "scenario/scenario.hpp"
#include "scenario/toml_text.hpp"

#include <algorithm>
#include <span>
#include <sstream>

namespace cpcsim {

namespace {

// Comments are single lines: a newline in a path must not end the comment.
std::string comment_text(std::string_view text) {
    std::string out(text);
    for (char& c : out)
        if (static_cast<unsigned char>(c) < 0x20) c = ' ';
    return out;
}

std::string section_of(const std::string& key) {
    const auto dot = key.rfind('.');
    return dot == std::string::npos ? "" : key.substr(0, dot);
}

std::string name_in_section(const std::string& key) {
    const auto dot = key.rfind('.');
    return dot == std::string::npos ? key : key.substr(dot + 1);
}

std::string array_text(std::span<const double> values, ParamKind kind) {
    std::string out = "[";
    for (std::size_t i = 0; i < values.size(); ++i) out += (i ? ", " : "") + toml_value(values[i], kind);
    return out + "]";
}

std::string joined(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& item : items) out += (out.empty() ? "" : ", ") + item;
    return out;
}

// One "name = value  # note" line for a scalar or 1-D parameter.
void write_value_line(std::ostream& out, const ParamSpec& spec, const std::vector<double>& values) {
    out << toml_key(name_in_section(spec.key)) << " = ";
    if (spec.is_scalar()) {
        out << toml_value(values.front(), spec.kind);
        if (!spec.unit.empty()) out << "  # " << comment_text(spec.unit);
    } else {
        out << array_text(values, spec.kind) << "  # " << comment_text(joined(spec.labels));
    }
    out << '\n';
}

/// A distribution as an inline TOML table of the [uncertainty] format (docs/scenario-format.md).
std::string uncertainty_toml(const Distribution& d, const ParamSpec& spec) {
    if (d.fixed()) return "\"fixed\"";
    const auto num = [](double v) { return toml_value(v, ParamKind::Real); };
    std::string s = "{ family = \"" + std::string(family_name(d.family)) + "\"";
    switch (d.family) {
        case Family::Uniform:
            s += ", min = " + num(d.a) + ", max = " + num(d.b);
            break;
        case Family::Triangular:
            s += ", min = " + num(d.a) + ", mode = " + num(d.b) + ", max = " + num(d.c);
            break;
        case Family::Beta:
        case Family::Gamma:
            s += ", mean = " + num(d.a) + ", sd = " + num(d.b);
            break;
        case Family::Lognormal:
            s += ", median = " + num(d.a) + ", sigma = " + num(d.b);
            break;
        case Family::TruncatedNormal:
            s += ", mean = " + num(d.a) + ", sd = " + num(d.b) + ", min = " + num(d.lower) + ", max = " + num(d.upper);
            break;
        case Family::Dirichlet:  // declared only; a scenario cannot change one, so it is never written
            s += ", concentration = " + num(d.a);
            break;
        case Family::Fixed:
            break;
    }
    if (d.family != Family::TruncatedNormal) {
        if (d.lower > -1e300) s += ", lower = " + num(d.lower);
        if (d.upper < 1e300) s += ", upper = " + num(d.upper);
    }
    s += ", applies = \"" + std::string(applies_name(d.applies)) + "\"";
    if (d.element >= 0) s += ", element = " + toml_quoted(spec.labels[static_cast<std::size_t>(d.element)]);
    return s + ", why = " + toml_quoted(d.why) + " }";
}

}  // namespace

std::string Scenario::resolved_toml() const {
    std::ostringstream out;
    out << "# Resolved scenario: every parameter after `extends` and --set overrides were applied.\n";
    out << "# Files of the extends chain, child first:\n";
    for (const auto& path : chain) out << "#   " << comment_text(path.string()) << '\n';
    if (!overrides.empty()) {
        out << "# --set overrides, in order:\n";
        for (const auto& text : overrides) out << "#   " << comment_text(text) << '\n';
    }

    const auto& specs = params.registry().specs();
    // Keys without a section must precede the first table header.
    for (std::size_t i = 0; i < specs.size(); ++i)
        if (section_of(specs[i].key).empty() && !specs[i].is_table()) write_value_line(out, specs[i], params.values(i));

    out << "\n[scenario]\n";
    out << "name = " << toml_quoted(name) << '\n';
    out << "description = " << toml_quoted(description) << '\n';
    out << "areas = " << toml_quoted(areas_file.string()) << '\n';
    out << "providers = " << toml_quoted(providers_file.string()) << '\n';
    if (!travel_minutes_file.empty()) out << "travel_minutes = " << toml_quoted(travel_minutes_file.string()) << '\n';

    // Each section is written once (TOML forbids defining a table twice), in order of first
    // declaration; 2-D tables get their own [section.key] table of row = [values].
    std::vector<std::string> sections;
    for (const auto& spec : specs) {
        const std::string section = section_of(spec.key);
        if (!section.empty() && std::find(sections.begin(), sections.end(), section) == sections.end())
            sections.push_back(section);
    }
    for (const auto& section : sections) {
        bool header_written = false;
        for (std::size_t i = 0; i < specs.size(); ++i) {
            if (specs[i].is_table() || section_of(specs[i].key) != section) continue;
            if (!header_written) out << "\n[" << toml_dotted_key(section) << "]\n";
            header_written = true;
            write_value_line(out, specs[i], params.values(i));
        }
        for (std::size_t i = 0; i < specs.size(); ++i) {
            const ParamSpec& spec = specs[i];
            if (!spec.is_table() || section_of(spec.key) != section) continue;
            out << "\n[" << toml_dotted_key(spec.key) << "]  # columns: " << comment_text(joined(spec.labels)) << '\n';
            for (std::size_t r = 0; r < spec.row_labels.size(); ++r)
                out << toml_key(spec.row_labels[r]) << " = " << array_text(params.row(spec.key, r), spec.kind) << '\n';
        }
    }
    // A 2-D table without a section (unusual) is a top-level table of its own.
    for (std::size_t i = 0; i < specs.size(); ++i) {
        const ParamSpec& spec = specs[i];
        if (!spec.is_table() || !section_of(spec.key).empty()) continue;
        out << "\n[" << toml_key(spec.key) << "]\n";
        for (std::size_t r = 0; r < spec.row_labels.size(); ++r)
            out << toml_key(spec.row_labels[r]) << " = " << array_text(params.row(spec.key, r), spec.kind) << '\n';
    }

    // Distributions that differ from the declared ones (a scenario's [uncertainty] table), so that
    // the resolved scenario draws the same parameter sets.
    bool uncertainty_header = false;
    for (std::size_t i = 0; i < specs.size() && i < uncertainty.size(); ++i) {
        const Distribution& d = uncertainty[i];
        if (d == specs[i].uncertainty ||
            std::find(fixed_by_value.begin(), fixed_by_value.end(), specs[i].key) != fixed_by_value.end())
            continue;
        if (!uncertainty_header) out << "\n[uncertainty]\n";
        uncertainty_header = true;
        out << toml_quoted(specs[i].key) << " = " << uncertainty_toml(d, specs[i]) << '\n';
    }

    for (const auto& change : funding_changes) {
        out << "\n[[funding_change]]\n";
        out << "year = " << toml_value(change.year, ParamKind::Real) << '\n';
        if (!change.selects()) out << "target = " << toml_quoted(change.target) << '\n';
        if (!change.icb.empty()) out << "icb = " << toml_quoted(change.icb) << '\n';
        if (!change.provider_type.empty()) out << "provider_type = " << toml_quoted(change.provider_type) << '\n';
        out << "income = " << toml_quoted(change.income) << '\n';
        if (change.out_of_hours)
            out << "out_of_hours = true\n";
        else if (change.wte != 0)
            out << "wte = " << toml_value(change.wte, ParamKind::Real) << '\n';
        else if (change.amount_gbp != 0)
            out << "amount_gbp = " << toml_value(change.amount_gbp, ParamKind::Real) << '\n';
        else
            out << "multiplier = " << toml_value(change.multiplier, ParamKind::Real) << '\n';
    }
    for (const auto& block : local_networks) {
        out << "\n[[local_network]]\n";
        if (!block.icb.empty()) out << "icb = " << toml_quoted(block.icb) << '\n';
        if (!block.codes.empty()) {
            std::vector<std::string> quoted;
            for (const auto& code : block.codes) quoted.push_back(toml_quoted(code));
            out << "areas = [" << joined(quoted) << "]\n";
        }
        for (const auto& [index, value] : block.values) {
            const ParamSpec& spec = specs[static_cast<std::size_t>(index)];
            out << toml_key(spec.key.substr(spec.key.find('.') + 1)) << " = " << toml_value(value, spec.kind) << '\n';
        }
    }
    return out.str();
}

}  // namespace cpcsim
