// Costs per integrated care board (ICB): who pays what where, from one run's counters
// (docs/hdf5-schema.md, runs/icb_costs; docs/model.md, "Costs per ICB").
#pragma once

#include "metrics/outcomes.hpp"
#include "model/model_params.hpp"
#include "scenario/scenario.hpp"

#include <string>
#include <vector>

namespace cpcsim {

#define CPCSIM_ICB_COST_VARS(X)                                                                              \
    X(provider_statutory,                                                                                    \
      "providers' statutory expenditure, each budget split by the share of its care given "                  \
      "(at marginal unit costs) to children of the ICB's areas (GBP)")                                       \
    X(provider_charitable, "providers' charitable expenditure, split the same way (GBP)")                    \
    X(hospital, "unplanned hospital activity (ward and PICU bed-days) of the ICB's children (GBP)")          \
    X(network, "network costs over the areas each source of levers and each rota covers, by children (GBP)") \
    X(total, "provider_statutory + provider_charitable + hospital + network (GBP)")                          \
    X(care_given_marginal, "care given to the ICB's children valued at marginal unit costs (GBP; not in total)")

#define CPCSIM_ENUM_ITEM(name, help) name,
enum class IcbCostVar : int { CPCSIM_ICB_COST_VARS(CPCSIM_ENUM_ITEM) count };
#undef CPCSIM_ENUM_ITEM
inline constexpr int kIcbCostVars = static_cast<int>(IcbCostVar::count);
extern const std::array<VarInfo, kIcbCostVars> kIcbCostVarInfo;

/// The ICBs of a scenario's areas (the `icb` column), in order of first appearance; an area with
/// a blank ICB belongs to one named "(no ICB)".
[[nodiscard]] std::vector<std::string> icb_names(const Scenario& scenario);
/// For each area, its index in icb_names().
[[nodiscard]] std::vector<std::size_t> icb_of_areas(const Scenario& scenario);

/// [year][icb][IcbCostVar] for one run. Over the ICBs each column sums to the region's total of the
/// year (to rounding): a provider that gave no care in a year splits its budget by the children
/// (0-19) of the ICB areas in its catchment, or of its own area if it has none.
[[nodiscard]] std::vector<double> icb_costs(const Scenario& scenario, const ModelParams& params, const RunOutputs& run);

}  // namespace cpcsim
