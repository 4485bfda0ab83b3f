// The uncertainty of each parameter for probabilistic sensitivity analysis (`--uncertainty`),
// declared apart from the parameters themselves so that adding a parameter and giving it a
// distribution are separate, small edits. Each [A] or [D] parameter, and each [E] one with a
// published interval, has a distribution or is fixed with a reason. Priors, their families and
// sources are from docs/research/parameter-priors.md (which cites shared/research/evidence.md
// lines as "ev L#", docs/research/evidence-capacity-costs.md as "cap L#" and
// docs/research/evidence-eol-rota-equity.md as "eol L#"). Conventions: beta for probabilities
// (mean, sd), gamma for rates, durations, costs and gains (mean, sd), lognormal for ratios
// (median, sd of the log), triangular or uniform where only a range is known.
#include "model/parameter_priors.hpp"

#include <algorithm>
#include <stdexcept>
#include <unordered_map>

namespace cpcsim {

namespace {

using namespace prior;
constexpr auto Mult = Applies::Multiplier;
constexpr auto Grad = Applies::Gradient;
constexpr auto Odds = Applies::Odds;

struct Entry {
    const char* key;
    Distribution d;
};

std::vector<Entry> priors() {
    const std::string lever = "a scenario lever: it defines the question being asked, not an unknown";
    const std::string structural = "a structural or definitional setting, varied as a named scenario if at all";
    return {
        // run: settings and labels.
        {"run.years", fixed(structural)},
        {"run.warmup_years", fixed(structural)},
        {"run.start_year", fixed(structural)},
        {"run.max_age_years", fixed("defines the service (0-18 or 0-25): a scenario, not an unknown")},
        // population
        {"population.entry_rate_per_10000",
         fixed("shape calibrated to prevalence by age (C1, C2); its level varies through prevalence_multiplier")},
        {"population.prevalence_multiplier",
         applied(triangular(0.95, 1.0, 1.10, "C1 lands within its 5% tolerance; Y&H range 1.0-1.15 (ev L578)"), Mult)},
        {"population.trend_per_year", triangular(0, 0, 0.02, "2030 projection: 0-2% a year (ev L584)")},
        {"population.ethnicity_rate_ratio",
         fixed("point rates from 175k HES children (ev L121-122): sampling error negligible")},
        {"population.deprivation_rate_ratio",
         applied(lognormal(1, 0.3, "inverse-J shape published (ev L123), size assumed (ev L583)"), Grad)},
        {"population.male_rate_ratio",
         truncated(lognormal(1.15, 0.06, "higher in boys (ev L157), size assumed (ev L581)"), 1.0, 1.4)},
        {"population.diagnosis_shares",
         dirichlet(200,
                   "[A] the mix has n = 216k (Fraser 2012, ev L124-138) but its split by entry age is assumed "
                   "and definitions vary (C5 41% +-5): one reweighting of both rows, concentration 200 "
                   "(sd 3.5 points on a 0.5 share)")},
        {"population.category_by_diagnosis",
         dirichlet(100,
                   "[A] ACT shares 20/10/30/40 are an assumption, +-10 points (ev L213, L594): one reweighting "
                   "of every diagnosis row, concentration 100 (sd about 4-5 points)")},
        {"population.infant_entry_at_birth_prob",
         beta(0.7, 0.1, "most infant LLCs are congenital or perinatal (evidence.md §2); size assumed")},
        {"population.cure_rate_per_year",
         applied(lognormal(1, 0.1, "calibrated to the fall from C2 to ages 1-5 (C2 tolerance 10%)"), Mult)},
        // phase
        {"phase.stable_to_unstable_per_year",
         lognormal(0.104, 0.10, "Jarvis: 14% unstable a year (ev L600); C9 14% +-3 points")},
        {"phase.instability_age_ratio",
         only_element(lognormal(6.4, 0.056, "Jarvis OR 6.4 (5.7-7.1) for under-1s (ev L226)"), 0)},
        {"phase.instability_ethnicity_ratio", fixed("published ORs (ev L228); no interval in the evidence store")},
        {"phase.instability_girl_ratio", fixed("published OR (ev L227); no interval in the evidence store")},
        {"phase.instability_diagnosis_ratio",
         applied(lognormal(1, 0.3, "most diagnoses above congenital; sizes assumed (ev L230)"), Grad)},
        {"phase.instability_category_ratio",
         applied(lognormal(1, 0.3, "category 4 recurrent instability (MODEL.md §4.2; ev L608); size assumed"), Grad)},
        {"phase.unstable_mean_days", gamma(21, 6.3, "3 weeks, episodes 1-8 weeks (ev L601)")},
        {"phase.unstable_to_deteriorating",
         applied(lognormal(1, 0.15, "15% of episodes (ev L601); calibrated to C6, C9"), Odds)},
        {"phase.stable_to_deteriorating_per_year",
         applied(lognormal(1, 0.3, "category 3 deteriorates steadily (MODEL.md §4.2); no data"), Mult)},
        {"phase.deterioration_age_ratio",
         only_element(lognormal(2.4, 0.10, "calibrated to 58% of deaths under 1 (C7 +-8 points)"), 0)},
        {"phase.unstable_to_deteriorating_max", fixed("a numerical cap, not a quantity of the world")},
        {"phase.deteriorating_mean_days", gamma(60, 12, "2-3 months (ev L602)")},
        {"phase.deteriorating_to_dying", applied(lognormal(1, 0.15, "70% die (ev L602); calibrated to C6, C7"), Odds)},
        {"phase.dying_days", fixed("a definition (Jarvis, ev L220)")},
        {"phase.at_birth_entry_phase",
         dirichlet(100,
                   "[A] calibrated to neonatal deaths (C7, 58% of deaths under 1 +-8 points); no sample size: "
                   "concentration 100 (stable sd 0.04, dying sd 0.018)")},
        {"phase.care_survival_effect",
         fixed("structural: care changes where children die, not when (a draw would break the pairing)")},
        // identification and referral
        {"identification.rate_per_year",
         applied(lognormal(1, 0.3, "rises with severity (MODEL.md §4.3); only the level is unknown"), Mult)},
        {"identification.deprivation_ratio",
         applied(
             uniform(-1, 1, "direction unknown: Taylor 2010 found more referrals from deprived areas (eol L371-381)"),
             Grad)},
        {"identification.ethnicity_ratio",
         applied(uniform(-1, 1, "direction unknown; the cited sources concern place of death (eol L404)"), Grad)},
        {"identification.distance_halving_minutes",
         lognormal(60, 0.5, "distance decay known in direction only (adults, ev L489)")},
        {"identification.at_admission_prob",
         beta(0.25, 0.08, "most referrals come via hospital (ev L205); size assumed")},
        {"referral.loss_prob", beta(0.15, 0.06, "no source (MODEL.md §4.3); sets part of the shared-records effect")},
        {"referral.delay_mean_days", gamma(35, 12, "no source; coefficient of variation 0.35")},
        {"referral.min_delay_days", fixed("a processing floor, negligible against the mean delay")},
        {"referral.need_by_phase",
         applied(lognormal(1, 0.3, "set by hand to hospice reach (docs/calibration.md)"), Odds)},
        {"referral.standard_acceptance",
         only_element(beta(0.95, 0.03, "common standards accept almost everyone; category 4 uncertain"), 3)},
        // care
        {"care.respite_nights_per_year",
         triangular(4, 7, 10, "12 is the Acorns maximum; delivered about 6-7.6 a child (cap L202-206)")},
        {"care.respite_stay_nights", fixed("a booking rule (3-4 nights, Acorns)")},
        {"care.respite_max_wait_days", fixed("defines when a request counts as unmet (an outcome definition)")},
        {"care.symptom_stay_prob", beta(0.3, 0.1, "no source; demand rising (ev §5.1)")},
        {"care.symptom_stay_nights", triangular(2, 4, 7, "no source")},
        {"care.symptom_max_wait_days", fixed("defines when a request counts as unmet (an outcome definition)")},
        {"care.respite_interval_spread", triangular(0.25, 0.5, 0.75, "no source: spread of booking times")},
        {"care.ccn_visit_interval_days",
         applied(lognormal(1, 0.25, "intervals by phase assumed (MODEL.md §4.4); order kept"), Mult)},
        {"care.sppc_contact_interval_days",
         applied(lognormal(1, 0.25, "intervals by phase assumed (MODEL.md §4.4); order kept"), Mult)},
        {"care.hospice_home_visit_interval_days",
         applied(lognormal(1, 0.25, "about one visit a week per active family (ev L646)"), Mult)},
        {"care.visit_max_wait_days", fixed("defines when a visit counts as missed (an outcome definition)")},
        {"care.adequate_share", fixed("defines when a year's care counts as adequate (an outcome definition)")},
        {"care.acp_prob_per_contact", beta(0.12, 0.04, "calibrated loosely; ACP OR 5.51 with PPC (cap L398)")},
        {"care.acp_prob_stable_contact", beta(0.02, 0.01, "no source")},
        // admissions
        {"admission.rate_per_year",
         applied(lognormal(1, 0.2, "sizes assumed; 2.5-4 admissions in the last year (cap L389-391)"), Mult)},
        {"admission.unmet_need_window_days", fixed("defines 'recent' unmet need (an outcome-linked convention)")},
        {"admission.mean_stay_days",
         applied(lognormal(1, 0.2, "30-36 bed-days in the last year (cap L376-391)"), Mult)},
        {"admission.picu_prob", applied(lognormal(1, 0.3, "no source; ward/PICU cost check (cap L280)"), Odds)},
        // end of life
        {"eol.preference",
         dirichlet(20,
                   "[A] NICE 68% home (ev L300, L632) is from a cancer cohort without a usable sample size; "
                   "South Wales 36/33/31 (eol L174) lies inside: concentration 20 (home 0.31-0.73, sd 0.11)")},
        {"eol.preference_cancer_ratio",
         applied(lognormal(1, 0.15, "Gibson-Smith direction; sizes derived (eol L165)"), Grad)},
        {"eol.preference_neonate_ratio",
         applied(lognormal(1, 0.4, "a place-of-death finding used as a preference"), Grad)},
        {"eol.preference_q5_ratio",
         applied(triangular(0, 0, 1, "RR 0.8 (0.7-0.9) is for place of death, not preference (ev L274, eol L418-427)"),
                 Grad)},
        {"eol.preference_minority_ratio",
         applied(triangular(0, 0, 1, "a place-of-death finding used as a preference (eol L425)"), Grad)},
        {"eol.unidentified_hospital_prob",
         beta(0.6, 0.07, "calibrated to C8 (hospital 73-77% +-5); history matching keeps about 0.46-0.74")},
        {"eol.neonatal_days", fixed("a definition (WHO)")},
        {"eol.neonatal_hospital_prob", beta(0.95, 0.02, "NCMD; Canada 98.1% of neonates died in hospital (eol 1.4b)")},
        {"eol.ooh_acp_visible_prob", beta(0.5, 0.15, "no paediatric source; sets the shared-records effect")},
        {"eol.rapid_transfer_prob", beta(0.25, 0.10, "no source; transfers are rare (eol 1.2)")},
        // network: the levers are fixed, the effect sizes and costs uncertain
        {"network.coordinator_wte", fixed(lever)},
        {"network.leadership", fixed(lever)},
        {"network.early_wins", fixed(lever)},
        {"network.training", fixed(lever)},
        {"network.common_standards", fixed(lever)},
        {"network.shared_records", fixed(lever)},
        {"network.pooled_capacity", fixed(lever)},
        {"network.rota_24_7", fixed(lever)},
        {"network.pooling_max_travel_minutes", fixed(lever)},
        {"network.initial_engagement", beta(0.2, 0.08, "starting engagement 0.1-0.4 by member type (eol §3)")},
        {"network.engagement_rise_per_year", lognormal(1.2, 0.35, "rise time 1-2 years (eol L335-349)")},
        {"network.engagement_decay_per_year", lognormal(0.8, 0.35, "partial, inconsistent engagement (Papworth 2021)")},
        {"network.engagement_churn_per_year", lognormal(0.6, 0.35, "partial, inconsistent engagement (Papworth 2021)")},
        {"network.coordinator_drive", lognormal(0.6, 0.3, "no source; the coordinator is the key enabler (ev L51)")},
        {"network.coordinator_saturation_wte",
         fixed("a modelling device (beyond one coordinator drive stops growing)")},
        {"network.leaderless_stress", gamma(0.25, 0.1, "engagement fades without drive (Papworth 2021); size assumed")},
        {"network.coordinator_identification_gain",
         gamma(0.6, 0.25, "referral x1.2-1.5 (ev L679); neonatal MCN OR 4.3 as an upper bound (ev L684)")},
        {"network.coordinator_delay_reduction", beta(0.5, 0.15, "no source")},
        {"network.coordinator_loss_reduction", beta(0.6, 0.15, "no source")},
        {"network.coordinator_equity_gain", beta(0.5, 0.2, "no source")},
        {"network.training_identification_gain", gamma(0.4, 0.15, "referral x1.2-1.5 (ev L679)")},
        {"network.training_acp_gain", gamma(0.4, 0.2, "ACP +10 to +25 points (ev L678)")},
        {"network.standards_acp_gain", gamma(0.15, 0.08, "no source")},
        {"network.records_delay_reduction", beta(0.3, 0.1, "no source")},
        {"network.records_capacity_gain", beta(0.05, 0.025, "no source")},
        {"network.coordinator_cost_gbp", gamma(65000, 10000, "GBP 50-70k (ev L669)")},
        {"network.running_cost_gbp", gamma(35000, 8000, "GBP 20-50k (ev L669)")},
        {"network.training_cost_gbp", gamma(40000, 12000, "no source; coefficient of variation 0.3")},
        {"network.records_cost_gbp", gamma(80000, 32000, "no source; IT costs overrun (right-skewed)")},
        // Added with issues 10 and 11 (capacity, costs, end of life, the rota, engagement per member):
        // each range is the one given with the parameter's source in docs/parameters.md.
        {"admission.rr_community", truncated(triangular(0.85, 0.95, 1.0, "cap §4.3: 0.95 (0.85-1.0)"), 0.8, 1.0)},
        {"admission.rr_specialist",
         triangular(0.7, 0.85, 1.0, "cap §4.3: 0.85 (0.7-1.0); Fraser 2013 no emergency effect")},
        {"admission.rr_specialist_24_7",
         triangular(0.5, 0.7, 1.0, "cap §4.3: 0.70 (0.5-1.0); Chameleon 0.49-0.70 uncontrolled")},
        {"admission.picu_rr_specialist",
         triangular(0.4, 0.6, 0.9, "cap §4.3: 0.6 (0.4-0.9); direction only published")},
        {"care.hospice_choice_tau_minutes", triangular(15, 30, 60, "cap §2.6: 30 (15-60)")},
        {"care.hospice_one_to_one_units",
         triangular(1.5, 2, 2.5, "cap §2.2: 1:1 against 1:1.5-1:2.5 for short breaks")},
        {"staff.working_days_per_wte",
         applied(uniform(0.966, 1.039, "cap §1.1: 200-215 days for 207 (about +-4%)"), Mult)},
        {"staff.hours_per_day", fixed("the Agenda for Change week")},
        {"staff.patient_time_share",
         applied(triangular(0.75, 1.0, 1.12, "cap §1.2: 0.45-0.67 for 0.60 (PSSRU 0.67 an upper bound)"), Mult)},
        {"staff.contact_minutes", applied(triangular(0.75, 1.0, 1.5, "cap §1.3: 45-90 minutes for 60"), Mult)},
        {"staff.home_visit_share", only_element(uniform(0.3, 0.7, "cap §1.3: SPPC home visits 0.3-0.7"), 0)},
        {"staff.local_travel_minutes",
         applied(triangular(0.75, 1.0, 1.5, "cap §1.3: urban 15-30 for 20, rural 30-70 for 45"), Mult)},
        {"cost.ccn_visit_gbp", uniform(45, 90, "PSSRU district-nursing contact uplifted: GBP 45-90")},
        {"cost.sppc_contact_gbp",
         uniform(70, 160, "PSSRU specialist nurse hour uplifted, some consultant time: GBP 70-160")},
        {"cost.hospice_home_visit_gbp", uniform(110, 135, "cap §3.3: 3 h x GBP 36-45/h")},
        {"cost.hospice_night_marginal_gbp", uniform(700, 1200, "cap §3.3: GBP 700-1,200")},
        {"eol.achievement_prob",
         only_element(uniform(0.4, 0.6, "without 24/7 cover: an assumption with range 0.4-0.6"), 1)},
        {"eol.achievement_quintile_ratio",
         only_element(uniform(0.65, 1.0, "Gibson-Smith 2021 RR 0.8 for the most deprived (range 0.65-1)"), 4)},
        {"eol.achievement_ethnicity_ratio",
         only_element(uniform(0.45, 0.8, "Fraser 2017 South Asian OR 0.48; Wolff 2021 aOR 0.6 (range 0.45-0.8)"), 1)},
        {"eol.inpatient_acp_prob", beta(0.7, 0.05, "All-Wales 66%, Pelaez-Cantero 2023 76%")},
        {"eol.inpatient_sppc_consult_prob", truncated(beta(0.39, 0.1, "Meert 2015: 39% (12-46%)"), 0.12, 0.6)},
        {"eol.late_recognition_days", triangular(1, 3, 7, "median 2.8 days discussion to decision (BMC Pediatr 2011)")},
        {"eol.late_recognition_prob", uniform(0.3, 0.7, "decisions days before death; no rate published")},
        {"eol.neonatal_recognition_prob", beta(0.5, 0.07, "Harnden 2023: 51% met no palliative category beforehand")},
        {"eol.picu_transfer_prob", triangular(0.05, 0.15, 0.3, "eol 1.2: Morton 2019, Noje 2017; range 0.05-0.3")},
        {"eol.picu_withdrawal_prob", uniform(0.28, 0.75, "Sands 2009: 55% UK; Netherlands 28%, Melbourne 75%")},
        {"eol.recognition_prob", applied(lognormal(1, 0.2, "eol 1.1: per-category ranges about +-30%"), Odds)},
        {"eol.served_no_acp_hospital_prob",
         fixed("calibrated to C8 with unidentified_hospital_prob (history matching, issue 13)")},
        {"network.engagement_rise_ratio",
         applied(lognormal(1, 0.25, "eol 3: member types differ (Papworth 2021); ranges about +-40%"), Mult)},
        {"network.engagement_spread", uniform(0.3, 0.8, "NSW networks rated high, moderate or low impact (0.3-0.8)")},
        {"network.rota_adult_consultants", fixed(lever)},
        {"network.rota_joint_nursing", fixed(lever)},
        {"network.rota_min_consultants", fixed("a rota design (1 in 4, range 3-6): vary it as a scenario")},
        {"network.rota_min_nurses", fixed("a rota design (range 5-10): vary it as a scenario")},
        {"network.rota_consultant_share", triangular(0.2, 0.25, 0.32, "eol 2.2: 2-3 consultant WTE of about 9.5")},
        {"network.rota_wte_per_person", triangular(0.6, 0.8, 1.0, "part-time working; no source")},
        {"network.rota_daytime_loss_wte", uniform(0.05, 0.2, "eol 2.2: range 0.05-0.2")},
        {"network.rota_consultant_gbp", uniform(3000, 10000, "on-call supplement GBP 3-10k (not traced)")},
        {"network.rota_nurse_gbp", uniform(6000, 10000, "eol 2.2: GBP 6-10k")},
        {"referral.caseload_per_unit",
         applied(lognormal(1, 0.2, "cap §5: hospice 16-35 per bed, SPPC 30-60, CCN 15-25 per WTE"), Mult)},
        {"referral.sppc_discharge_stable_days", triangular(90, 180, 365, "cap §1.4: 6-18 months on a caseload")},
        {"referral.waitlist_max_days", triangular(30, 60, 120, "cap §5: 60 (30-120)")},
        {"referral.waitlist_recheck_days", fixed("weekly review (Acorns): an operational rule")},
        // funding and costs
        {"funding.statutory_multiplier", fixed(lever)},
        {"funding.charitable_multiplier", fixed(lever)},
        {"funding.statutory_by_type", fixed(lever)},
        {"funding.charitable_volatility", gamma(0.1, 0.03, "+-10% is an assumption (ev L667)")},
        {"funding.vacancy_rate", fixed("published point values (ev L418); the level cancels out in the model")},
        {"funding.vacancy_monthly_sd", gamma(0.03, 0.01, "no source")},
        {"funding.vacancy_max", fixed("a numerical cap, not a quantity of the world")},
        {"funding.closure_threshold", beta(0.65, 0.07, "Bluebell Wood 2022; 17% of hospices closed beds (cap §2.2)")},
        {"funding.post_cost_gbp",
         applied(triangular(0.75, 1.0, 1.25, "baseline budget per WTE; +-25% for grade mix and on-costs [A]"), Mult)},
        {"funding.out_of_hours_cost_gbp",
         applied(triangular(0.65, 1.0, 1.5, "nurse tier GBP 40-80k, with a consultant tier 70-190k (cap §3.4) [D]"),
                 Mult)},
        {"funding.bed_headroom", triangular(1.10, 1.25, 1.50, "Little Harbour staffed 2 of 6 beds (cap §2.2)")},
        {"cost.hospital_bed_day_gbp", gamma(800, 160, "GBP 500-800 district, 1,150-1,350 specialist (cap L274-283)")},
        {"cost.picu_bed_day_gbp", gamma(3000, 1000, "GBP 849-4,824 across units (NICE 2016, ev L87) as +-2 sd")},
        {"cost.hospice_bed_night_gbp", fixed("an activity value only: it enters no total")},
        {"geography.road_factor", fixed("travel times are computed at load; confounded with distance_halving_minutes")},
        {"geography.speed_kmh", fixed("travel times are computed at load; confounded with distance_halving_minutes")},
    };
}

}  // namespace

std::vector<std::string> priors_without_parameter(const std::vector<ParamSpec>& specs) {
    std::vector<std::string> out;
    for (const auto& entry : priors()) {
        const std::string key = entry.key;  // a named copy: clang 14 cannot capture a structured binding
        if (std::none_of(specs.begin(), specs.end(), [&](const ParamSpec& s) { return s.key == key; }))
            out.push_back(key);
    }
    return out;
}

std::vector<ParamSpec> with_priors(std::vector<ParamSpec> specs) {
    std::unordered_map<std::string, std::size_t> index;
    for (std::size_t i = 0; i < specs.size(); ++i) index.emplace(specs[i].key, i);
    for (auto& [key, d] : priors()) {
        // A prior of a parameter that no longer exists is reported by a test
        // (priors_without_parameter), not at start-up, so a renamed parameter never stops a run.
        auto it = index.find(key);
        if (it == index.end()) continue;
        ParamSpec& spec = specs[it->second];
        if (const std::string p = d.problem(); !p.empty()) throw std::logic_error("prior of " + spec.key + ": " + p);
        if (d.family == Family::Dirichlet && !spec.weights)
            throw std::logic_error("prior of " + spec.key + ": a Dirichlet prior needs a share vector or table");
        if (d.applies == Applies::Value && !d.fixed() && d.family != Family::Dirichlet && d.element < 0 &&
            !spec.is_scalar())
            throw std::logic_error("prior of " + spec.key + ": an array needs a multiplier, gradient or odds prior");
        spec.uncertainty = std::move(d);
    }
    return specs;
}

}  // namespace cpcsim
