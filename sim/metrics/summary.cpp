#include "metrics/summary.hpp"

#include <cmath>
#include <limits>
#include <numeric>

namespace cpcsim {

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

double ratio(double a, double b) {
    return b > 0 ? a / b : kNaN;
}

struct Totals {
    const RunOutputs& run;
    [[nodiscard]] double monthly(MonthlyVar v) const {
        return static_cast<double>(run.monthly_total(0, run.months, v));
    }
    [[nodiscard]] double annual(AnnualVar v) const {
        double s = 0;
        for (int y = 0; y < run.years; ++y) s += static_cast<double>(run.annual_total(y, v));
        return s;
    }
};

/// Everything the measures are computed from: totals over the reported horizon of one run.
struct Aggregates {
    Totals t;
    double years = 0, pop = 0;
    std::array<double, kQuintiles> pop_q{}, kids_q{};
    std::array<double, kEthnicGroups> pop_e{}, kids_e{};
    double under1 = 0, deaths_under1 = 0, deaths_all = 0, congenital = 0, all_children = 0;
    double children = 0, deaths = 0;
    double hospice_stat = 0, hospice_all = 0, stat = 0, charity = 0;
    double picu_days = 0, hospital_cost = 0, network_cost = 0, total_cost = 0;
    double care_given_cost = 0, unmet_need_cost = 0, care_given_statutory = 0;
    double hospice_nights = 0, staffed_bed_nights = 0;
    double cover_days = 0, area_days = 0, referrals = 0, reached = 0, white = 0;
    EquitySummary eq{}, eq_place{};
    /// Prevalence per 10,000 children in IMD quintile q.
    [[nodiscard]] double prev_q(std::size_t q) const { return ratio(kids_q[q] / years, pop_q[q]) * 10000.0; }
};

Aggregates aggregate(const Scenario& scenario, const ModelParams& params, const RunOutputs& run) {
    Aggregates x{.t = Totals{run}};
    const Totals& t = x.t;
    x.years = run.years;
    for (const auto& a : scenario.areas) {
        x.pop += a.population_0_19;
        for (std::size_t q = 0; q < kQuintiles; ++q) x.pop_q[q] += a.population_0_19 * a.quintile_share[q];
        for (std::size_t e = 0; e < kEthnicGroups; ++e) x.pop_e[e] += a.population_0_19 * a.ethnic_share[e];
    }
    // Children by quintile and ethnic group over the horizon (child-years).
    for (int y = 0; y < run.years; ++y)
        for (std::size_t cl = 0; cl < run.cells; ++cl) {
            const double n = run.annual[(static_cast<std::size_t>(y) * run.cells + cl) * kAnnualVars +
                                        static_cast<int>(AnnualVar::children)];
            const std::size_t q = (cl / (kEthnicGroups * kRural)) % kQuintiles;
            const std::size_t e = (cl / kRural) % kEthnicGroups;
            x.kids_q[q] += n;
            x.kids_e[e] += n;
        }
    for (int y = 0; y < run.years; ++y) {
        x.under1 += run.children_by_age[static_cast<std::size_t>(y) * kAgeBands];
        x.deaths_under1 += run.deaths_by_age[static_cast<std::size_t>(y) * kAgeBands];
        for (int b = 0; b < kAgeBands; ++b)
            x.deaths_all += run.deaths_by_age[static_cast<std::size_t>(y) * kAgeBands + static_cast<std::size_t>(b)];
        x.congenital += run.children_by_diagnosis[static_cast<std::size_t>(y) * kDiagnoses];
        for (int d = 0; d < kDiagnoses; ++d)
            x.all_children +=
                run.children_by_diagnosis[static_cast<std::size_t>(y) * kDiagnoses + static_cast<std::size_t>(d)];
    }
    x.children = t.annual(AnnualVar::children);
    x.deaths = t.annual(AnnualVar::deaths);
    // Costs.
    for (int y = 0; y < run.years; ++y)
        for (int p = 0; p < run.providers; ++p) {
            const auto base =
                (static_cast<std::size_t>(y) * static_cast<std::size_t>(run.providers) + static_cast<std::size_t>(p)) *
                kProviderVars;
            const double s = run.provider[base + static_cast<int>(ProviderVar::statutory_gbp)];
            const double c = run.provider[base + static_cast<int>(ProviderVar::charitable_gbp)];
            x.stat += s;
            x.charity += c;
            if (scenario.providers[static_cast<std::size_t>(p)].type == ProviderType::Hospice) {
                x.hospice_stat += s;
                x.hospice_all += s + c;
                // Mean staffed beds of the year (0 while closed) x nights in the year.
                x.staffed_bed_nights += run.provider[base + static_cast<int>(ProviderVar::capacity_per_day)] * 365.0;
            }
        }
    x.picu_days = t.monthly(MonthlyVar::picu_days);
    const double ward_days = t.monthly(MonthlyVar::bed_days) - x.picu_days;
    x.hospital_cost = ward_days * params.cost.hospital_bed_day + x.picu_days * params.cost.picu_bed_day;
    x.network_cost = std::accumulate(run.network_cost.begin(), run.network_cost.end(), 0.0);
    x.total_cost = x.stat + x.charity + x.hospital_cost + x.network_cost;
    // Care given and care not given, valued at marginal unit costs: what extra (or less) activity
    // costs, and what meeting the unmet need would cost (docs/model.md, costs).
    const auto& k = params.cost;
    using M = MonthlyVar;
    const double nights_given = t.monthly(M::respite_nights_received) + t.monthly(M::symptom_nights_received) +
                                t.monthly(M::eol_hospice_nights_received);
    const double nights_unmet =
        t.monthly(M::unmet_nights_respite) + t.monthly(M::unmet_nights_symptom) + t.monthly(M::unmet_days_eol);
    const double hospice_given =
        nights_given * k.hospice_night_marginal + t.monthly(M::hospice_home_visits_received) * k.hospice_home_visit;
    const double nhs_given =
        t.monthly(M::ccn_visits_received) * k.ccn_visit + t.monthly(M::sppc_contacts_received) * k.sppc_contact;
    x.care_given_cost = hospice_given + nhs_given;
    x.hospice_nights = nights_given;
    x.unmet_need_cost =
        nights_unmet * k.hospice_night_marginal + t.monthly(M::hospice_home_visits_missed) * k.hospice_home_visit +
        t.monthly(M::ccn_visits_missed) * k.ccn_visit + t.monthly(M::sppc_contacts_missed) * k.sppc_contact;
    // Each kind of care is paid in the statutory share of its providers' income.
    double nhs_stat = 0, nhs_all = 0;
    for (int y = 0; y < run.years; ++y)
        for (int p = 0; p < run.providers; ++p) {
            if (scenario.providers[static_cast<std::size_t>(p)].type == ProviderType::Hospice ||
                scenario.providers[static_cast<std::size_t>(p)].type == ProviderType::Hospital)
                continue;
            const auto base =
                (static_cast<std::size_t>(y) * static_cast<std::size_t>(run.providers) + static_cast<std::size_t>(p)) *
                kProviderVars;
            nhs_stat += run.provider[base + static_cast<int>(ProviderVar::statutory_gbp)];
            nhs_all += run.provider[base + static_cast<int>(ProviderVar::budget_gbp)];
        }
    x.care_given_statutory =
        hospice_given * ratio(x.hospice_stat, x.hospice_all) + nhs_given * ratio(nhs_stat, nhs_all);
    for (auto d : run.area_cover_days) x.cover_days += d;
    x.area_days = static_cast<double>(run.areas) * 365.0 * x.years;
    x.referrals = t.monthly(MonthlyVar::referrals);
    x.reached = t.annual(AnnualVar::reached);
    x.eq = access_equity(scenario, run, 0, run.years, false);
    x.eq_place = access_equity(scenario, run, 0, run.years, true);
    x.white = ratio(x.kids_e[0], x.pop_e[0]);
    return x;
}

/// One summary measure: its name, unit and meaning, and how it is computed, declared together.
struct MeasureDef {
    Measure info;
    double (*value)(const Aggregates&);
};

/// Every summary measure, in output order.
const std::vector<MeasureDef>& measure_defs() {
    static const std::vector<MeasureDef> defs = {
        {"children_per_year", "children", "children with an LLC alive in a year (mean over years)",
         [](const Aggregates& x) { return x.children / x.years; }},
        {"prevalence_per_10000", "per 10,000", "children with an LLC per 10,000 children aged 0-19 (C1)",
         [](const Aggregates& x) { return ratio(x.children / x.years, x.pop) * 10000.0; }},
        {"prevalence_under1_per_10000", "per 10,000", "children under 1 with an LLC per 10,000 infants (C2)",
         [](const Aggregates& x) { return ratio(x.under1 / x.years, x.pop * kBandYears[0] / 20.0) * 10000.0; }},
        {"entries_per_year", "children", "new children per year",
         [](const Aggregates& x) { return x.t.monthly(MonthlyVar::entries) / x.years; }},
        {"deaths_per_year", "deaths", "deaths of children with an LLC per year (C6)",
         [](const Aggregates& x) { return x.deaths / x.years; }},
        {"deaths_under1_share", "share", "share of deaths under age 1 (C7)",
         [](const Aggregates& x) { return ratio(x.deaths_under1, x.deaths_all); }},
        {"congenital_share", "share", "share of children with a congenital diagnosis (C5)",
         [](const Aggregates& x) { return ratio(x.congenital, x.all_children); }},
        {"ratio_south_asian_white", "ratio", "prevalence ratio South Asian vs White (C3)",
         [](const Aggregates& x) { return ratio(ratio(x.kids_e[1], x.pop_e[1]), x.white); }},
        {"ratio_black_white", "ratio", "prevalence ratio Black vs White (C3)",
         [](const Aggregates& x) { return ratio(ratio(x.kids_e[2], x.pop_e[2]), x.white); }},
        {"prevalence_q1", "per 10,000", "prevalence in IMD quintile 1 (least deprived) (C4)",
         [](const Aggregates& x) { return x.prev_q(0); }},
        {"prevalence_q2", "per 10,000", "prevalence in IMD quintile 2 (C4)",
         [](const Aggregates& x) { return x.prev_q(1); }},
        {"prevalence_q3", "per 10,000", "prevalence in IMD quintile 3 (C4)",
         [](const Aggregates& x) { return x.prev_q(2); }},
        {"prevalence_q4", "per 10,000", "prevalence in IMD quintile 4 (C4)",
         [](const Aggregates& x) { return x.prev_q(3); }},
        {"prevalence_q5", "per 10,000", "prevalence in IMD quintile 5 (most deprived) (C4)",
         [](const Aggregates& x) { return x.prev_q(4); }},
        {"phase_stable_share", "share", "most severe phase in the year: stable (C9)",
         [](const Aggregates& x) { return ratio(x.t.annual(AnnualVar::max_phase_stable), x.children); }},
        {"phase_unstable_share", "share",
         "unstable in the year as Jarvis 2017 count it: emergency admission >= 48 h or to PICU (C9)",
         [](const Aggregates& x) { return ratio(x.t.annual(AnnualVar::max_phase_unstable), x.children); }},
        {"phase_deteriorating_share", "share", "most severe phase in the year: deteriorating (C9)",
         [](const Aggregates& x) { return ratio(x.t.annual(AnnualVar::max_phase_deteriorating), x.children); }},
        {"phase_dying_share", "share", "dying (last 28 days) in the year, every year the phase overlaps (C9)",
         [](const Aggregates& x) { return ratio(x.t.annual(AnnualVar::max_phase_dying), x.children); }},
        {"death_hospital_share", "share", "deaths in hospital (C8)",
         [](const Aggregates& x) { return ratio(x.t.annual(AnnualVar::deaths_hospital), x.deaths); }},
        {"death_home_share", "share", "deaths at home (C8)",
         [](const Aggregates& x) { return ratio(x.t.annual(AnnualVar::deaths_home), x.deaths); }},
        {"death_hospice_share", "share", "deaths in a hospice (C8)",
         [](const Aggregates& x) { return ratio(x.t.annual(AnnualVar::deaths_hospice), x.deaths); }},
        {"hospice_statutory_share", "share", "statutory share of hospice spending (C10)",
         [](const Aggregates& x) { return ratio(x.hospice_stat, x.hospice_all); }},
        {"areas_24_7_share", "share", "share of area-days with 24/7 end-of-life cover at home (C11)",
         [](const Aggregates& x) { return ratio(x.cover_days, x.area_days); }},
        {"access_rate", "share", "children with any hospice or SPPC contact in the year / children with an LLC",
         [](const Aggregates& x) { return ratio(x.reached, x.children); }},
        {"known_rate", "share", "children known to palliative care in the year / children with an LLC",
         [](const Aggregates& x) { return ratio(x.t.annual(AnnualVar::known), x.children); }},
        {"preferred_place_rate", "share", "deaths at the family's preferred place / deaths",
         [](const Aggregates& x) { return ratio(x.t.annual(AnnualVar::deaths_preferred_place), x.deaths); }},
        {"acp_at_death_rate", "share", "deaths with an advance care plan / deaths",
         [](const Aggregates& x) { return ratio(x.t.annual(AnnualVar::deaths_with_acp), x.deaths); }},
        {"referrals_per_year", "referrals", "referrals made per year",
         [](const Aggregates& x) { return x.referrals / x.years; }},
        {"referral_lost_share", "share", "referrals lost / referrals",
         [](const Aggregates& x) { return ratio(x.t.monthly(MonthlyVar::referrals_lost), x.referrals); }},
        {"referral_refused_share", "share", "referrals refused / referrals",
         [](const Aggregates& x) { return ratio(x.t.monthly(MonthlyVar::referrals_refused), x.referrals); }},
        {"referral_mean_delay_days", "days", "mean delay of referrals not lost",
         [](const Aggregates& x) {
             return ratio(x.t.monthly(MonthlyVar::referral_delay_days),
                          x.referrals - x.t.monthly(MonthlyVar::referrals_lost));
         }},
        {"first_assessment_wait_days", "days", "mean wait from accepted SPPC referral to first contact",
         [](const Aggregates& x) {
             return ratio(x.t.monthly(MonthlyVar::first_assessment_wait_days),
                          x.t.monthly(MonthlyVar::first_assessments));
         }},
        {"first_assessments_per_year", "children", "first SPPC contacts after an accepted referral, per year",
         [](const Aggregates& x) { return x.t.monthly(MonthlyVar::first_assessments) / x.years; }},
        {"respite_nights_received_per_year", "nights", "short-break nights given per year",
         [](const Aggregates& x) { return x.t.monthly(MonthlyVar::respite_nights_received) / x.years; }},
        {"respite_nights_unmet_per_year", "nights", "short-break nights requested and not given per year",
         [](const Aggregates& x) { return x.t.monthly(MonthlyVar::unmet_nights_respite) / x.years; }},
        {"unmet_days_ccn_per_year", "child-days", "child-days with a nursing visit due and not given, per year",
         [](const Aggregates& x) { return x.t.monthly(MonthlyVar::unmet_days_ccn) / x.years; }},
        {"unmet_days_sppc_per_year", "child-days", "child-days with an SPPC contact due and not given, per year",
         [](const Aggregates& x) { return x.t.monthly(MonthlyVar::unmet_days_sppc) / x.years; }},
        {"unmet_days_eol_per_year", "child-days", "dying child-days waiting for a hospice bed, per year",
         [](const Aggregates& x) { return x.t.monthly(MonthlyVar::unmet_days_eol) / x.years; }},
        {"hospice_bed_occupancy", "share",
         "hospice bed-nights given (short breaks, symptom care, end of life) / staffed bed-nights (mean staffed beds "
         "x 365, none while closed)",
         [](const Aggregates& x) { return ratio(x.hospice_nights, x.staffed_bed_nights); }},
        {"unplanned_admissions_per_year", "admissions", "unplanned admissions per year",
         [](const Aggregates& x) { return x.t.monthly(MonthlyVar::unplanned_admissions) / x.years; }},
        {"bed_days_per_year", "bed-days", "hospital bed-days of unplanned admissions per year",
         [](const Aggregates& x) { return x.t.monthly(MonthlyVar::bed_days) / x.years; }},
        {"picu_days_per_year", "bed-days", "PICU bed-days per year",
         [](const Aggregates& x) { return x.picu_days / x.years; }},
        {"cost_total_per_year", "GBP", "provider expenditure + hospital activity + network, per year",
         [](const Aggregates& x) { return x.total_cost / x.years; }},
        {"cost_statutory_per_year", "GBP", "paid by the NHS and local authorities, per year",
         [](const Aggregates& x) { return (x.stat + x.hospital_cost + x.network_cost) / x.years; }},
        {"cost_charitable_per_year", "GBP", "paid by charity, per year",
         [](const Aggregates& x) { return x.charity / x.years; }},
        {"cost_hospital_per_year", "GBP", "unplanned hospital activity (ward and PICU), per year",
         [](const Aggregates& x) { return x.hospital_cost / x.years; }},
        {"cost_network_per_year", "GBP", "network costs per year",
         [](const Aggregates& x) { return x.network_cost / x.years; }},
        {"adequate_care_rate", "share",
         "children given at least care.adequate_share (80%) of the visits, contacts and hospice nights due in the "
         "year, counting care due while waiting for a caseload place / children with any due",
         [](const Aggregates& x) {
             return ratio(x.t.annual(AnnualVar::adequate_care), x.t.annual(AnnualVar::with_care_due));
         }},
        {"cost_care_given_per_year", "GBP",
         "care given (visits, contacts, hospice nights) valued at marginal unit costs, per year",
         [](const Aggregates& x) { return x.care_given_cost / x.years; }},
        {"cost_care_given_statutory_per_year", "GBP",
         "statutory part of cost_care_given_per_year (each provider type's statutory share), per year",
         [](const Aggregates& x) { return x.care_given_statutory / x.years; }},
        {"cost_unmet_need_per_year", "GBP",
         "missed visits and contacts and unmet hospice nights valued at marginal unit costs, per year",
         [](const Aggregates& x) { return x.unmet_need_cost / x.years; }},
        {"cost_per_child_reached", "GBP", "total cost per year / children reached per year",
         [](const Aggregates& x) { return ratio(x.total_cost, x.reached); }},
        {"access_sii", "rate difference", "slope index of inequality of access across IMD quintiles",
         [](const Aggregates& x) { return x.eq.sii; }},
        {"access_rii", "ratio", "relative index of inequality of access", [](const Aggregates& x) { return x.eq.rii; }},
        {"access_rate_ratio_q5_q1", "ratio", "access rate ratio, most vs least deprived quintile",
         [](const Aggregates& x) { return x.eq.rate_ratio_q5_q1; }},
        {"access_concentration_index", "index", "concentration index of access over deprivation rank",
         [](const Aggregates& x) { return x.eq.concentration_index; }},
        {"access_erreygers_index", "index", "Erreygers-corrected concentration index of access",
         [](const Aggregates& x) { return x.eq.erreygers_index; }},
        {"access_gini_areas", "index", "population-weighted Gini of area access rates",
         [](const Aggregates& x) { return x.eq.gini_areas; }},
        {"access_theil_areas", "index", "population-weighted Theil T of area access rates",
         [](const Aggregates& x) { return x.eq.theil_t_areas; }},
        {"access_cv_areas", "ratio", "coefficient of variation of area access rates",
         [](const Aggregates& x) { return x.eq.cv_areas; }},
        {"access_best_worst_ratio", "ratio", "best / worst area access rate",
         [](const Aggregates& x) { return x.eq.best_worst_ratio_areas; }},
        {"access_ratio_south_asian_white", "ratio", "access rate ratio South Asian vs White",
         [](const Aggregates& x) { return x.eq.rate_ratio_south_asian_white; }},
        {"access_ratio_black_white", "ratio", "access rate ratio Black vs White",
         [](const Aggregates& x) { return x.eq.rate_ratio_black_white; }},
        {"access_rural_urban_difference", "rate difference", "access rate rural minus urban",
         [](const Aggregates& x) { return x.eq.rural_urban_difference; }},
        {"preferred_place_sii", "rate difference", "slope index of inequality of preferred place achieved",
         [](const Aggregates& x) { return x.eq_place.sii; }},
        {"preferred_place_gini_areas", "index", "Gini of area preferred-place rates",
         [](const Aggregates& x) { return x.eq_place.gini_areas; }},
    };
    return defs;
}

}  // namespace

