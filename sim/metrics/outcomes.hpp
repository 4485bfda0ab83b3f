// What one replicate records: monthly and yearly counters by cell (area x IMD quintile x ethnic
// group x rural/urban), small demographic tables, provider and area tables. Names and order are
// declared once here; the HDF5 writer and the docs take them from these lists.
#pragma once

#include "metrics/monthly_table.hpp"
#include "scenario/scenario.hpp"

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace cpcsim {

inline constexpr int kCellsPerArea = kQuintiles * kEthnicGroups * kRural;

/// Index of a cell: area x quintile x ethnic group x rural.
[[nodiscard]] inline std::size_t cell_index(int area, int quintile, int ethnic, int rural) noexcept {
    return static_cast<std::size_t>(((area * kQuintiles + quintile) * kEthnicGroups + ethnic) * kRural + rural);
}

#define CPCSIM_MONTHLY_VARS(X)                                                                      \
    X(prevalent, "children with an LLC alive at the end of the month")                              \
    X(entries, "children entering (new LLC)")                                                       \
    X(deaths, "deaths")                                                                             \
    X(exits_age, "exits at the upper age (transition to adult services)")                           \
    X(exits_cure, "exits by cure or long-term remission (category 1)")                              \
    X(identified, "children newly identified as needing palliative care")                           \
    X(referrals, "referrals made")                                                                  \
    X(referrals_lost, "referrals lost")                                                             \
    X(referrals_refused, "referrals refused by the provider's acceptance criteria")                 \
    X(referrals_accepted, "referrals accepted")                                                     \
    X(referrals_waitlisted, "referrals put on a waiting list (caseload at its limit)")              \
    X(referrals_lapsed_waiting, "waiting referrals refused after the longest wait")                 \
    X(referral_delay_days, "sum of delays of referrals sent and not lost (days)")                   \
    X(respite_nights_needed, "short-break nights requested and resolved (received or unmet)")       \
    X(respite_nights_received, "short-break nights received")                                       \
    X(symptom_nights_needed, "symptom-management nights requested and resolved")                    \
    X(symptom_nights_received, "hospice symptom-management nights received")                        \
    X(eol_hospice_nights_needed, "end-of-life hospice nights wanted")                               \
    X(eol_hospice_nights_received, "end-of-life hospice nights received")                           \
    X(ccn_visits_needed, "community nursing visits due and resolved (given or missed)")             \
    X(ccn_visits_received, "community nursing visits received")                                     \
    X(sppc_contacts_needed, "SPPC contacts due and resolved (given or missed)")                     \
    X(sppc_contacts_received, "SPPC contacts received")                                             \
    X(hospice_home_visits_needed, "hospice-at-home visits due and resolved (given or missed)")      \
    X(hospice_home_visits_received, "hospice-at-home visits received")                              \
    X(unmet_days_ccn, "child-days with a community nursing visit due and not given")                \
    X(unmet_days_sppc, "child-days with an SPPC contact due and not given")                         \
    X(unmet_days_hospice_home, "child-days with a hospice-at-home visit due and not given")         \
    X(unmet_nights_respite, "short-break nights requested and not given")                           \
    X(unmet_nights_symptom, "symptom-management nights requested and not given")                    \
    X(unmet_days_eol, "dying child-days wanting a hospice bed and not in one")                      \
    X(ccn_visits_missed, "community nursing visits due and not given in their interval")            \
    X(sppc_contacts_missed, "SPPC contacts due and not given within their interval")                \
    X(hospice_home_visits_missed, "hospice-at-home visits due and not given in their interval")     \
    X(first_assessment_wait_days, "sum of waits from accepted referral to first SPPC contact")      \
    X(first_assessments, "first SPPC contacts after an accepted referral")                          \
    X(pooled_services, "contacts, visits or nights given by a provider outside the home catchment") \
    X(travel_minutes, "sum of travel minutes of contacts and visits given")                         \
    X(unplanned_admissions, "unplanned (emergency) admissions")                                     \
    X(bed_days, "hospital bed-days of unplanned admissions (ward and PICU)")                        \
    X(picu_days, "PICU bed-days of unplanned admissions")                                           \
    X(acp_completed, "advance care plans completed")

#define CPCSIM_ANNUAL_VARS(X)                                                                                        \
    X(children, "children with an LLC alive at any time in the year (period prevalence)")                            \
    X(reached, "children with any specialist palliative care (hospice or SPPC) contact in the year")                 \
    X(known, "children known to palliative care (identified) at any time in the year")                               \
    X(on_hospice_caseload, "children on a hospice caseload at any time in the year")                                 \
    X(on_sppc_caseload, "children on an SPPC caseload at any time in the year")                                      \
    X(on_ccn_caseload, "children on a CCN caseload at any time in the year")                                         \
    X(max_phase_stable, "children whose most severe phase in the year was stable")                                   \
    X(max_phase_unstable, "... unstable")                                                                            \
    X(max_phase_deteriorating, "... deteriorating")                                                                  \
    X(max_phase_dying, "... dying")                                                                                  \
    X(deaths, "deaths")                                                                                              \
    X(deaths_home, "deaths at home")                                                                                 \
    X(deaths_hospice, "deaths in a hospice")                                                                         \
    X(deaths_hospital, "deaths in hospital")                                                                         \
    X(deaths_preferred_place, "deaths at the family's preferred place")                                              \
    X(deaths_with_acp, "deaths with an advance care plan in place")                                                  \
    X(deaths_with_24_7, "deaths in an area with 24/7 end-of-life cover at home that day")                            \
    X(with_care_due,                                                                                                 \
      "children with visits, contacts or hospice nights due (and resolved) in the year, or due while waiting for a " \
      "caseload place")                                                                                              \
    X(adequate_care, "children given at least care.adequate_share of the care due in the year")

#define CPCSIM_ENUM_ITEM(name, help) name,
enum class MonthlyVar : int { CPCSIM_MONTHLY_VARS(CPCSIM_ENUM_ITEM) count };
enum class AnnualVar : int { CPCSIM_ANNUAL_VARS(CPCSIM_ENUM_ITEM) count };
#undef CPCSIM_ENUM_ITEM
inline constexpr int kMonthlyVars = static_cast<int>(MonthlyVar::count);
inline constexpr int kAnnualVars = static_cast<int>(AnnualVar::count);

struct VarInfo {
    const char* name;
    const char* help;
};
extern const std::array<VarInfo, kMonthlyVars> kMonthlyVarInfo;
extern const std::array<VarInfo, kAnnualVars> kAnnualVarInfo;

#define CPCSIM_PROVIDER_VARS(X)                                                           \
    X(budget_gbp, "expenditure in the year (GBP)")                                        \
    X(statutory_gbp, "statutory (NHS / local authority) part of the expenditure (GBP)")   \
    X(charitable_gbp, "charitable part of the expenditure (GBP)")                         \
    X(effective_wte, "mean effective staff WTE (after vacancies)")                        \
    X(capacity_per_day, "mean capacity per day (beds, or visits/contacts per day)")       \
    X(home_capacity_per_day, "mean hospice-at-home visit slots per day")                  \
    X(units_given, "bed-nights, visits or contacts given")                                \
    X(pooled_units_given, "units given to children outside the home catchment (pooling)") \
    X(closed_days, "days with beds closed below the staffing threshold")                  \
    X(engagement, "mean network engagement")                                              \
    X(caseload, "children on the caseload in the year (at its end, or when they left)")

#define CPCSIM_ENUM_ITEM(name, help) name,
enum class ProviderVar : int { CPCSIM_PROVIDER_VARS(CPCSIM_ENUM_ITEM) count };
#undef CPCSIM_ENUM_ITEM
inline constexpr int kProviderVars = static_cast<int>(ProviderVar::count);
extern const std::array<VarInfo, kProviderVars> kProviderVarInfo;

/// Which groups of per-run datasets a results file stores (`--store`; docs/hdf5-schema.md).
/// The summary, equity measures and run sizes are always stored. A replicate that does not
/// store its monthly table does not keep it in memory either (RunOutputs::keep_monthly).
struct StoredOutputs {
    bool monthly = true;   ///< runs/monthly
    bool annual = true;    ///< runs/annual and the tables by age, diagnosis and category
    bool provider = true;  ///< runs/provider, runs/area_cover_days, runs/network_cost
    /// The groups stored, comma-separated, as recorded in a file's `stored_outputs` attribute.
    [[nodiscard]] std::string names() const;
    /// Parses "all" (the default), "annual" (annual,provider), "summary" (none of the groups) or
    /// a comma-separated list of monthly, annual, provider; throws Error naming `file` and
    /// `where` (an option or file key) and what is expected otherwise.
    [[nodiscard]] static StoredOutputs parse(const std::string& text, const std::string& file,
                                             const std::string& where);
    bool operator==(const StoredOutputs&) const = default;
};

struct ChildRecords;  // metrics/child_records.hpp

/// Everything one replicate records. Arrays are flat, row-major, with the shapes given.
struct RunOutputs {
    int years = 0, months = 0, areas = 0, providers = 0;
    std::size_t cells = 0;
    /// Whether the monthly table is kept (set before counting starts).
    bool keep_monthly = true;
    /// [month][cell][MonthlyVar], held sparsely (metrics/monthly_table.hpp); empty when
    /// !keep_monthly. Complete after simulate_replicate.
    MonthlyTable monthly;
    /// [month][MonthlyVar]: each monthly counter summed over every cell (kept either way).
    std::vector<std::int64_t> monthly_by_month;
    /// [year][cell][AnnualVar]
    std::vector<std::int32_t> annual;
    /// [year][age band] children alive in the year (by age at first day alive in the year)
    std::vector<std::int32_t> children_by_age;
    /// [year][age band] deaths by age at death
    std::vector<std::int32_t> deaths_by_age;
    /// [year][diagnosis] children alive in the year
    std::vector<std::int32_t> children_by_diagnosis;
    /// [year][category] children alive in the year
    std::vector<std::int32_t> children_by_category;
    /// [year][provider][ProviderVar]
    std::vector<double> provider;
    /// [year][area] days with 24/7 end-of-life cover at home
    std::vector<std::int32_t> area_cover_days;
    /// [year] network cost (GBP)
    std::vector<double> network_cost;
    /// Inputs of the costs per ICB (metrics/icb_costs.hpp), by the child's home area:
    /// [year][provider][area] care given at marginal unit costs (GBP);
    std::vector<double> care_value;
    /// [year][area] bed-days and PICU bed-days of unplanned admissions;
    std::vector<double> area_bed_days, area_picu_days;
    /// [year][area] network cost attributed to the area (GBP; sums to network_cost).
    std::vector<double> area_network_cost;
    /// [year] children entering by... total simulated child-days (for throughput)
    std::int64_t child_days = 0;
    std::uint64_t children_simulated = 0;
    /// Per-child records (--records); null when not asked for.
    std::shared_ptr<const ChildRecords> records;

    void resize(int years_, int areas_, int providers_);
    /// Adds n to counter v of `cell` in report month `month` (months in order).
    void add_monthly(int month, std::size_t cell, MonthlyVar v, std::int32_t n) {
        const auto vi = static_cast<std::size_t>(v);
        monthly_by_month[static_cast<std::size_t>(month) * kMonthlyVars + vi] += n;
        if (keep_monthly) monthly.add(month, cell * kMonthlyVars + vi, n);
    }
    /// Completes the monthly table (kept tables only); simulate_replicate's last step.
    void complete_monthly();
    /// Counter v of `cell` in `month` from the monthly table (0 without it).
    [[nodiscard]] std::int32_t monthly_at(int month, std::size_t cell, MonthlyVar v) const {
        return monthly.at(month, cell * kMonthlyVars + static_cast<std::size_t>(v));
    }
    std::int32_t& a(int year, std::size_t cell, AnnualVar v) {
        return annual[(static_cast<std::size_t>(year) * cells + cell) * kAnnualVars + static_cast<int>(v)];
    }
    double& p(int year, int provider_, ProviderVar v) {
        return provider[(static_cast<std::size_t>(year) * providers + provider_) * kProviderVars + static_cast<int>(v)];
    }
    [[nodiscard]] std::int64_t annual_total(int year, AnnualVar v) const;
    /// Counter v summed over cells and months [month_from, month_to) (with or without the table).
    [[nodiscard]] std::int64_t monthly_total(int month_from, int month_to, MonthlyVar v) const;
};

}  // namespace cpcsim
