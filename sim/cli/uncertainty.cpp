// --uncertainty: parameter draws per replicate (probabilistic sensitivity analysis) for run,
// compare and sweep, and the printed analysis of a comparison with draws.
#include "cli/output.hpp"

#include "core/error.hpp"
#include "io/ensemble_file.hpp"
#include "metrics/summary.hpp"
#include "model/parameter_table.hpp"

#include <algorithm>
#include <cmath>
#include <iomanip>
#include <numeric>
#include <sstream>

namespace cpcsim::cli {

void add_uncertainty_options(po::options_description& options) {
    options.add_options()("uncertainty", po::value<std::string>()->default_value("none"),
                          "parameter uncertainty: 'prior' draws every uncertain parameter from its declared "
                          "distribution (docs/parameters.md), one draw per --replicates-per-draw replicates; "
                          "ENSEMBLE.h5: draw k uses set k mod N of a calibrated ensemble (cpcsim calibrate, "
                          "docs/calibration.md), the other parameters keep the scenario's values; "
                          "'none' uses the scenario's values")(
        "ensemble", po::value<std::string>(),
        "with --uncertainty prior: the calibrated inputs from this ensemble (set k mod N for draw k), every "
        "other uncertain parameter from its prior")("uncertainty-seed", po::value<std::string>(),
                                                    "seed of the parameter draws (default: --seed)")(
        "replicates-per-draw", po::value<std::string>()->default_value("2"),
        "consecutive replicates that share a parameter draw (2 or more separates simulation noise from "
        "parameter uncertainty)");
}

UncertaintySettings uncertainty_settings(const po::variables_map& vm, std::uint64_t seed) {
    UncertaintySettings u;
    const std::string mode = vm.count("uncertainty") ? vm["uncertainty"].as<std::string>() : "none";
    if (mode != "none" && mode != "prior") {
        if (!mode.ends_with(".h5"))
            throw UsageError("--uncertainty must be 'prior', 'none' or a calibrated ensemble file (.h5), got '" + mode +
                             "'");
        u.ensemble = io::read_ensemble(mode, model_parameters());
    }
    if (vm.count("ensemble")) {
        if (mode != "prior")
            throw UsageError(
                "--ensemble goes with --uncertainty prior (the calibrated inputs from the ensemble, the "
                "rest from their priors); got --uncertainty " +
                mode);
        u.ensemble = io::read_ensemble(vm["ensemble"].as<std::string>(), model_parameters());
        u.with_priors = true;
    }
    u.on = mode != "none";
    u.seed = vm.count("uncertainty-seed") ? seed_option(vm, "uncertainty-seed") : seed;
    u.per_draw =
        vm.count("replicates-per-draw") ? static_cast<int>(whole_number_option(vm, "replicates-per-draw", 1, 1000)) : 2;
    return u;
}

namespace {

std::string num(double v) {
    if (std::isnan(v)) return "n/a";
    std::ostringstream os;
    const double a = std::fabs(v);
    os << std::setprecision(a >= 1000 ? 0 : a >= 10 ? 1 : 3) << std::fixed << v;
    return os.str();
}

std::string percent(double p) {
    if (std::isnan(p)) return "n/a";
    return std::to_string(static_cast<int>(std::lround(p * 100))) + "%";
}

/// Whether a larger value of a headline is better (+1), worse (-1).
int better_direction(const std::string& name) {
    static const std::vector<std::string> higher = {"children_reached_per_year", "preferred_place_deaths_per_year",
                                                    "access_rate", "preferred_place_rate"};
    return std::find(higher.begin(), higher.end(), name) != higher.end() ? 1 : -1;
}

}  // namespace

void print_comparison_uncertainty(std::ostream& os, const ComparisonUncertainty& u,
                                  const std::vector<std::string>& draw_columns, int per_draw) {
    os << "\nWith parameter uncertainty (each pair of arms shares a parameter draw; " << per_draw
       << " replicate(s) per draw): B - A, mean [2.5%, 97.5% over draws]\n\n";
    std::vector<std::vector<std::string>> rows = {
        {"headline difference", "B - A", "noise share of variance", "P(B better)", "main drivers (rank correlation)"}};
    const auto& heads = headline_differences();
    for (std::size_t h = 0; h < heads.size(); ++h) {
        const auto& d = u.headline[h];
        const double better = better_direction(heads[h]) > 0 ? d.prob_positive : 1.0 - d.prob_positive;
        // Drivers: the largest |coefficient| whose interval excludes 0 and which is above what the
        // largest of so many coefficients reaches by chance, at most three.
        const auto& s = u.sensitivity[h];
        std::vector<std::size_t> order(draw_columns.size());
        std::iota(order.begin(), order.end(), 0);
        std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
            const double ca = std::isnan(s.coefficient[a]) ? 0 : std::fabs(s.coefficient[a]);
            const double cb = std::isnan(s.coefficient[b]) ? 0 : std::fabs(s.coefficient[b]);
            return ca > cb;
        });
        std::string drivers;
        int shown = 0;
        for (std::size_t j : order) {
            if (shown == 3 || std::isnan(s.coefficient[j])) break;
            if (s.low[j] <= 0 && s.high[j] >= 0) continue;
            if (!(std::fabs(s.coefficient[j]) > s.chance)) break;  // the rest are smaller still
            drivers += (shown ? "; " : "") + draw_columns[j] + " " + num(s.coefficient[j]);
            ++shown;
        }
        if (drivers.empty()) drivers = "none clear (" + s.method + ", chance level " + num(s.chance) + ")";
        rows.push_back({heads[h], num(d.mean) + " [" + num(d.low) + ", " + num(d.high) + "]", percent(d.noise_share),
                        percent(better), drivers});
    }
    print_columns(os, rows);
    os << "\n  cost-effectiveness (total cost per year against effect per year; CE plane shares of draws)\n";
    std::vector<std::vector<std::string>> ce_rows = {{"effect", "ICER (GBP per extra)", "more effect, less cost",
                                                      "more effect, more cost", "less effect, less cost",
                                                      "less effect, more cost"}};
    for (const auto& [name, ce] : {std::pair{"children reached", &u.per_child_reached},
                                   std::pair{"deaths at the preferred place", &u.per_preferred_death}})
        ce_rows.push_back({name, num(ce->icer), percent(ce->dominant), percent(ce->more_effect_more_cost),
                           percent(ce->less_effect_less_cost), percent(ce->dominated)});
    print_columns(os, ce_rows);
}

}  // namespace cpcsim::cli