const std::vector<Measure>& summary_measures() {
    static const std::vector<Measure> m = [] {
        std::vector<Measure> out;
        for (const auto& d : measure_defs()) out.push_back(d.info);
        return out;
    }();
    return m;
}

EquitySummary access_equity(const Scenario& scenario, const RunOutputs& run, int from, int to, bool place_of_death) {
    EquityInput in;
    in.area.assign(scenario.areas.size(), GroupRate{});
    const AnnualVar num = place_of_death ? AnnualVar::deaths_preferred_place : AnnualVar::reached;
    const AnnualVar den = place_of_death ? AnnualVar::deaths : AnnualVar::children;
    for (int y = from; y < to; ++y) {
        for (int a = 0; a < run.areas; ++a)
            for (int q = 0; q < kQuintiles; ++q)
                for (int e = 0; e < kEthnicGroups; ++e)
                    for (int r = 0; r < kRural; ++r) {
                        const std::size_t cl = cell_index(a, q, e, r);
                        const std::size_t base = (static_cast<std::size_t>(y) * run.cells + cl) * kAnnualVars;
                        const double n = run.annual[base + static_cast<int>(den)];
                        const double k = run.annual[base + static_cast<int>(num)];
                        for (GroupRate* g :
                             {&in.quintile[static_cast<std::size_t>(q)], &in.ethnic[static_cast<std::size_t>(e)],
                              &in.area[static_cast<std::size_t>(a)], r ? &in.rural : &in.urban}) {
                            g->population += n;
                            g->events += k;
                        }
                    }
    }
    return compute_equity(in);
}

