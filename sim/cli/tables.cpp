#include "cli/output.hpp"

#include "metrics/summary.hpp"

#include <algorithm>
#include <iomanip>
#include <sstream>

namespace cpcsim::cli {

const std::vector<std::string>& key_measures() {
    static const std::vector<std::string> k = {"children_per_year",
                                               "deaths_per_year",
                                               "access_rate",
                                               "known_rate",
                                               "preferred_place_rate",
                                               "death_home_share",
                                               "death_hospice_share",
                                               "death_hospital_share",
                                               "acp_at_death_rate",
                                               "first_assessment_wait_days",
                                               "respite_nights_unmet_per_year",
                                               "unplanned_admissions_per_year",
                                               "areas_24_7_share",
                                               "cost_total_per_year",
                                               "cost_network_per_year",
                                               "cost_per_child_reached",
                                               "access_sii",
                                               "access_rate_ratio_q5_q1",
                                               "access_gini_areas",
                                               "access_best_worst_ratio",
                                               "access_ratio_south_asian_white",
                                               "access_rural_urban_difference"};
    return k;
}

void print_columns(std::ostream& os, const std::vector<std::vector<std::string>>& rows, const std::string& indent) {
    std::vector<std::size_t> width;
    for (const auto& row : rows)
        for (std::size_t c = 0; c < row.size(); ++c) {
            if (width.size() <= c) width.push_back(0);
            width[c] = std::max(width[c], row[c].size());
        }
    for (const auto& row : rows) {
        std::string line = indent;
        for (std::size_t c = 0; c < row.size(); ++c) {
            line += row[c];
            if (c + 1 < row.size()) line += std::string(width[c] + 2 - row[c].size(), ' ');
        }
        os << line << "\n";
    }
}

void print_summary_table(std::ostream& os, const std::vector<std::vector<double>>& per_run, bool all) {
    const auto& measures = summary_measures();
    const auto& keys = key_measures();
    std::vector<std::vector<std::string>> rows;
    for (std::size_t m = 0; m < measures.size(); ++m) {
        if (!all && std::find(keys.begin(), keys.end(), measures[m].name) == keys.end()) continue;
        std::vector<double> v;
        for (const auto& r : per_run) v.push_back(r[m]);
        const auto ci = mean_interval(v);
        rows.push_back({measures[m].name, format_interval(ci.mean, ci.low, ci.high), measures[m].unit});
    }
    print_columns(os, rows);
}

namespace {
std::string value_text(const ParamSpec& s, std::size_t begin, std::size_t count) {
    std::ostringstream os;
    if (count > 1) os << "[";
    for (std::size_t i = 0; i < count; ++i) {
        const double v = s.defaults[begin + i];
        if (i) os << ", ";
        if (s.kind == ParamKind::Boolean)
            os << (v != 0 ? "true" : "false");
        else
            os << v;
    }
    if (count > 1) os << "]";
    return os.str();
}
std::string default_text(const ParamSpec& s) {
    if (s.is_scalar()) return value_text(s, 0, 1);
    std::string labels;
    for (std::size_t i = 0; i < s.labels.size(); ++i) labels += (i ? ", " : "") + s.labels[i];
    if (!s.is_table()) return value_text(s, 0, s.labels.size()) + " for " + labels;
    std::string out;
    for (std::size_t r = 0; r < s.row_labels.size(); ++r)
        out += (r ? "; " : "") + s.row_labels[r] + " = " + value_text(s, r * s.labels.size(), s.labels.size());
    return out + " (columns " + labels + ")";
}
}  // namespace

namespace {
/// The declared distribution and its basis, e.g. "Beta(mean 0.15, sd 0.06): no source".
std::string uncertainty_text(const ParamSpec& s) {
    const Distribution& d = s.uncertainty;
    if (d.why.empty()) return "not declared";
    std::string text = d.fixed() ? "fixed" : d.describe();
    if (d.element >= 0 && static_cast<std::size_t>(d.element) < s.labels.size())
        text += " (" + s.labels[static_cast<std::size_t>(d.element)] + " only)";
    return text + ": " + d.why;
}
}  // namespace

void print_parameter_table(std::ostream& os, const ParamRegistry& registry, bool markdown) {
    if (markdown) {
        os << "| key | default | unit | range | tag | meaning | source | uncertainty (`--uncertainty prior`) |\n"
              "|---|---|---|---|---|---|---|---|\n";
        for (const auto& s : registry.specs()) {
            std::ostringstream range;
            if (s.kind == ParamKind::Boolean)
                range << "true/false";
            else
                range << s.min << " to " << s.max;
            os << "| `" << s.key << "` | " << default_text(s) << " | " << s.unit << " | " << range.str() << " | "
               << evidence_tag(s.evidence) << " | " << s.help << " | " << s.source << " | " << uncertainty_text(s)
               << " |\n";
        }
        return;
    }
    for (const auto& s : registry.specs())
        os << s.key << " = " << default_text(s) << "  [" << evidence_tag(s.evidence) << "] " << s.unit << "\n    "
           << s.help << "\n";
}

}  // namespace cpcsim::cli
