#include "io/compare_file.hpp"

#include "core/error.hpp"
#include "io/run_output.hpp"
#include "metrics/summary.hpp"

namespace cpcsim::io {

namespace {

void write_arm(File& file, const std::string& arm, const CompareArm& a, const Provenance* root) {
    auto group = file.require_group("arms/" + arm);
    const std::string scenario_group = "/arms/" + arm + "/scenario";
    if (root != nullptr) {
        write_provenance(file, *root, scenario_group);
        // The root names the comparison; each arm's scenario group names its own scenario.
        file.open_group(scenario_group).set_string_attr("scenario_name", a.scenario.name);
    } else {
        write_scenario_inputs(file, scenario_group, a.provenance);
    }
    write_labels(group, a.scenario);
    std::vector<std::int64_t> ids;
    for (std::size_t i = 0; i < a.runs.size(); ++i) ids.push_back(static_cast<std::int64_t>(i));
    write_runs(group, a.runs, a.measures, ids, "replicate", stored_outputs_of(a.provenance));
}

}  // namespace

const std::vector<std::string>& comparison_statistics() {
    static const std::vector<std::string> names = {"a_mean",    "a_low",        "a_high",        "b_mean",
                                                   "b_low",     "b_high",       "diff_mean",     "diff_low",
                                                   "diff_high", "unpaired_low", "unpaired_high", "narrowing"};
    return names;
}

void write_compare_file(const std::filesystem::path& path, const CompareArm& a, const CompareArm& b,
                        const std::vector<PairedComparison>& summary) {
    const auto& measures = summary_measures();
    if (summary.size() != measures.size())
        throw Error(path.string(), "/comparison/summary",
                    "internal error: " + std::to_string(summary.size()) + " comparisons for " +
                        std::to_string(measures.size()) + " summary measures");
    auto file = File::create(path);
    Provenance root = a.provenance;
    root.scenario_name = a.scenario.name + " vs " + b.scenario.name;
    write_arm(file, "A", a, &root);
    write_arm(file, "B", b, nullptr);
    std::vector<double> table;
    for (const auto& c : summary)
        for (const double x : {c.a.mean, c.a.low, c.a.high, c.b.mean, c.b.low, c.b.high, c.difference.mean,
                               c.difference.low, c.difference.high, c.unpaired_low, c.unpaired_high, c.narrowing})
            table.push_back(x);
    file.write_dataset("comparison/summary", table, {measures.size(), comparison_statistics().size()},
                       {.dims = {"summary_measure", "statistic"},
                        .description = "per measure: A mean, low, high; B mean, low, high; B-A paired mean, "
                                       "low, high; unpaired low, high; narrowing = 1 - paired / unpaired half-width"});
    file.write_strings("comparison/statistics", comparison_statistics());
    std::vector<std::string> names;
    for (const auto& m : measures) names.push_back(m.name);
    file.write_strings("comparison/summary_measures", names);
    file.close();
}

}  // namespace cpcsim::io
