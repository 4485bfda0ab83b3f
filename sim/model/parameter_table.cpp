// The declaration of every model parameter: key, unit, default, valid range, help, evidence tag
// and source. The docs' parameter table is generated from this list (`cpcsim params --markdown`).
// Tags: E = published figure, D = derived from published figures, A = modelling assumption
// (every A is a scenario parameter so that sweeps can vary it). Sources refer to
// shared/research/evidence.md sections unless stated otherwise.
#include "model/parameter_table.hpp"

#include "core/vocabulary.hpp"
#include "model/parameter_priors.hpp"
#include "scenario/params.hpp"

#include <algorithm>
#include <initializer_list>
#include <string_view>

namespace cpcsim {

namespace {

using L = std::vector<std::string>;
// Element labels come from the one declaration of each dimension (core/vocabulary.hpp).
const L kAge = dims::age_band.key_list();
const L kQuint = dims::quintile.key_list();
const L kEth = dims::ethnic_group.key_list();
const L kCat = dims::category.key_list();
const L kPhase = dims::phase.key_list();
const L kPlace = dims::place.key_list();
const L kDiag = dims::diagnosis.key_list();
const L kService = dims::service.key_list();
const L kProviderType = dims::provider_type.key_list();
const L kTeam = {"sppc", "ccn"};  // the team types whose contacts come from staff time
const L kSettlement = {"urban", "rural"};
constexpr auto E = Evidence::Published;
constexpr auto D = Evidence::Derived;
constexpr auto A = Evidence::Assumed;

class Declarations {
public:
    void scalar(std::string key, std::string unit, double def, double lo, double hi, Evidence ev, std::string source,
                std::string help, ParamKind kind = ParamKind::Real) {
        specs_.push_back(ParamSpec{
            std::move(key), std::move(unit), kind, {def}, lo, hi, {}, {}, std::move(help), ev, std::move(source)});
    }
    void flag(std::string key, bool def, Evidence ev, std::string source, std::string help) {
        scalar(std::move(key), "", def ? 1.0 : 0.0, 0, 1, ev, std::move(source), std::move(help), ParamKind::Boolean);
    }
    void array(std::string key, std::string unit, L labels, std::vector<double> defs, double lo, double hi, Evidence ev,
               std::string source, std::string help) {
        specs_.push_back(ParamSpec{std::move(key),
                                   std::move(unit),
                                   ParamKind::Real,
                                   std::move(defs),
                                   lo,
                                   hi,
                                   std::move(labels),
                                   {},
                                   std::move(help),
                                   ev,
                                   std::move(source)});
    }
    void table(std::string key, std::string unit, L rows, L cols, std::vector<double> defs, double lo, double hi,
               Evidence ev, std::string source, std::string help) {
        specs_.push_back(ParamSpec{std::move(key), std::move(unit), ParamKind::Real, std::move(defs), lo, hi,
                                   std::move(cols), std::move(rows), std::move(help), ev, std::move(source)});
    }
    /// Marks the last declared parameter as a distribution (rows are normalised weights).
    void as_weights() { specs_.back().weights = true; }
    /// Marks declared parameters as settable per area ([[local_network]]).
    void as_local(std::initializer_list<std::string_view> keys) {
        for (auto& spec : specs_)
            if (std::find(keys.begin(), keys.end(), spec.key) != keys.end()) spec.local = true;
    }
    std::vector<ParamSpec> take() { return std::move(specs_); }

private:
    std::vector<ParamSpec> specs_;
};

void declare_run(Declarations& d) {
    d.scalar("run.years", "years", 10, 1, 60, A, "MODEL.md §3", "Reported horizon.", ParamKind::Integer);
    d.scalar("run.warmup_years", "years", 3, 0, 50, A, "MODEL.md §3",
             "Warm-up simulated before the horizon and not reported; lets caseloads, identification "
             "and engagement settle from the initial population.",
             ParamKind::Integer);
    d.scalar("run.start_year", "calendar year", 2024, 1990, 2100, A, "",
             "Calendar year of the first reported year (labels only).", ParamKind::Integer);
    d.scalar("run.max_age_years", "years", 19, 16, 30, E, "MODEL.md §4.1",
             "Children leave at this birthday (transition to adult services); 25 for a 0-25 service.",
             ParamKind::Integer);
}

void declare_population(Declarations& d) {
    d.array("population.entry_rate_per_10000", "entries per 10,000 children per year", kAge,
            {138.0, 0.9, 0.7, 1.2, 2.6}, 0, 5000, A,
            "calibrated to Fraser 2021 prevalence (C1, C2); see docs/calibration.md",
            "New children with a life-limiting condition per 10,000 children of the age band per year "
            "(White, least-deprived-rate reference scaled by the ratios below). Infants enter mostly at birth.");
    d.scalar("population.prevalence_multiplier", "ratio", 1.0, 0.1, 5, A, "MODEL.md §7 C1 (Y&H about x1.05)",
             "Multiplies every entry rate (regional adjustment).");
    d.scalar("population.trend_per_year", "fraction per year", 0.0, -0.1, 0.2, A, "evidence.md §2.3 projection 0-2%/yr",
             "Growth of entry rates per simulated year from the start of the horizon (0 = flat, the "
             "calibration setting).");
    d.array("population.ethnicity_rate_ratio", "ratio vs White", kEth, {1.0, 1.8, 1.55, 1.15}, 0, 10, E,
            "Fraser 2012: SA 48, Black 42, Other 31, White 27 per 10,000", "Entry rate ratio by ethnic group.");
    d.array("population.deprivation_rate_ratio", "ratio vs Q1", kQuint, {1.0, 0.94, 1.05, 1.17, 1.44}, 0, 10, A,
            "inverse-J shape [E, Fraser 2012]; magnitudes assumed (evidence.md defaults 0.90..1.30 rescaled)",
            "Entry rate ratio by IMD quintile (Q1 least deprived).");
    d.scalar("population.infant_entry_at_birth_prob", "probability", 0.7, 0, 1, A,
             "most infant LLCs are congenital or perinatal (evidence.md §2)",
             "Chance a child entering in the first year of life enters at birth (else at an age drawn uniformly "
             "over the first year).");
    d.scalar("population.male_rate_ratio", "ratio vs girls", 1.15, 0.5, 2, A, "higher in boys [E, Fraser 2021]",
             "Entry rate ratio, boys vs girls.");
    d.table("population.diagnosis_shares", "share", dims::entry_age.key_list(), kDiag,
            {0.50, 0.05, 0.05, 0.04, 0.07, 0.10, 0.05, 0.04, 0.05, 0.02, 0.03,   // infants
             0.12, 0.28, 0.22, 0.14, 0.08, 0.00, 0.05, 0.04, 0.02, 0.03, 0.02},  // ages 1+
            0, 1, D, "Fraser 2012 diagnosis mix (congenital 30.7%, oncology 13.7%...), split by entry age [A]",
            "Diagnostic group of a new child by entry age (infant = under 1).");
    d.as_weights();
    d.table("population.category_by_diagnosis", "probability", kDiag, kCat,
            {0.55, 0.05, 0.10, 0.30,   // congenital (many cardiac: category 1 by surgery)
             0.90, 0.00, 0.05, 0.05,   // oncology
             0.05, 0.10, 0.35, 0.50,   // neurological
             0.40, 0.30, 0.15, 0.15,   // haematology
             0.20, 0.50, 0.10, 0.20,   // respiratory (cystic fibrosis: 2)
             0.60, 0.00, 0.05, 0.35,   // perinatal
             0.60, 0.15, 0.10, 0.15,   // genitourinary (renal failure: 1)
             0.05, 0.15, 0.70, 0.10,   // metabolic (MPS, Batten: 3)
             0.60, 0.15, 0.10, 0.15,   // circulatory
             0.50, 0.15, 0.10, 0.25,   // gastrointestinal
             0.25, 0.25, 0.25, 0.25},  // other
            0, 1, A, "ACT/TfSL definitions; population shares ~20/10/30/40 (evidence.md §3.2)",
            "ACT/TfSL category of a new child by diagnosis (rows need not sum to 1; normalised).");
    d.as_weights();
    d.array("population.cure_rate_per_year", "per year", kAge, {2.2, 0.50, 0.15, 0.15, 0.15}, 0, 50, A,
            "calibrated: infant prevalence 226.5 falls to ~62 by ages 1-5 (C2 vs C1)",
            "Category 1 only: rate of cure or long-term remission (exit from the LLC population), by age.");
}

void declare_phase(Declarations& d) {
    d.scalar("phase.stable_to_unstable_per_year", "per year", 0.104, 0, 20, D,
             "Jarvis 2017: 14% unstable in a year; calibrated to C9",
             "Base hazard of an unstable episode for a stable child (White girl-equivalent reference, age 1-5, "
             "congenital).");
    d.array("phase.instability_age_ratio", "ratio", kAge, {6.4, 1.0, 0.8, 0.8, 0.9}, 0, 20, E,
            "Jarvis 2017: age <1 OR 6.4 vs 1-5", "Hazard ratio of instability by age band.");
    d.array("phase.instability_ethnicity_ratio", "ratio", kEth, {1.0, 1.61, 1.58, 1.33}, 0, 10, E, "Jarvis 2017 ORs",
            "Hazard ratio of instability by ethnic group.");
    d.scalar("phase.instability_girl_ratio", "ratio", 1.15, 0, 5, E, "Jarvis 2017 OR 1.15",
             "Hazard ratio of instability, girls vs boys.");
    d.array("phase.instability_diagnosis_ratio", "ratio", kDiag,
            {1.0, 1.4, 1.3, 1.2, 1.4, 0.23, 1.2, 1.3, 1.3, 1.2, 1.0}, 0, 10, D,
            "Jarvis 2017: perinatal OR 0.23; most others above congenital [size A]",
            "Hazard ratio of instability by diagnosis.");
    d.array("phase.instability_category_ratio", "ratio", kCat, {0.8, 1.0, 1.0, 1.4}, 0, 10, A,
            "MODEL.md §4.2: category 4 recurrent instability", "Hazard ratio of instability by ACT category.");
    d.scalar("phase.unstable_mean_days", "days", 21, 1, 365, A, "evidence.md: 3 weeks (1-8)",
             "Mean length of an unstable episode.");
    d.array("phase.unstable_to_deteriorating", "probability", kCat, {0.11, 0.09, 0.16, 0.05}, 0, 1, A,
            "evidence.md: 15% of episodes end in deterioration; calibrated to C6, C9",
            "Probability that an unstable episode ends in deterioration (else stable), by category.");
    d.array("phase.stable_to_deteriorating_per_year", "per year", kCat, {0.0, 0.003, 0.008, 0.001}, 0, 5, A,
            "MODEL.md §4.2: category 3 deteriorates steadily",
            "Hazard of deteriorating directly from stable, by category.");
    d.array("phase.deterioration_age_ratio", "ratio", kAge, {2.4, 1.0, 1.0, 1.0, 1.1}, 0, 50, A,
            "calibrated: 58% of LLC deaths under 1 (C7)",
            "Ratio applied to both routes into deterioration, by age band.");
    d.scalar("phase.unstable_to_deteriorating_max", "probability", 0.95, 0, 1, A, "",
             "Upper limit of the chance an unstable episode ends in deterioration once the age ratio is applied.");
    d.scalar("phase.deteriorating_mean_days", "days", 60, 1, 730, A, "evidence.md: 2-3 months",
             "Mean length of a deteriorating phase.");
    d.array("phase.deteriorating_to_dying", "probability", kAge, {0.65, 0.49, 0.49, 0.49, 0.49}, 0, 1, A,
            "evidence.md: 70% die; infants higher", "Probability a deteriorating phase ends in dying (else unstable).");
    d.scalar("phase.dying_days", "days", 28, 1, 90, E, "Jarvis 2017 definition",
             "The dying phase is the last this-many days of life.");
    d.array("phase.at_birth_entry_phase", "probability", kPhase, {0.795, 0.12, 0.05, 0.035}, 0, 1, A,
            "calibrated: neonatal deaths (C7)", "Phase of a child entering at birth (normalised).");
    d.as_weights();
    d.scalar("phase.care_survival_effect", "fraction", 0.0, 0, 1, A, "MODEL.md §4.2 (default zero)",
             "Fraction by which being on an SPPC caseload lowers the chance a deteriorating phase ends in "
             "dying. Zero by default: care changes where and how children die, not when.");
}

void declare_identification(Declarations& d) {
    d.array("identification.rate_per_year", "per year", kPhase, {0.25, 1.5, 4.0, 12.0}, 0, 365, A,
            "MODEL.md §4.3: rises with severity", "Hazard of becoming known to palliative care, by phase.");
    d.array("identification.deprivation_ratio", "ratio", kQuint, {1.0, 1.0, 1.0, 1.0, 1.0}, 0, 5, A,
            "flat: no per-LLC-child rate by deprivation found; Taylor 2010 found more referrals from deprived areas "
            "against population shares (evidence-eol-rota-equity.md 4.1); range 0.8-1.2 for Q5, either way",
            "Identification hazard ratio by IMD quintile (baseline).");
    d.array("identification.ethnicity_ratio", "ratio", kEth, {1.0, 1.0, 1.0, 1.0}, 0, 5, A,
            "flat: no per-LLC-child rate by ethnicity found (evidence-eol-rota-equity.md 4.2); range 0.7-1.2",
            "Identification hazard ratio by ethnic group.");
    d.scalar("identification.distance_halving_minutes", "minutes", 60, 1, 1000, A, "distance decay (evidence.md §6)",
             "Travel time to the nearest specialist provider (SPPC or hospice) that halves the hazard.");
    d.scalar("identification.at_admission_prob", "probability", 0.25, 0, 1, A, "MODEL.md §4.3",
             "Chance an unplanned admission leads to identification (times the same ratios).");
}

void declare_referral(Declarations& d) {
    d.scalar("referral.loss_prob", "probability", 0.15, 0, 1, A, "MODEL.md §4.3 (no shared records)",
             "Chance a referral is lost in the baseline; the child must be identified again.");
    d.scalar("referral.delay_mean_days", "days", 35, 0, 365, A, "MODEL.md §4.3",
             "Mean referral delay (exponential) in the baseline.");
    d.scalar("referral.min_delay_days", "days", 2, 0, 60, A, "", "Minimum referral delay (processing).");
    d.table("referral.need_by_phase", "probability", kPhase, kService,
            {0.20, 0.10, 0.35,   // stable
             0.35, 0.40, 0.60,   // unstable
             0.60, 0.85, 0.80,   // deteriorating
             0.75, 0.90, 0.90},  // dying
            0, 1, A,
            "MODEL.md §4.3-4.4; hospice reach (evidence.md §5.2) and SPPC referral (Fraser 2013: 28% of deaths)",
            "Chance that a child identified (or escalating) in this phase needs a referral to each service type; "
            "drawn again at each escalation to deteriorating or dying.");
    d.array("referral.standard_acceptance", "probability", kCat, {1.0, 1.0, 1.0, 0.95}, 0, 1, A,
            "common standards: one set of criteria (MODEL.md §4.5)",
            "Acceptance probability by category under common network standards.");
    d.array("referral.caseload_per_unit", "children", kService, {30, 40, 20}, 0, 1000, A,
            "evidence-capacity-costs.md §5: hospice 16-35 families per bed (CQC reports); SPPC 30-60 per clinical "
            "WTE, CCN 15-25 per WTE [A]",
            "Caseload limit per staffed hospice bed, or per effective SPPC or CCN WTE (0 = no limit). Above it, "
            "referrals of stable and unstable children wait; deteriorating and dying children are always taken.");
    d.scalar("referral.waitlist_recheck_days", "days", 7, 1, 90, A, "Acorns: bookings reviewed weekly",
             "How often a waiting referral is looked at again.");
    d.scalar("referral.waitlist_max_days", "days", 90, 1, 730, A, "evidence-capacity-costs.md §5: 60 (30-120)",
             "A referral still waiting after this many days is refused under load.");
    d.scalar("referral.sppc_discharge_stable_days", "days", 180, 0, 3650, A,
             "evidence-capacity-costs.md §1.4: 6-18 months on an SPPC caseload; Bedendo 2023: 131 new referrals "
             "a team a year",
             "A child stable this long leaves the SPPC caseload (re-referred at the next escalation); 0 = never.");
}

void declare_care(Declarations& d) {
    d.scalar("care.respite_nights_per_year", "nights per year", 7, 0, 60, D,
             "evidence-capacity-costs.md §2.4: 6-7.6 nights per child supported (Martin House 2018, Shooting Star "
             "2019); 12 is Acorns' maximum; range 4-10",
             "Short-break nights requested per stable child on a hospice caseload per year (mean).");
    d.scalar("care.hospice_choice_tau_minutes", "minutes", 30, 0, 240, A,
             "evidence-capacity-costs.md §2.6: 30 (15-60); Acorns and CHSW: home hospice first",
             "Distance decay of the choice among overlapping hospice catchments: weight beds x exp(-minutes / tau); "
             "0 = the nearest.");
    d.scalar("care.hospice_one_to_one_units", "beds", 2, 1, 4, A,
             "evidence-capacity-costs.md §2.2: one-to-one care at the end of life and in symptom stays (Helen & "
             "Douglas House, EACH), about 1:2 for stable short breaks; Little Harbour staffed 2 of 6 beds; range "
             "1.5-2.5",
             "Staffed hospice beds (counted at the short-break ratio) that one child at the end of life or in a "
             "symptom-management stay takes, for one-to-one care; the dedicated end-of-life beds have their own "
             "staff.");
    d.scalar("care.respite_stay_nights", "nights", 3, 1, 14, E, "Acorns: 3-4 night stays",
             "Nights per short-break stay.");
    d.scalar("care.respite_max_wait_days", "days", 28, 1, 365, A, "",
             "A short-break request not started within this many days lapses; its nights are unmet.");
    d.scalar("care.symptom_stay_prob", "probability", 0.3, 0, 1, A, "MODEL.md §4.4",
             "Chance an unstable child on a hospice caseload asks for a symptom-management stay.");
    d.scalar("care.symptom_stay_nights", "nights", 4, 1, 28, A, "", "Nights of a symptom-management stay.");
    d.scalar("care.symptom_max_wait_days", "days", 7, 1, 365, A, "",
             "A symptom-management stay not started within this many days lapses; its nights are unmet.");
    d.scalar("care.respite_interval_spread", "fraction", 0.5, 0, 1, A, "",
             "Short breaks fall due at the mean interval times a uniform factor in [1 - spread, 1 + spread].");
    d.array("care.ccn_visit_interval_days", "days", kPhase, {30, 3, 3, 1}, 1, 365, A, "MODEL.md §4.4",
            "Days between CCN visits for a child on a CCN caseload, by phase.");
    d.array("care.sppc_contact_interval_days", "days", kPhase, {180, 7, 5, 2}, 1, 730, A, "MODEL.md §4.4",
            "Days between SPPC contacts for a child on an SPPC caseload, by phase.");
    d.array("care.hospice_home_visit_interval_days", "days", kPhase, {90, 14, 7, 3}, 1, 730, A, "MODEL.md §4.4",
            "Days between hospice-at-home visits for a child on a hospice caseload, by phase.");
    d.scalar("care.visit_max_wait_days", "days", 14, 1, 365, A, "",
             "A visit or contact not given within this many days (or its interval, if shorter) is missed; "
             "every day it waits counts as a day of unmet need.");
    d.scalar("care.acp_prob_per_contact", "probability", 0.12, 0, 1, A, "MODEL.md §4.4; calibrated loosely",
             "Chance an SPPC or hospice contact with a deteriorating or dying child completes an ACP.");
    d.scalar(
        "care.adequate_share", "fraction of care due", 0.8, 0.01, 1, A,
        "outcome definition (no published threshold; 0.8 is a common adherence cut-off)",
        "A child's care counts as adequate in a year when the visits, contacts and hospice nights given reach this "
        "share of those due (adequate_care_rate).");
    d.scalar("care.acp_prob_stable_contact", "probability", 0.02, 0, 1, A, "",
             "Chance an SPPC contact with a stable or unstable child completes an ACP.");
}

void declare_staff(Declarations& d) {
    d.array("staff.working_days_per_wte", "days per year", kTeam, {205, 207}, 150, 260, D,
            "evidence-capacity-costs.md §1.1: 260 weekdays - 8 bank holidays - 29 days' leave - 5.6% sickness - "
            "4 days' training = 207 (Agenda for Change nurse; range 200-215); consultants about 200 (42 weeks); "
            "SPPC teams are about a quarter consultants",
            "Working days a year per WTE, by team type.");
    d.scalar("staff.hours_per_day", "hours", 7.5, 4, 12, E, "Agenda for Change: 37.5-hour week",
             "Working hours in a day.");
    d.array("staff.patient_time_share", "fraction", kTeam, {0.60, 0.60}, 0.1, 1, D,
            "evidence-capacity-costs.md §1.2-1.3: face-to-face 0.40 (CCN; SPPC 0.45 with telephone advice) + "
            "travel 0.20 (0.15); PSSRU: patient-related work 0.67 of hours worked (an upper bound); range 0.45-0.67",
            "Share of working time spent with children and families or travelling to them (the rest: records, "
            "communication, supervision, management, on call).");
    d.array("staff.contact_minutes", "minutes", kTeam, {60, 60}, 5, 240, A,
            "evidence-capacity-costs.md §1.3: CCN visit 60 (45-90); SPPC: a telephone contact half a visit, a "
            "home visit 1.5 (no source found); range 45-90",
            "Length of one contact (visit, consultation or advice call), travel excluded.");
    d.array("staff.home_visit_share", "fraction", kTeam, {0.5, 1.0}, 0, 1, A,
            "evidence-capacity-costs.md §1.3: CCN work is home visiting; SPPC contacts mix home visits, clinics, "
            "wards and telephone advice (range 0.3-0.7)",
            "Share of contacts that need travel to the child's home.");
    d.array("staff.local_travel_minutes", "minutes", kSettlement, {20, 45}, 0, 240, A,
            "evidence-capacity-costs.md §1.3: urban 20 (15-30), rural 45 (30-70); community nurses: travel is a "
            "distance issue in rural areas, congestion in towns",
            "Travel per home visit between children within an area, mixed by its rural share; visits in another "
            "area add the one-way drive from the team's base (travel matrix).");
}

void declare_admission(Declarations& d) {
    d.array("admission.rate_per_year", "per year", kPhase, {0.17, 7.8, 7.0, 10.0}, 0, 365, A,
            "stable calibrated to C9 as Jarvis 2017 count it (14% with an emergency admission >= 48 h or to PICU in a "
            "year); others A: the former rates times the "
            "former no-ACP ratio (1.3; deteriorating also no-24/7, 1.4), so that unsupported children keep their "
            "hazard; dying 10 keeps hospital deaths at C8",
            "Hazard of an unplanned admission for a child at home with no community support (support level 0), "
            "by phase.");
    d.scalar("admission.unmet_need_window_days", "days", 7, 0, 365, A, "MODEL.md §4.4",
             "A child with unmet need in the last this many days counts one support level lower.");
    d.scalar("admission.rr_community", "ratio", 0.95, 0.8, 1, A, "evidence-capacity-costs.md §4.3: 0.95 (0.85-1.0)",
             "Admission ratio (deteriorating and dying children) at support level 1: on a CCN, SPPC or hospice "
             "caseload, without the specialist pathway.");
    d.scalar("admission.rr_specialist", "ratio", 0.85, 0.6, 1, A,
             "evidence-capacity-costs.md §4.3: 0.85 (0.7-1.0); Fraser 2013 no significant emergency effect",
             "Admission ratio (deteriorating and dying) at support level 2: SPPC or hospice caseload with an ACP.");
    d.scalar("admission.rr_specialist_24_7", "ratio", 0.70, 0.5, 1, A,
             "evidence-capacity-costs.md §4.3: 0.70 (0.5-1.0); Chameleon 0.49-0.70 uncontrolled; Chong 2018",
             "Admission ratio (deteriorating and dying) at support level 3: level 2 and 24/7 cover in the area. "
             "One ratio per pathway, never a product of overlapping ratios.");
    d.scalar("admission.picu_rr_specialist", "ratio", 0.6, 0.4, 1, A,
             "evidence-capacity-costs.md §4.3: 0.6 (0.4-0.9); Lin 2021, Taylor 2020 (direction)",
             "Ratio of the PICU chance of an admission at support level 2 or 3.");
    d.array("admission.mean_stay_days", "days", kPhase, {3, 6, 8, 10}, 1, 120, A, "",
            "Mean length of an unplanned stay, by phase at admission.");
    d.array("admission.picu_prob", "probability", kPhase, {0.05, 0.15, 0.15, 0.10}, 0, 1, A, "",
            "Chance an unplanned admission goes to PICU (needs a PICU hospital).");
}

void declare_end_of_life(Declarations& d) {
    d.array("eol.preference", "probability", kPlace, {0.52, 0.30, 0.18}, 0, 1, D,
            "NICE 2017: 68% would prefer home (80% last month); hospice/hospital split A",
            "Preferred place of death of the family (normalised).");
    d.as_weights();
    d.array("eol.preference_cancer_ratio", "ratio", kPlace, {1.3, 1.5, 1.0}, 0, 10, D,
            "Gibson-Smith 2021: cancer more likely home/hospice", "Preference ratio for oncology diagnoses.");
    d.array("eol.preference_neonate_ratio", "ratio", kPlace, {0.25, 0.25, 1.0}, 0, 10, D,
            "Gibson-Smith 2021: neonates least likely to die out of hospital",
            "Preference ratio for children dying in their first 28 days.");
    d.array("eol.preference_q5_ratio", "ratio", kPlace, {1.0, 1.0, 1.0}, 0, 10, A,
            "no documented preferences by deprivation found (evidence-eol-rota-equity.md 4.3); the place-of-death "
            "gradient is in eol.achievement_quintile_ratio",
            "Preference ratio for the most deprived quintile (1 = none; a scenario lever).");
    d.array("eol.preference_minority_ratio", "ratio", kPlace, {1.0, 1.0, 1.0}, 0, 10, A,
            "no documented preferences by ethnicity found (evidence-eol-rota-equity.md 4.3); the place-of-death "
            "gradient is in eol.achievement_ethnicity_ratio",
            "Preference ratio for ethnic minority families (1 = none; a scenario lever).");
    d.array("eol.recognition_prob", "probability", kCat, {0.85, 0.5, 0.6, 0.35}, 0, 1, A,
            "evidence-eol-rota-equity.md 1.1: Wolfe 2000 (cancer), Brook & Hain 2008 (ACT 4); ranges 0.7-0.95, "
            "0.3-0.7, 0.4-0.8, 0.2-0.5",
            "Chance that dying is recognised when the dying phase starts, by ACT category (otherwise the death is "
            "unplanned: sudden, or an acute episode not seen as terminal).");
    d.scalar("eol.late_recognition_prob", "probability", 0.5, 0, 1, A,
             "BMC Pediatr 2011;11:39 (PICU withdrawal): decisions days before death; Brook & Hain 2008",
             "Chance that dying not recognised at its start is recognised later in the phase (in the last "
             "eol.late_recognition_days days).");
    d.scalar("eol.late_recognition_days", "days", 3, 0, 28, A,
             "BMC Pediatr 2011;11:39: median 2.8 days discussion to decision",
             "Days before death at which late recognition happens.");
    d.scalar("eol.picu_withdrawal_prob", "probability", 0.55, 0, 1, D,
             "Sands 2009: 55% of deaths in a UK PICU followed managed withdrawal (Netherlands 28%, Melbourne 75%)",
             "Chance that dying not otherwise recognised is recognised in intensive care (a withdrawal decision) "
             "when the dying child is there.");
    d.scalar("eol.neonatal_recognition_prob", "probability", 0.5, 0, 1, D,
             "Harnden 2023: 51% of neonatal-unit deaths met no palliative-care category beforehand",
             "Chance dying is recognised for a neonate (first eol.neonatal_days days).");
    d.scalar("eol.unidentified_hospital_prob", "probability", 0.6, 0, 1, A,
             "calibrated to C8 (with the dying-phase admissions that follow)",
             "Chance a dying child without palliative-care involvement, or whose dying is not recognised, is in "
             "hospital at the start of the dying phase (being known without a service changes nothing).");
    d.scalar("eol.served_no_acp_hospital_prob", "probability", 0.30, 0, 1, A,
             "calibrated to C8 (with the dying-phase admissions that follow)",
             "Same for a child on an SPPC or hospice caseload whose dying is recognised but who has no ACP.");
    d.array("eol.achievement_prob", "probability", L{"with_cover", "without_cover"}, {0.88, 0.5}, 0, 1, D,
            "with: All-Wales PPC MCN 88%, Vickers 2007 80% (range 0.8-0.9); without: [A] 0.4-0.6",
            "Chance a recognised child on a service with an ACP starts dying at a preferred home or hospice, with and "
            "without 24/7 cover in the area (a hospice also needs a bed).");
    d.array("eol.achievement_quintile_ratio", "ratio", kQuint, {1.0, 1.0, 1.0, 1.0, 0.8}, 0, 2, D,
            "Gibson-Smith 2021: most deprived hospice-death RR 0.8; Fraser 2017; Macfarlane (range 0.65-1)",
            "Ratio of the chance of achieving a home or hospice preference, by IMD quintile (housing, carers).");
    d.array("eol.achievement_ethnicity_ratio", "ratio", kEth, {1.0, 0.6, 0.8, 0.8}, 0, 2, D,
            "Fraser 2017: South Asian OR 0.48 after PICU; Wolff 2021: immigrant aOR 0.6; Gibson-Smith 2021 "
            "(all minorities less hospice); ranges 0.45-0.8, 0.6-1",
            "Ratio of the chance of achieving a home or hospice preference, by ethnic group.");
    d.scalar("eol.inpatient_sppc_consult_prob", "probability", 0.39, 0, 1, D,
             "Meert 2015: palliative care consulted for 39% (12-46%) of PICU deaths after a limitation discussion",
             "Chance an SPPC team sees a recognised dying inpatient not on its caseload (where one serves the area).");
    d.scalar("eol.inpatient_acp_prob", "probability", 0.7, 0, 1, D,
             "All-Wales 66% and Peláez-Cantero 2023 76% preference known under PPC teams",
             "Chance an SPPC team seeing a recognised dying inpatient completes a plan with a preferred place.");
    d.scalar("eol.picu_transfer_prob", "probability", 0.15, 0, 1, A,
             "evidence-eol-rota-equity.md 1.2: Morton 2019, Noje 2017 2.6 per 100 PICU deaths; range 0.05-0.3",
             "Chance a dying child in intensive care with an SPPC team, a plan and a home or hospice preference is "
             "transferred out to die (once, at the withdrawal decision; needs 24/7 cover for home).");
    d.scalar("eol.neonatal_days", "days", 28, 0, 365, E, "WHO: the neonatal period is the first 28 days",
             "A child dying within this many days of birth is a neonate for place-of-death preference and "
             "eol.neonatal_hospital_prob.");
    d.scalar("eol.neonatal_hospital_prob", "probability", 0.95, 0, 1, D, "NCMD 2025: neonatal deaths in hospital",
             "Chance a child dying in the first 28 days of life is in hospital (neonatal unit).");
    d.scalar("eol.ooh_acp_visible_prob", "probability", 0.5, 0, 1, A, "MODEL.md §4.5 shared records",
             "Without shared records, chance out-of-hours staff can see the ACP during an admission decision "
             "(if not, the admission goes ahead regardless of the ACP).");
    d.scalar("eol.rapid_transfer_prob", "probability", 0.25, 0, 1, A, "",
             "Daily chance a dying child on a ward (not intensive care) with an SPPC team, an ACP and a home "
             "preference is transferred home, on nights the area has 24/7 cover.");
}

void declare_network(Declarations& d) {
    d.scalar("network.coordinator_wte", "WTE", 0, 0, 5, A, "Papworth 2021: paid coordinator",
             "Paid network coordinator (0 = none). Keeps a regional register.");
    d.scalar("network.leadership", "0-1", 0, 0, 1, A, "Papworth 2021: enthusiastic leads",
             "Strength of clinical leadership and clear ways to get involved.");
    d.scalar("network.early_wins", "0-1", 0, 0, 1, A, "Papworth 2021; Brown 2016",
             "Shared early wins feeding engagement.");
    d.scalar("network.initial_engagement", "0-1", 0.2, 0, 1, A, "Papworth 2021: partial, inconsistent engagement",
             "Engagement of each member at the start of the warm-up.");
    d.scalar("network.engagement_rise_per_year", "per year", 1.2, 0, 20, A, "",
             "Rate at which engagement rises towards 1 per unit of drive.");
    d.array("network.engagement_rise_ratio", "ratio", kProviderType, {0.8, 1.2, 0.6, 0.5}, 0, 10, A,
            "evidence-eol-rota-equity.md 3 (Papworth 2021: NHS and non-NHS members differ); ranges 0.5-1.2, "
            "0.8-1.5, 0.3-1, 0.2-0.8",
            "Rise rate of each member type relative to network.engagement_rise_per_year (charity hospices, tertiary "
            "SPPC teams, community nursing, hospitals).");
    d.scalar("network.engagement_spread", "sd of log", 0.5, 0, 2, A,
             "NSW: networks of one model rated high, moderate or low impact (range 0.3-0.8)",
             "Spread between members: each member's rise rate is multiplied by a lognormal factor (mean 1) drawn "
             "once per replicate.");
    d.scalar("network.engagement_decay_per_year", "per year", 0.8, 0, 20, A, "Papworth 2021",
             "Rate at which engagement decays per unit of stress (funding and staffing shortfall) and "
             "without drive.");
    d.scalar(
        "network.engagement_churn_per_year", "per year", 0.6, 0, 10, A,
        "Papworth 2021: partial, inconsistent engagement",
        "Loss of engagement from staff turnover and competing demands, even with drive (keeps engagement partial).");
    d.scalar("network.coordinator_drive", "per WTE", 0.6, 0, 5, A, "",
             "Drive added by each coordinator WTE (up to network.coordinator_saturation_wte).");
    d.scalar("network.coordinator_saturation_wte", "WTE", 1, 0, 5, A, "",
             "Coordinator WTE beyond which drive and the register's gains no longer grow.");
    d.scalar("network.leaderless_stress", "stress", 0.25, 0, 5, A, "Papworth 2021: engagement fades without drive",
             "Stress added to every member's engagement decay while the network has no drive (no coordinator, "
             "leadership or early wins), on the scale of the staff shortfall (1 = no staff).");
    d.scalar("network.coordinator_identification_gain", "ratio-1", 0.6, 0, 5, A, "neonatal MCN analogue (Gale 2012)",
             "Identification hazard gain from the regional register at full engagement.");
    d.scalar("network.coordinator_delay_reduction", "fraction", 0.5, 0, 1, A, "",
             "Fraction by which the coordinator shortens referral delays.");
    d.scalar("network.coordinator_loss_reduction", "fraction", 0.6, 0, 1, A, "",
             "Fraction of referral losses the register prevents.");
    d.scalar("network.coordinator_equity_gain", "fraction", 0.5, 0, 1, A, "",
             "Fraction of the deprivation/ethnicity identification gap closed by the register (outreach).");
    d.scalar("network.training", "0-1", 0, 0, 1, A, "Papworth 2021", "Intensity of the training programme.");
    d.scalar("network.training_identification_gain", "ratio-1", 0.4, 0, 5, A, "evidence.md: SPPC referral x1.2-1.5",
             "Identification gain at full training and engagement.");
    d.scalar("network.training_acp_gain", "ratio-1", 0.4, 0, 5, A, "evidence.md: ACP +10 to +25 points",
             "Gain in ACP completion per contact at full training and engagement.");
    d.flag("network.common_standards", false, A, "Papworth 2021: lack of standards",
           "One set of acceptance criteria and ACP templates across engaged members.");
    d.scalar("network.standards_acp_gain", "ratio-1", 0.15, 0, 5, A, "", "ACP completion gain from common templates.");
    d.flag(
        "network.shared_records", false, A, "Papworth 2021: difficulty sharing information",
        "Shared records: referrals not lost, shorter handovers, no duplicate assessments, ACP visible out of hours.");
    d.scalar("network.records_delay_reduction", "fraction", 0.3, 0, 1, A, "",
             "Referral delay reduction from shared records.");
    d.scalar("network.records_capacity_gain", "fraction", 0.05, 0, 0.5, A, "",
             "Community and SPPC capacity freed by avoiding duplicate assessments.");
    d.flag("network.pooled_capacity", false, A, "Monks 2016; Vanberkel (pooling)",
           "A child can be served by any engaged member within the travel limit when the home provider is full.");
    d.scalar("network.pooling_max_travel_minutes", "minutes", 60, 0, 600, A, "", "Travel limit for pooled capacity.");
    d.flag("network.rota_24_7", false, A, "NICE NG61 / QS160 statement 6",
           "Shared 24/7 advice rota of engaged members' consultants and nurses: staffed in proportion to their "
           "engagement, so on its own, with no coordinator, leadership or early wins to drive engagement, it is "
           "not staffed (a region-wide rota alone leaves the areas with 24/7 cover at 27%; docs/model.md).");
    d.scalar("network.rota_consultant_share", "fraction", 0.25, 0, 1, D,
             "evidence-eol-rota-equity.md 2.2: Y&H has 2-3 consultant WTE among about 9.5 SPPC WTE",
             "Share of SPPC staff who are consultants (second tier of the advice rota); the rest are nurses "
             "(first tier).");
    d.scalar("network.rota_wte_per_person", "WTE", 0.8, 0.1, 1, A, "", "Mean WTE per person, to count people.");
    d.scalar("network.rota_min_consultants", "people", 4, 0, 20, A,
             "evidence-eol-rota-equity.md 2.2: 1-in-4 non-resident rota (range 3-6); RCPCH example needed 6",
             "People needed on the consultant tier to cover every night; fewer cover a proportional share of "
             "nights.");
    d.scalar("network.rota_min_nurses", "people", 6, 0, 30, A, "evidence-eol-rota-equity.md 2.2 (range 5-10)",
             "People needed on the nurse (first) tier, and on an out-of-hours nursing team covering another area.");
    d.scalar("network.rota_adult_consultants", "people", 0, 0, 20, A, "evidence-eol-rota-equity.md 2.2 option (c)",
             "Adult palliative medicine consultants joining the consultant tier (a scenario lever).");
    d.flag("network.rota_joint_nursing", false, A, "TfSL 2022: commissioning is the binding constraint (19% fully)",
           "Out-of-hours nursing commissioned across authorities: an engaged commissioned team within the pooling "
           "travel limit covers areas without their own (in proportion to its engagement and staffing).");
    d.scalar("network.rota_daytime_loss_wte", "WTE", 0.1, 0, 1, A,
             "[A] range 0.05-0.2 (evidence-eol-rota-equity.md 2.2)",
             "Daytime WTE lost per person-slot of the rota (shared by those on it; also per area an out-of-hours "
             "team covers for another).");
    d.scalar("network.coordinator_cost_gbp", "GBP per WTE-year", 65000, 0, 1e6, A, "evidence.md: GBP 50-70k",
             "Cost of a coordinator WTE.");
    d.scalar("network.running_cost_gbp", "GBP per year", 35000, 0, 1e7, A, "evidence.md: GBP 20-50k",
             "Running costs (meetings, events, data) when any mechanism is on.");
    d.scalar("network.training_cost_gbp", "GBP per year", 40000, 0, 1e7, A, "", "Training programme at intensity 1.");
    d.scalar("network.records_cost_gbp", "GBP per year", 80000, 0, 1e7, A, "", "Shared record system.");
    d.scalar("network.rota_consultant_gbp", "GBP per person-year", 6000, 0, 1e6, A,
             "[A] range GBP 3-10k (on-call supplement rates not traced)",
             "On-call payment per consultant on the rota.");
    d.scalar("network.rota_nurse_gbp", "GBP per person-year", 8000, 0, 1e6, A,
             "evidence-eol-rota-equity.md 2.2 (GBP 6-10k)", "On-call payment per nurse on the rota.");
    // The levers a [[local_network]] block may set for an ICB or a list of areas (docs/scenarios.md).
    d.as_local({"network.coordinator_wte", "network.leadership", "network.early_wins", "network.training",
                "network.common_standards", "network.shared_records", "network.pooled_capacity", "network.rota_24_7"});
}

void declare_funding(Declarations& d) {
    d.scalar("funding.statutory_multiplier", "ratio", 1.0, 0, 10, A, "scenario lever",
             "Multiplies every provider's statutory income (commissioner funding level).");
    d.scalar("funding.charitable_multiplier", "ratio", 1.0, 0, 10, A, "scenario lever",
             "Multiplies every provider's charitable income.");
    d.array("funding.statutory_by_type", "ratio", kProviderType, {1.0, 1.0, 1.0, 1.0}, 0, 10, A, "scenario lever",
            "Multiplies the statutory income of every provider of one type, on top of "
            "funding.statutory_multiplier (sweepable by element, e.g. funding.statutory_by_type.ccn).");
    d.scalar("funding.charitable_volatility", "SD of yearly ratio", 0.10, 0, 1, A, "evidence.md: +-10%",
             "Year-to-year volatility of charitable income.");
    d.array("funding.vacancy_rate", "fraction", kProviderType, {0.184, 0.105, 0.105, 0.105}, 0, 0.9, E,
            "TfSL 2022: hospice vacancies 18.4%; NHS nursing 10.5%", "Staff vacancy rate by provider type.");
    d.scalar("funding.vacancy_monthly_sd", "fraction", 0.03, 0, 0.5, A, "",
             "Month-to-month fluctuation in vacancy rates.");
    d.scalar("funding.vacancy_max", "fraction", 0.95, 0, 1, A, "",
             "Upper limit of a month's vacancy rate after the fluctuation.");
    d.scalar(
        "funding.closure_threshold", "fraction of baseline staff", 0.65, 0, 1, A,
        "Bluebell Wood closed temporarily in 2022 for lack of staff",
        "A provider whose effective staff fall below this fraction of its baseline closes its beds for the month.");
    d.array("funding.post_cost_gbp", "GBP per WTE-year", kProviderType, {64300, 83700, 50000, 60000}, 10000, 300000, D,
            "providers.csv baseline budget per clinical WTE: hospices GBP 21.8m / 339 WTE, SPPC GBP 0.80m / 9.5 WTE, "
            "CCN GBP 1.89m / 37.7 WTE (SOURCES.md sec 3-5); hospital [A]; range [A] +-25%",
            "Cost of one new post (WTE-year, all costs) added by a [[funding_change]] with wte = ..., by provider "
            "type.");
    d.array(
        "funding.out_of_hours_cost_gbp", "GBP per provider-year", kProviderType, {60000, 110000, 60000, 0}, 0, 1000000,
        D,
        "evidence-capacity-costs.md 3.4: a tier of 6 nurses on call GBP 40-80k a year (availability agreed locally, "
        "AfC Annex 29; call-outs at time +30-60%, RCN); SPPC adds a consultant second tier (4-5 x a 3-5% "
        "availability supplement + emergency PAs) GBP 70-190k; hospice [A] 40-100k (night staff and medical "
        "cover already on its unit); hospital none",
        "Cost a year of out-of-hours (24/7) cover ADDED by a [[funding_change]] with out_of_hours = true, by provider "
        "type: a full on-call rota of its own (availability payments and call-outs), so daytime capacity is "
        "unchanged. Cover flagged in the providers table costs nothing more: it is inside the published budgets.");
    d.scalar("funding.bed_headroom", "ratio", 1.25, 1, 3, A, "",
             "Physical beds as a multiple of the beds staffed at baseline funding (more money can open them).");
}

void declare_costs(Declarations& d) {
    d.scalar("cost.hospital_bed_day_gbp", "GBP", 800, 0, 1e5, A, "NHS reference costs (paediatric ward), A",
             "Cost of a paediatric ward bed-day.");
    d.scalar("cost.picu_bed_day_gbp", "GBP", 3000, 0, 1e5, E, "NICE 2016: GBP 849-4,824", "Cost of a PICU bed-day.");
    d.scalar("cost.hospice_bed_night_gbp", "GBP", 1200, 0, 1e5, D, "evidence.md §5.8",
             "Activity value of a hospice bed-night (for cost per activity; budgets drive capacity).");
    d.scalar("cost.hospice_night_marginal_gbp", "GBP", 900, 0, 1e5, D,
             "evidence-capacity-costs.md §3.3: 1:1 care staff for 24 h at about GBP 36/h plus consumables; "
             "GBP 700-1,200",
             "Marginal cost of one more occupied hospice night (short break, symptom or end of life).");
    d.scalar("cost.hospice_home_visit_gbp", "GBP", 120, 0, 1e5, D,
             "evidence-capacity-costs.md §3.3: 3 h (Shooting Star) x GBP 36-45/h; GBP 110-135",
             "Marginal cost of one more hospice-at-home visit, travel included.");
    d.scalar("cost.ccn_visit_gbp", "GBP", 60, 0, 1e5, A,
             "PSSRU 2010: GBP 39 per district-nursing face-to-face contact (2009 prices), uplifted; GBP 45-90",
             "Marginal cost of one more community children's nursing visit, travel included.");
    d.scalar("cost.sppc_contact_gbp", "GBP", 100, 0, 1e5, A,
             "PSSRU 2014: GBP 64-74 per patient-related hour of a community specialist nurse (2013/14 prices), "
             "uplifted, with some consultant time; GBP 70-160",
             "Marginal cost of one more SPPC contact (home visit or telephone advice averaged).");
}

void declare_geography(Declarations& d) {
    d.scalar("geography.road_factor", "ratio", 1.3, 1, 3, A, "MODEL.md §2", "Road distance / straight-line distance.");
    d.scalar("geography.speed_kmh", "km/h", 50, 5, 130, A, "MODEL.md §2", "Mean travel speed.");
}

std::vector<ParamSpec> declare() {
    Declarations d;
    declare_run(d);
    declare_population(d);
    declare_phase(d);
    declare_identification(d);
    declare_referral(d);
    declare_care(d);
    declare_staff(d);
    declare_admission(d);
    declare_end_of_life(d);
    declare_network(d);
    declare_funding(d);
    declare_costs(d);
    declare_geography(d);
    return d.take();
}

}  // namespace

const ParamRegistry& model_parameters() {
    static const ParamRegistry registry(with_priors(declare()));
    return registry;
}

}  // namespace cpcsim
