#include "model/model_params.hpp"

#include <algorithm>

namespace cpcsim {

namespace {
template <int N>
Arr<N> arr(const ParamSet& p, std::string_view key) {
    Arr<N> out{};
    const auto v = p.array(key);
    std::copy_n(v.begin(), std::min<std::size_t>(N, v.size()), out.begin());
    return out;
}
template <int N>
Arr<N> normalised(Arr<N> a) {
    double s = 0;
    for (double x : a) s += x;
    if (s > 0)
        for (double& x : a) x /= s;
    return a;
}
}  // namespace

double NetworkParams::annual_cost() const noexcept {
    if (!any()) return 0.0;
    return coordinator_wte * coordinator_cost + running_cost + training * training_cost +
           (shared_records ? records_cost : 0.0);
}

bool NetworkParams::set_lever(std::string_view key, double value) noexcept {
    const bool on = value != 0.0;
    if (key == "network.coordinator_wte")
        coordinator_wte = value;
    else if (key == "network.leadership")
        leadership = value;
    else if (key == "network.early_wins")
        early_wins = value;
    else if (key == "network.training")
        training = value;
    else if (key == "network.common_standards")
        common_standards = on;
    else if (key == "network.shared_records")
        shared_records = on;
    else if (key == "network.pooled_capacity")
        pooled_capacity = on;
    else if (key == "network.rota_24_7")
        rota_24_7 = on;
    else
        return false;
    return true;
}

NetworkParams NetworkParams::strongest(const NetworkParams& other) const noexcept {
    NetworkParams n = *this;
    n.coordinator_wte = std::max(coordinator_wte, other.coordinator_wte);
    n.leadership = std::max(leadership, other.leadership);
    n.early_wins = std::max(early_wins, other.early_wins);
    n.training = std::max(training, other.training);
    n.common_standards = common_standards || other.common_standards;
    n.shared_records = shared_records || other.shared_records;
    n.pooled_capacity = pooled_capacity || other.pooled_capacity;
    n.rota_24_7 = rota_24_7 || other.rota_24_7;
    return n;
}

NetworkParams NetworkParams::levers_off() const noexcept {
    NetworkParams n = *this;
    n.coordinator_wte = n.leadership = n.early_wins = n.training = 0;
    n.common_standards = n.shared_records = n.pooled_capacity = n.rota_24_7 = false;
    return n;
}

ModelParams ModelParams::from(const ParamSet& p) {
    ModelParams m{};
    m.run = {static_cast<int>(p.get("run.years")), static_cast<int>(p.get("run.warmup_years")),
             static_cast<int>(p.get("run.start_year")), static_cast<int>(p.get("run.max_age_years"))};

    auto& pop = m.population;
    pop.entry_rate_per_10000 = arr<kAgeBands>(p, "population.entry_rate_per_10000");
    pop.prevalence_multiplier = p.get("population.prevalence_multiplier");
    pop.trend_per_year = p.get("population.trend_per_year");
    pop.infant_entry_at_birth_prob = p.get("population.infant_entry_at_birth_prob");
    pop.male_rate_ratio = p.get("population.male_rate_ratio");
    pop.ethnicity_rate_ratio = arr<kEthnicGroups>(p, "population.ethnicity_rate_ratio");
    pop.deprivation_rate_ratio = arr<kQuintiles>(p, "population.deprivation_rate_ratio");
    for (std::size_t r = 0; r < pop.diagnosis_shares.size(); ++r) {
        const auto row = p.row("population.diagnosis_shares", r);
        std::copy_n(row.begin(), kDiagnoses, pop.diagnosis_shares[r].begin());
        pop.diagnosis_shares[r] = normalised<kDiagnoses>(pop.diagnosis_shares[r]);
    }
    for (std::size_t r = 0; r < kDiagnoses; ++r) {
        const auto row = p.row("population.category_by_diagnosis", r);
        std::copy_n(row.begin(), kCategories, pop.category_by_diagnosis[r].begin());
        pop.category_by_diagnosis[r] = normalised<kCategories>(pop.category_by_diagnosis[r]);
    }
    pop.cure_rate_per_year = arr<kAgeBands>(p, "population.cure_rate_per_year");

    auto& ph = m.phase;
    ph.stable_to_unstable_per_year = p.get("phase.stable_to_unstable_per_year");
    ph.instability_age_ratio = arr<kAgeBands>(p, "phase.instability_age_ratio");
    ph.instability_ethnicity_ratio = arr<kEthnicGroups>(p, "phase.instability_ethnicity_ratio");
    ph.instability_girl_ratio = p.get("phase.instability_girl_ratio");
    ph.instability_diagnosis_ratio = arr<kDiagnoses>(p, "phase.instability_diagnosis_ratio");
    ph.instability_category_ratio = arr<kCategories>(p, "phase.instability_category_ratio");
    ph.unstable_mean_days = p.get("phase.unstable_mean_days");
    ph.unstable_to_deteriorating = arr<kCategories>(p, "phase.unstable_to_deteriorating");
    ph.unstable_to_deteriorating_max = p.get("phase.unstable_to_deteriorating_max");
    ph.stable_to_deteriorating_per_year = arr<kCategories>(p, "phase.stable_to_deteriorating_per_year");
    ph.deterioration_age_ratio = arr<kAgeBands>(p, "phase.deterioration_age_ratio");
    ph.deteriorating_mean_days = p.get("phase.deteriorating_mean_days");
    ph.deteriorating_to_dying = arr<kAgeBands>(p, "phase.deteriorating_to_dying");
    ph.dying_days = p.get("phase.dying_days");
    ph.at_birth_entry_phase = normalised<kPhases>(arr<kPhases>(p, "phase.at_birth_entry_phase"));
    ph.care_survival_effect = p.get("phase.care_survival_effect");

    auto& id = m.identification;
    id.rate_per_year = arr<kPhases>(p, "identification.rate_per_year");
    id.deprivation_ratio = arr<kQuintiles>(p, "identification.deprivation_ratio");
    id.ethnicity_ratio = arr<kEthnicGroups>(p, "identification.ethnicity_ratio");
    id.distance_halving_minutes = p.get("identification.distance_halving_minutes");
    id.at_admission_prob = p.get("identification.at_admission_prob");

    m.referral = {p.get("referral.loss_prob"),
                  p.get("referral.delay_mean_days"),
                  p.get("referral.min_delay_days"),
                  arr<kCategories>(p, "referral.standard_acceptance"),
                  {},
                  arr<kServices>(p, "referral.caseload_per_unit"),
                  p.get("referral.waitlist_recheck_days"),
                  p.get("referral.waitlist_max_days"),
                  p.get("referral.sppc_discharge_stable_days")};
    for (std::size_t r = 0; r < kPhases; ++r) {
        const auto row = p.row("referral.need_by_phase", r);
        std::copy_n(row.begin(), kServices, m.referral.need_by_phase[r].begin());
    }

    auto& c = m.care;
    c.respite_nights_per_year = p.get("care.respite_nights_per_year");
    c.respite_stay_nights = p.get("care.respite_stay_nights");
    c.respite_max_wait_days = p.get("care.respite_max_wait_days");
    c.symptom_stay_prob = p.get("care.symptom_stay_prob");
    c.symptom_stay_nights = p.get("care.symptom_stay_nights");
    c.symptom_max_wait_days = p.get("care.symptom_max_wait_days");
    c.respite_interval_spread = p.get("care.respite_interval_spread");
    c.ccn_interval = arr<kPhases>(p, "care.ccn_visit_interval_days");
    c.sppc_interval = arr<kPhases>(p, "care.sppc_contact_interval_days");
    c.hospice_home_interval = arr<kPhases>(p, "care.hospice_home_visit_interval_days");
    c.visit_max_wait_days = p.get("care.visit_max_wait_days");
    c.hospice_choice_tau_minutes = p.get("care.hospice_choice_tau_minutes");
    c.hospice_one_to_one_units = p.get("care.hospice_one_to_one_units");
    c.acp_prob_per_contact = p.get("care.acp_prob_per_contact");
    c.acp_prob_stable_contact = p.get("care.acp_prob_stable_contact");
    c.adequate_share = p.get("care.adequate_share");

    auto& st = m.staff;
    st.working_days = arr<kStaffedTeams>(p, "staff.working_days_per_wte");
    st.patient_time_share = arr<kStaffedTeams>(p, "staff.patient_time_share");
    st.contact_minutes = arr<kStaffedTeams>(p, "staff.contact_minutes");
    st.home_visit_share = arr<kStaffedTeams>(p, "staff.home_visit_share");
    st.hours_per_day = p.get("staff.hours_per_day");
    st.local_travel_minutes = arr<2>(p, "staff.local_travel_minutes");

    auto& a = m.admission;
    a.rate_per_year = arr<kPhases>(p, "admission.rate_per_year");
    a.unmet_need_window_days = p.get("admission.unmet_need_window_days");
    a.rr_community = p.get("admission.rr_community");
    a.rr_specialist = p.get("admission.rr_specialist");
    a.rr_specialist_24_7 = p.get("admission.rr_specialist_24_7");
    a.picu_rr_specialist = p.get("admission.picu_rr_specialist");
    a.mean_stay_days = arr<kPhases>(p, "admission.mean_stay_days");
    a.picu_prob = arr<kPhases>(p, "admission.picu_prob");

    auto& e = m.eol;
    e.preference = normalised<kPlaces>(arr<kPlaces>(p, "eol.preference"));
    e.cancer_ratio = arr<kPlaces>(p, "eol.preference_cancer_ratio");
    e.neonate_ratio = arr<kPlaces>(p, "eol.preference_neonate_ratio");
    e.q5_ratio = arr<kPlaces>(p, "eol.preference_q5_ratio");
    e.minority_ratio = arr<kPlaces>(p, "eol.preference_minority_ratio");
    e.unidentified_hospital_prob = p.get("eol.unidentified_hospital_prob");
    e.served_no_acp_hospital_prob = p.get("eol.served_no_acp_hospital_prob");
    e.recognition_prob = arr<kCategories>(p, "eol.recognition_prob");
    e.late_recognition_prob = p.get("eol.late_recognition_prob");
    e.late_recognition_days = p.get("eol.late_recognition_days");
    e.neonatal_recognition_prob = p.get("eol.neonatal_recognition_prob");
    e.picu_withdrawal_prob = p.get("eol.picu_withdrawal_prob");
    e.achievement_prob = arr<2>(p, "eol.achievement_prob");
    e.achievement_quintile_ratio = arr<kQuintiles>(p, "eol.achievement_quintile_ratio");
    e.achievement_ethnicity_ratio = arr<kEthnicGroups>(p, "eol.achievement_ethnicity_ratio");
    e.inpatient_sppc_consult_prob = p.get("eol.inpatient_sppc_consult_prob");
    e.inpatient_acp_prob = p.get("eol.inpatient_acp_prob");
    e.picu_transfer_prob = p.get("eol.picu_transfer_prob");
    e.neonatal_days = p.get("eol.neonatal_days");
    e.neonatal_hospital_prob = p.get("eol.neonatal_hospital_prob");
    e.ooh_acp_visible_prob = p.get("eol.ooh_acp_visible_prob");
    e.rapid_transfer_prob = p.get("eol.rapid_transfer_prob");

    auto& n = m.network;
    n.coordinator_wte = p.get("network.coordinator_wte");
    n.leadership = p.get("network.leadership");
    n.early_wins = p.get("network.early_wins");
    n.initial_engagement = p.get("network.initial_engagement");
    n.rise_per_year = p.get("network.engagement_rise_per_year");
    n.decay_per_year = p.get("network.engagement_decay_per_year");
    n.churn_per_year = p.get("network.engagement_churn_per_year");
    n.coordinator_drive = p.get("network.coordinator_drive");
    n.coordinator_saturation_wte = p.get("network.coordinator_saturation_wte");
    n.leaderless_stress = p.get("network.leaderless_stress");
    n.coordinator_identification_gain = p.get("network.coordinator_identification_gain");
    n.coordinator_delay_reduction = p.get("network.coordinator_delay_reduction");
    n.coordinator_loss_reduction = p.get("network.coordinator_loss_reduction");
    n.coordinator_equity_gain = p.get("network.coordinator_equity_gain");
    n.training = p.get("network.training");
    n.training_identification_gain = p.get("network.training_identification_gain");
    n.training_acp_gain = p.get("network.training_acp_gain");
    n.common_standards = p.flag("network.common_standards");
    n.standards_acp_gain = p.get("network.standards_acp_gain");
    n.shared_records = p.flag("network.shared_records");
    n.records_delay_reduction = p.get("network.records_delay_reduction");
    n.records_capacity_gain = p.get("network.records_capacity_gain");
    n.pooled_capacity = p.flag("network.pooled_capacity");
    n.pooling_max_travel_minutes = p.get("network.pooling_max_travel_minutes");
    n.rota_24_7 = p.flag("network.rota_24_7");
    n.rota_consultant_share = p.get("network.rota_consultant_share");
    n.rota_wte_per_person = p.get("network.rota_wte_per_person");
    n.rota_min_consultants = p.get("network.rota_min_consultants");
    n.rota_min_nurses = p.get("network.rota_min_nurses");
    n.rota_adult_consultants = p.get("network.rota_adult_consultants");
    n.rota_joint_nursing = p.flag("network.rota_joint_nursing");
    n.rota_daytime_loss_wte = p.get("network.rota_daytime_loss_wte");
    n.rise_ratio = arr<kProviderTypes>(p, "network.engagement_rise_ratio");
    n.engagement_spread = p.get("network.engagement_spread");
    n.coordinator_cost = p.get("network.coordinator_cost_gbp");
    n.running_cost = p.get("network.running_cost_gbp");
    n.training_cost = p.get("network.training_cost_gbp");
    n.records_cost = p.get("network.records_cost_gbp");
    n.rota_consultant_cost = p.get("network.rota_consultant_gbp");
    n.rota_nurse_cost = p.get("network.rota_nurse_gbp");

    auto& f = m.funding;
    f.statutory_multiplier = p.get("funding.statutory_multiplier");
    f.charitable_multiplier = p.get("funding.charitable_multiplier");
    f.statutory_by_type = arr<kProviderTypes>(p, "funding.statutory_by_type");
    f.charitable_volatility = p.get("funding.charitable_volatility");
    f.vacancy_rate = arr<kProviderTypes>(p, "funding.vacancy_rate");
    f.vacancy_monthly_sd = p.get("funding.vacancy_monthly_sd");
    f.vacancy_max = p.get("funding.vacancy_max");
    f.closure_threshold = p.get("funding.closure_threshold");
    f.bed_headroom = p.get("funding.bed_headroom");
    f.post_cost = arr<kProviderTypes>(p, "funding.post_cost_gbp");
    f.out_of_hours_cost = arr<kProviderTypes>(p, "funding.out_of_hours_cost_gbp");

    m.cost = {p.get("cost.hospital_bed_day_gbp"),   p.get("cost.picu_bed_day_gbp"),
              p.get("cost.hospice_bed_night_gbp"),  p.get("cost.hospice_night_marginal_gbp"),
              p.get("cost.hospice_home_visit_gbp"), p.get("cost.ccn_visit_gbp"),
              p.get("cost.sppc_contact_gbp")};
    return m;
}

}  // namespace cpcsim
