#include "metrics/icb_costs.hpp"

#include <algorithm>

namespace cpcsim {

#define CPCSIM_INFO_ITEM(name, help) VarInfo{#name, help},
const std::array<VarInfo, kIcbCostVars> kIcbCostVarInfo = {CPCSIM_ICB_COST_VARS(CPCSIM_INFO_ITEM)};
#undef CPCSIM_INFO_ITEM

namespace {
std::string icb_label(const Area& a) {
    return a.icb.empty() ? "(no ICB)" : a.icb;
}
}  // namespace

std::vector<std::string> icb_names(const Scenario& scenario) {
    std::vector<std::string> names;
    for (const auto& a : scenario.areas)
        if (std::find(names.begin(), names.end(), icb_label(a)) == names.end()) names.push_back(icb_label(a));
    return names;
}

std::vector<std::size_t> icb_of_areas(const Scenario& scenario) {
    const auto names = icb_names(scenario);
    std::vector<std::size_t> out;
    for (const auto& a : scenario.areas)
        out.push_back(static_cast<std::size_t>(std::find(names.begin(), names.end(), icb_label(a)) - names.begin()));
    return out;
}

std::vector<double> icb_costs(const Scenario& scenario, const ModelParams& params, const RunOutputs& run) {
    const auto icb = icb_of_areas(scenario);
    const std::size_t ni = icb_names(scenario).size(), na = static_cast<std::size_t>(run.areas),
                      np = static_cast<std::size_t>(run.providers), ny = static_cast<std::size_t>(run.years);
    std::vector<double> out(ny * ni * kIcbCostVars, 0.0);
    auto at = [&](std::size_t y, std::size_t i, IcbCostVar v) -> double& {
        return out[(y * ni + i) * kIcbCostVars + static_cast<std::size_t>(v)];
    };
    // Fallback shares of a provider that gave no care: children of the ICB areas it serves.
    std::vector<std::vector<double>> fallback(np, std::vector<double>(ni, 0.0));
    for (std::size_t p = 0; p < np && p < scenario.providers.size(); ++p) {
        const auto& prov = scenario.providers[p];
        for (std::size_t a = 0; a < na; ++a) {
            const auto& area = scenario.areas[a];
            // A provider with no catchment (a hospital) is paid for by the ICB it stands in.
            const bool serves = catchment_holds(prov, area) || (prov.catchment.empty() && area.code == prov.area);
            if (serves) fallback[p][icb[a]] += area.population_0_19;
        }
    }
    std::vector<double> share(ni);
    for (std::size_t y = 0; y < ny; ++y) {
        for (std::size_t p = 0; p < np; ++p) {
            std::fill(share.begin(), share.end(), 0.0);
            double given = 0;
            for (std::size_t a = 0; a < na; ++a) {
                const double v = run.care_value[(y * np + p) * na + a];
                share[icb[a]] += v;
                at(y, icb[a], IcbCostVar::care_given_marginal) += v;
                given += v;
            }
            if (given <= 0) share = fallback[p];
            double sum = 0;
            for (double s : share) sum += s;
            if (sum <= 0) continue;  // no care, no catchment, no area: nothing to attribute (no budget either)
            const auto base = (y * np + p) * kProviderVars;
            const double stat = run.provider[base + static_cast<std::size_t>(ProviderVar::statutory_gbp)];
            const double charity = run.provider[base + static_cast<std::size_t>(ProviderVar::charitable_gbp)];
            for (std::size_t i = 0; i < ni; ++i) {
                at(y, i, IcbCostVar::provider_statutory) += stat * share[i] / sum;
                at(y, i, IcbCostVar::provider_charitable) += charity * share[i] / sum;
            }
        }
        for (std::size_t a = 0; a < na; ++a) {
            const double beds = run.area_bed_days[y * na + a], picu = run.area_picu_days[y * na + a];
            at(y, icb[a], IcbCostVar::hospital) +=
                (beds - picu) * params.cost.hospital_bed_day + picu * params.cost.picu_bed_day;
            at(y, icb[a], IcbCostVar::network) += run.area_network_cost[y * na + a];
        }
        for (std::size_t i = 0; i < ni; ++i)
            at(y, i, IcbCostVar::total) = at(y, i, IcbCostVar::provider_statutory) +
                                          at(y, i, IcbCostVar::provider_charitable) + at(y, i, IcbCostVar::hospital) +
                                          at(y, i, IcbCostVar::network);
    }
    return out;
}

}  // namespace cpcsim
