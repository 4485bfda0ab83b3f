#include "metrics/outcomes.hpp"

#include "core/error.hpp"

#include <algorithm>

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
    monthly = MonthlyTable(months, cells * kMonthlyVars);
    monthly_by_month.assign(static_cast<std::size_t>(months) * kMonthlyVars, 0);
    annual.assign(y * cells * kAnnualVars, 0);
    children_by_age.assign(y * kAgeBands, 0);
    deaths_by_age.assign(y * kAgeBands, 0);
    children_by_diagnosis.assign(y * kDiagnoses, 0);
    children_by_category.assign(y * kCategories, 0);
    provider.assign(y * static_cast<std::size_t>(providers_) * kProviderVars, 0.0);
    area_cover_days.assign(y * static_cast<std::size_t>(areas_), 0);
    network_cost.assign(y, 0.0);
    care_value.assign(y * static_cast<std::size_t>(providers_) * static_cast<std::size_t>(areas_), 0.0);
    area_bed_days.assign(y * static_cast<std::size_t>(areas_), 0.0);
    area_picu_days.assign(y * static_cast<std::size_t>(areas_), 0.0);
    area_network_cost.assign(y * static_cast<std::size_t>(areas_), 0.0);
}

std::int64_t RunOutputs::annual_total(int year, AnnualVar v) const {
    std::int64_t s = 0;
    for (std::size_t c = 0; c < cells; ++c)
        s += annual[(static_cast<std::size_t>(year) * cells + c) * kAnnualVars + static_cast<int>(v)];
    return s;
}

void RunOutputs::complete_monthly() {
    if (keep_monthly) monthly.finish();
}

std::int64_t RunOutputs::monthly_total(int month_from, int month_to, MonthlyVar v) const {
    std::int64_t s = 0;
    month_to = std::min(month_to, months);
    for (int mo = std::max(month_from, 0); mo < month_to; ++mo)
        s += monthly_by_month[static_cast<std::size_t>(mo) * kMonthlyVars + static_cast<std::size_t>(v)];
    return s;
}

std::string StoredOutputs::names() const {
    std::string s;
    for (const auto& [on, name] : {std::pair{monthly, "monthly"}, {annual, "annual"}, {provider, "provider"}})
        if (on) s += (s.empty() ? "" : ",") + std::string(name);
    return s;
}

StoredOutputs StoredOutputs::parse(const std::string& text, const std::string& file, const std::string& where) {
    if (text == "all") return {};
    if (text == "annual") return {.monthly = false};
    if (text == "summary") return {.monthly = false, .annual = false, .provider = false};
    StoredOutputs o{.monthly = false, .annual = false, .provider = false};
    std::size_t from = 0;
    while (from <= text.size()) {
        const std::size_t comma = std::min(text.find(',', from), text.size());
        const std::string item = text.substr(from, comma - from);
        if (item == "monthly") {
            o.monthly = true;
        } else if (item == "annual") {
            o.annual = true;
        } else if (item == "provider") {
            o.provider = true;
        } else {
            throw Error(file, where,
                        "'" + text + "' is not a choice of outputs; expected all, annual, summary " +
                            "or a comma-separated list of monthly, annual, provider");
        }
        from = comma + 1;
    }
    return o;
}

}  // namespace cpcsim