std::vector<double> summarise(const Scenario& scenario, const ModelParams& params, const RunOutputs& run) {
    const Aggregates x = aggregate(scenario, params, run);
    std::vector<double> values;
    values.reserve(measure_defs().size());
    for (const auto& d : measure_defs()) values.push_back(d.value(x));
    return values;
}

double t_quantile_975(int df) {
    static const double table[] = {12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
                                   2.201,  2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
                                   2.080,  2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042};
    if (df <= 0) return kNaN;
    if (df <= 30) return table[df - 1];
    // Cornish-Fisher expansion around the normal quantile; accurate to 1e-3 beyond 30 df.
    const double z = 1.959964, z3 = z * z * z, z5 = z3 * z * z, n = df;
    return z + (z3 + z) / (4 * n) + (5 * z5 + 16 * z3 + 3 * z) / (96 * n * n);
}

Interval mean_interval(const std::vector<double>& values) {
    Interval r;
    double sum = 0;
    for (double v : values)
        if (!std::isnan(v)) sum += v, ++r.n;
    if (r.n == 0) return {kNaN, kNaN, kNaN, kNaN, 0};
    r.mean = sum / r.n;
    double ss = 0;
    for (double v : values)
        if (!std::isnan(v)) ss += (v - r.mean) * (v - r.mean);
    if (r.n < 2) {
        r.sd = r.low = r.high = kNaN;
        return r;
    }
    r.sd = std::sqrt(ss / (r.n - 1));
    const double half = t_quantile_975(r.n - 1) * r.sd / std::sqrt(static_cast<double>(r.n));
    r.low = r.mean - half;
    r.high = r.mean + half;
    return r;
}

}  // namespace cpcsim
