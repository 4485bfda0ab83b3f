#include "metrics/outcomes.hpp"

namespace cpcsim {

#define CPCSIM_INFO_ITEM(name, help) VarInfo{#name, help},
const std::array<VarInfo, kMonthlyVars> kMonthlyVarInfo = {CPCSIM_MONTHLY_VARS(CPCSIM_INFO_ITEM)};
const std::array<VarInfo, kAnnualVars> kAnnualVarInfo = {CPCSIM_ANNUAL_VARS(CPCSIM_INFO_ITEM)};
const std::array<VarInfo, kProviderVars> kProviderVarInfo = {CPCSIM_PROVIDER_VARS(CPCSIM_INFO_ITEM)};
#undef CPCSIM_INFO_ITEM

void RunOutputs::resize(int years_, int areas_, int providers_) {
    years = years_;
    months = years_ * 12;
    areas = areas_;
    providers = providers_;
    cells = static_cast<std::size_t>(areas_) * kCellsPerArea;
    const auto y = static_cast<std::size_t>(years_);
    monthly.assign(static_cast<std::size_t>(months) * cells * kMonthlyVars, 0);
    annual.assign(y * cells * kAnnualVars, 0);
    children_by_age.assign(y * kAgeBands, 0);
    deaths_by_age.assign(y * kAgeBands, 0);
    children_by_diagnosis.assign(y * kDiagnoses, 0);
    children_by_category.assign(y * kCategories, 0);
    provider.assign(y * static_cast<std::size_t>(providers_) * kProviderVars, 0.0);
    area_cover_days.assign(y * static_cast<std::size_t>(areas_), 0);
    network_cost.assign(y, 0.0);
}

std::int64_t RunOutputs::annual_total(int year, AnnualVar v) const {
    std::int64_t s = 0;
    for (std::size_t c = 0; c < cells; ++c)
        s += annual[(static_cast<std::size_t>(year) * cells + c) * kAnnualVars + static_cast<int>(v)];
    return s;
}

std::int64_t RunOutputs::monthly_total(int month_from, int month_to, MonthlyVar v) const {
    std::int64_t s = 0;
    for (int mo = month_from; mo < month_to; ++mo)
        for (std::size_t c = 0; c < cells; ++c)
            s += monthly[(static_cast<std::size_t>(mo) * cells + c) * kMonthlyVars + static_cast<int>(v)];
    return s;
}

}  // namespace cpcsim
