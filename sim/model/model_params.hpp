// Small, typed parameter structs per submodel, built once from a validated ParamSet so that the
// hot path never looks parameters up by name.
#pragma once

#include "scenario/params.hpp"
#include "scenario/scenario.hpp"

#include <array>
#include <string_view>

namespace cpcsim {

template <int N>
using Arr = std::array<double, N>;

struct RunParams {
    int years, warmup_years, start_year, max_age_years;
};
struct PopulationParams {
    Arr<kAgeBands> entry_rate_per_10000;
    double prevalence_multiplier, trend_per_year, infant_entry_at_birth_prob, male_rate_ratio;
    Arr<kEthnicGroups> ethnicity_rate_ratio;
    Arr<kQuintiles> deprivation_rate_ratio;
    std::array<Arr<kDiagnoses>, dims::entry_age.size()> diagnosis_shares;
    std::array<Arr<kCategories>, kDiagnoses> category_by_diagnosis;
    Arr<kAgeBands> cure_rate_per_year;
};
struct PhaseParams {
    double stable_to_unstable_per_year;
    Arr<kAgeBands> instability_age_ratio;
    Arr<kEthnicGroups> instability_ethnicity_ratio;
    double instability_girl_ratio;
    Arr<kDiagnoses> instability_diagnosis_ratio;
    Arr<kCategories> instability_category_ratio;
    double unstable_mean_days;
    Arr<kCategories> unstable_to_deteriorating;
    double unstable_to_deteriorating_max;
    Arr<kCategories> stable_to_deteriorating_per_year;
    Arr<kAgeBands> deterioration_age_ratio;
    double deteriorating_mean_days;
    Arr<kAgeBands> deteriorating_to_dying;
    double dying_days;
    Arr<kPhases> at_birth_entry_phase;
    double care_survival_effect;
};
struct IdentificationParams {
    Arr<kPhases> rate_per_year;
    Arr<kQuintiles> deprivation_ratio;
    Arr<kEthnicGroups> ethnicity_ratio;
    double distance_halving_minutes, at_admission_prob;
};
struct ReferralParams {
    double loss_prob, delay_mean_days, min_delay_days;
    Arr<kCategories> standard_acceptance;
    std::array<Arr<kServices>, kPhases> need_by_phase;  // [phase][service]
    Arr<kServices> caseload_per_unit;
    double waitlist_recheck_days, waitlist_max_days, sppc_discharge_stable_days;
};
struct CareParams {
    double respite_nights_per_year, respite_stay_nights, respite_max_wait_days;
    double symptom_stay_prob, symptom_stay_nights, symptom_max_wait_days, respite_interval_spread;
    Arr<kPhases> ccn_interval, sppc_interval, hospice_home_interval;
    double visit_max_wait_days, hospice_choice_tau_minutes;
    double hospice_one_to_one_units;  // staffed short-break beds a one-to-one child takes
    double acp_prob_per_contact, acp_prob_stable_contact;
    double adequate_share;  // share of the care due that counts as adequate in a year
};
struct AdmissionParams {
    Arr<kPhases> rate_per_year;
    double unmet_need_window_days, rr_community, rr_specialist, rr_specialist_24_7, picu_rr_specialist;
    Arr<kPhases> mean_stay_days, picu_prob;
};
struct EndOfLifeParams {
    Arr<kPlaces> preference, cancer_ratio, neonate_ratio, q5_ratio, minority_ratio;
    Arr<kCategories> recognition_prob;
    double late_recognition_prob, late_recognition_days, neonatal_recognition_prob, picu_withdrawal_prob;
    double unidentified_hospital_prob, served_no_acp_hospital_prob, neonatal_days, neonatal_hospital_prob;
    Arr<2> achievement_prob;  // with, without 24/7 cover
    Arr<kQuintiles> achievement_quintile_ratio;
    Arr<kEthnicGroups> achievement_ethnicity_ratio;
    double inpatient_sppc_consult_prob, inpatient_acp_prob, picu_transfer_prob;
    double ooh_acp_visible_prob, rapid_transfer_prob;
};
struct NetworkParams {
    double coordinator_wte, leadership, early_wins, initial_engagement, rise_per_year, decay_per_year, churn_per_year;
    double coordinator_drive, coordinator_saturation_wte, leaderless_stress, coordinator_identification_gain,
        coordinator_delay_reduction;
    double coordinator_loss_reduction, coordinator_equity_gain;
    double training, training_identification_gain, training_acp_gain;
    bool common_standards;
    double standards_acp_gain;
    bool shared_records;
    double records_delay_reduction, records_capacity_gain;
    bool pooled_capacity;
    double pooling_max_travel_minutes;
    bool rota_24_7;
    double rota_consultant_share, rota_wte_per_person, rota_min_consultants, rota_min_nurses, rota_adult_consultants;
    bool rota_joint_nursing;
    double rota_daytime_loss_wte;
    double coordinator_cost, running_cost, training_cost, records_cost, rota_consultant_cost, rota_nurse_cost;
    Arr<kProviderTypes> rise_ratio;
    double engagement_spread;
    /// True when any mechanism is switched on (the network exists and costs money).
    [[nodiscard]] bool any() const noexcept {
        return coordinator_wte > 0 || leadership > 0 || training > 0 || common_standards || shared_records ||
               pooled_capacity || rota_24_7;
    }
    /// Annual cost of the network at the given settings, without the rota (paid per person on it).
    [[nodiscard]] double annual_cost() const noexcept;
    /// Sets the lever with parameter key `key` ("network.rota_24_7", ...: the keys declared local
    /// in the parameter table, which a [[local_network]] block may set) to `value`; false when
    /// `key` is not such a lever.
    bool set_lever(std::string_view key, double value) noexcept;
    /// This with every lever of `other` that is stronger: the larger number, or a switch on in either.
    [[nodiscard]] NetworkParams strongest(const NetworkParams& other) const noexcept;
    /// This with every lever off (the other parameters kept).
    [[nodiscard]] NetworkParams levers_off() const noexcept;
};
struct FundingParams {
    double statutory_multiplier, charitable_multiplier, charitable_volatility;
    Arr<kProviderTypes> statutory_by_type;
    Arr<kProviderTypes> vacancy_rate;
    double vacancy_monthly_sd, vacancy_max, closure_threshold, bed_headroom;
    Arr<kProviderTypes> post_cost;          // GBP per WTE-year of a new post
    Arr<kProviderTypes> out_of_hours_cost;  // GBP per provider-year of out-of-hours cover added by a scenario
};
/// Staff time to contacts (model/staff_time.hpp), per team type: [0] SPPC, [1] CCN.
inline constexpr int kStaffedTeams = 2;
struct StaffParams {
    Arr<kStaffedTeams> working_days, patient_time_share, contact_minutes, home_visit_share;
    double hours_per_day;
    Arr<2> local_travel_minutes;  // [0] urban, [1] rural
};
struct CostParams {
    double hospital_bed_day, picu_bed_day, hospice_bed_night;
    double hospice_night_marginal, hospice_home_visit, ccn_visit, sppc_contact;
};

/// Every submodel's parameters.
struct ModelParams {
    RunParams run;
    PopulationParams population;
    PhaseParams phase;
    IdentificationParams identification;
    ReferralParams referral;
    CareParams care;
    StaffParams staff;
    AdmissionParams admission;
    EndOfLifeParams eol;
    NetworkParams network;
    FundingParams funding;
    CostParams cost;

    static ModelParams from(const ParamSet& p);
};

}  // namespace cpcsim
