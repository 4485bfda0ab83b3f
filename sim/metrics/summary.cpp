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
}  // namespace

const std::vector<Measure>& summary_measures() {
    static const std::vector<Measure> m = {
        {"children_per_year", "children", "children with an LLC alive in a year (mean over years)"},
        {"prevalence_per_10000", "per 10,000", "children with an LLC per 10,000 children aged 0-19 (C1)"},
        {"prevalence_under1_per_10000", "per 10,000", "children under 1 with an LLC per 10,000 infants (C2)"},
        {"entries_per_year", "children", "new children per year"},
        {"deaths_per_year", "deaths", "deaths of children with an LLC per year (C6)"},
        {"deaths_under1_share", "share", "share of deaths under age 1 (C7)"},
        {"congenital_share", "share", "share of children with a congenital diagnosis (C5)"},
        {"ratio_south_asian_white", "ratio", "prevalence ratio South Asian vs White (C3)"},
        {"ratio_black_white", "ratio", "prevalence ratio Black vs White (C3)"},
        {"prevalence_q1", "per 10,000", "prevalence in IMD quintile 1 (least deprived) (C4)"},
        {"prevalence_q2", "per 10,000", "prevalence in IMD quintile 2 (C4)"},
        {"prevalence_q3", "per 10,000", "prevalence in IMD quintile 3 (C4)"},
        {"prevalence_q4", "per 10,000", "prevalence in IMD quintile 4 (C4)"},
        {"prevalence_q5", "per 10,000", "prevalence in IMD quintile 5 (most deprived) (C4)"},
        {"phase_stable_share", "share", "most severe phase in the year: stable (C9)"},
        {"phase_unstable_share", "share", "most severe phase in the year: unstable (C9)"},
        {"phase_deteriorating_share", "share", "most severe phase in the year: deteriorating (C9)"},
        {"phase_dying_share", "share", "most severe phase in the year: dying (C9)"},
        {"death_hospital_share", "share", "deaths in hospital (C8)"},
        {"death_home_share", "share", "deaths at home (C8)"},
        {"death_hospice_share", "share", "deaths in a hospice (C8)"},
        {"hospice_statutory_share", "share", "statutory share of hospice spending (C10)"},
        {"areas_24_7_share", "share", "share of area-days with 24/7 end-of-life cover at home (C11)"},
        {"access_rate", "share", "children with any hospice or SPPC contact in the year / children with an LLC"},
        {"known_rate", "share", "children known to palliative care in the year / children with an LLC"},
        {"preferred_place_rate", "share", "deaths at the family's preferred place / deaths"},
        {"acp_at_death_rate", "share", "deaths with an advance care plan / deaths"},
        {"referrals_per_year", "referrals", "referrals made per year"},
        {"referral_lost_share", "share", "referrals lost / referrals"},
        {"referral_refused_share", "share", "referrals refused / referrals"},
        {"referral_mean_delay_days", "days", "mean delay of referrals not lost"},
        {"first_assessment_wait_days", "days", "mean wait from accepted SPPC referral to first contact"},
        {"respite_nights_received_per_year", "nights", "short-break nights given per year"},
        {"respite_nights_unmet_per_year", "nights", "short-break nights requested and not given per year"},
        {"unmet_days_ccn_per_year", "child-days", "child-days with a nursing visit due and not given, per year"},
        {"unmet_days_sppc_per_year", "child-days", "child-days with an SPPC contact due and not given, per year"},
        {"unmet_days_eol_per_year", "child-days", "dying child-days waiting for a hospice bed, per year"},
        {"unplanned_admissions_per_year", "admissions", "unplanned admissions per year"},
        {"bed_days_per_year", "bed-days", "hospital bed-days of unplanned admissions per year"},
        {"picu_days_per_year", "bed-days", "PICU bed-days per year"},
        {"cost_total_per_year", "GBP", "provider expenditure + hospital activity + network, per year"},
        {"cost_statutory_per_year", "GBP", "paid by the NHS and local authorities, per year"},
        {"cost_charitable_per_year", "GBP", "paid by charity, per year"},
        {"cost_hospital_per_year", "GBP", "unplanned hospital activity (ward and PICU), per year"},
        {"cost_network_per_year", "GBP", "network costs per year"},
        {"cost_per_child_reached", "GBP", "total cost per year / children reached per year"},
        {"access_sii", "rate difference", "slope index of inequality of access across IMD quintiles"},
        {"access_rii", "ratio", "relative index of inequality of access"},
        {"access_rate_ratio_q5_q1", "ratio", "access rate ratio, most vs least deprived quintile"},
        {"access_concentration_index", "index", "concentration index of access over deprivation rank"},
        {"access_erreygers_index", "index", "Erreygers-corrected concentration index of access"},
        {"access_gini_areas", "index", "population-weighted Gini of area access rates"},
        {"access_theil_areas", "index", "population-weighted Theil T of area access rates"},
        {"access_cv_areas", "ratio", "coefficient of variation of area access rates"},
        {"access_best_worst_ratio", "ratio", "best / worst area access rate"},
        {"access_ratio_south_asian_white", "ratio", "access rate ratio South Asian vs White"},
        {"access_ratio_black_white", "ratio", "access rate ratio Black vs White"},
        {"access_rural_urban_difference", "rate difference", "access rate rural minus urban"},
        {"preferred_place_sii", "rate difference", "slope index of inequality of preferred place achieved"},
        {"preferred_place_gini_areas", "index", "Gini of area preferred-place rates"},
    };
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
    (void)params;
    const Totals t{run};
    const double years = run.years;
    double pop = 0;
    std::array<double, kQuintiles> pop_q{};
    std::array<double, kEthnicGroups> pop_e{};
    for (const auto& a : scenario.areas) {
        pop += a.population_0_19;
        for (std::size_t q = 0; q < kQuintiles; ++q) pop_q[q] += a.population_0_19 * a.quintile_share[q];
        for (std::size_t e = 0; e < kEthnicGroups; ++e) pop_e[e] += a.population_0_19 * a.ethnic_share[e];
    }
    // Children by quintile and ethnic group over the horizon (child-years).
    std::array<double, kQuintiles> kids_q{};
    std::array<double, kEthnicGroups> kids_e{};
    for (int y = 0; y < run.years; ++y)
        for (std::size_t cl = 0; cl < run.cells; ++cl) {
            const double n = run.annual[(static_cast<std::size_t>(y) * run.cells + cl) * kAnnualVars +
                                        static_cast<int>(AnnualVar::children)];
            const std::size_t q = (cl / (kEthnicGroups * kRural)) % kQuintiles;
            const std::size_t e = (cl / kRural) % kEthnicGroups;
            kids_q[q] += n;
            kids_e[e] += n;
        }
    double under1 = 0, deaths_under1 = 0, deaths_all = 0, congenital = 0, all_children = 0;
    for (int y = 0; y < run.years; ++y) {
        under1 += run.children_by_age[static_cast<std::size_t>(y) * kDemographyBands];
        deaths_under1 += run.deaths_by_age[static_cast<std::size_t>(y) * kDemographyBands];
        for (int b = 0; b < kDemographyBands; ++b)
            deaths_all +=
                run.deaths_by_age[static_cast<std::size_t>(y) * kDemographyBands + static_cast<std::size_t>(b)];
        congenital += run.children_by_diagnosis[static_cast<std::size_t>(y) * kDiagnoses];
        for (int d = 0; d < kDiagnoses; ++d)
            all_children +=
                run.children_by_diagnosis[static_cast<std::size_t>(y) * kDiagnoses + static_cast<std::size_t>(d)];
    }
    const double children = t.annual(AnnualVar::children);
    const double deaths = t.annual(AnnualVar::deaths);
    // Costs.
    double hospice_stat = 0, hospice_all = 0, stat = 0, charity = 0;
    for (int y = 0; y < run.years; ++y)
        for (int p = 0; p < run.providers; ++p) {
            const auto base =
                (static_cast<std::size_t>(y) * static_cast<std::size_t>(run.providers) + static_cast<std::size_t>(p)) *
                kProviderVars;
            const double s = run.provider[base + static_cast<int>(ProviderVar::statutory_gbp)];
            const double c = run.provider[base + static_cast<int>(ProviderVar::charitable_gbp)];
            stat += s;
            charity += c;
            if (scenario.providers[static_cast<std::size_t>(p)].type == ProviderType::Hospice) {
                hospice_stat += s;
                hospice_all += s + c;
            }
        }
    const double picu_days = t.monthly(MonthlyVar::picu_days);
    const double ward_days = t.monthly(MonthlyVar::bed_days) - picu_days;
    const double hospital_cost = ward_days * params.cost.hospital_bed_day + picu_days * params.cost.picu_bed_day;
    const double network_cost = std::accumulate(run.network_cost.begin(), run.network_cost.end(), 0.0);
    const double total_cost = stat + charity + hospital_cost + network_cost;
    double cover_days = 0;
    for (auto d : run.area_cover_days) cover_days += d;
    const double area_days = static_cast<double>(run.areas) * 365.0 * years;
    const double referrals = t.monthly(MonthlyVar::referrals);
    const double reached = t.annual(AnnualVar::reached);

    const auto eq = access_equity(scenario, run, 0, run.years, false);
    const auto eq_place = access_equity(scenario, run, 0, run.years, true);
    auto prev_q = [&](std::size_t q) { return ratio(kids_q[q] / years, pop_q[q]) * 10000.0; };
    const double white = ratio(kids_e[0], pop_e[0]);

    return {
        children / years,
        ratio(children / years, pop) * 10000.0,
        ratio(under1 / years, pop * kBandYears[0] / 20.0) * 10000.0,
        t.monthly(MonthlyVar::entries) / years,
        deaths / years,
        ratio(deaths_under1, deaths_all),
        ratio(congenital, all_children),
        ratio(ratio(kids_e[1], pop_e[1]), white),
        ratio(ratio(kids_e[2], pop_e[2]), white),
        prev_q(0),
        prev_q(1),
        prev_q(2),
        prev_q(3),
        prev_q(4),
        ratio(t.annual(AnnualVar::max_phase_stable), children),
        ratio(t.annual(AnnualVar::max_phase_unstable), children),
        ratio(t.annual(AnnualVar::max_phase_deteriorating), children),
        ratio(t.annual(AnnualVar::max_phase_dying), children),
        ratio(t.annual(AnnualVar::deaths_hospital), deaths),
        ratio(t.annual(AnnualVar::deaths_home), deaths),
        ratio(t.annual(AnnualVar::deaths_hospice), deaths),
        ratio(hospice_stat, hospice_all),
        ratio(cover_days, area_days),
        ratio(reached, children),
        ratio(t.annual(AnnualVar::known), children),
        ratio(t.annual(AnnualVar::deaths_preferred_place), deaths),
        ratio(t.annual(AnnualVar::deaths_with_acp), deaths),
        referrals / years,
        ratio(t.monthly(MonthlyVar::referrals_lost), referrals),
        ratio(t.monthly(MonthlyVar::referrals_refused), referrals),
        ratio(t.monthly(MonthlyVar::referral_delay_days), referrals - t.monthly(MonthlyVar::referrals_lost)),
        ratio(t.monthly(MonthlyVar::first_assessment_wait_days), t.monthly(MonthlyVar::first_assessments)),
        t.monthly(MonthlyVar::respite_nights_received) / years,
        t.monthly(MonthlyVar::unmet_nights_respite) / years,
        t.monthly(MonthlyVar::unmet_days_ccn) / years,
        t.monthly(MonthlyVar::unmet_days_sppc) / years,
        t.monthly(MonthlyVar::unmet_days_eol) / years,
        t.monthly(MonthlyVar::unplanned_admissions) / years,
        t.monthly(MonthlyVar::bed_days) / years,
        picu_days / years,
        total_cost / years,
        (stat + hospital_cost + network_cost) / years,
        charity / years,
        hospital_cost / years,
        network_cost / years,
        ratio(total_cost, reached),
        eq.sii,
        eq.rii,
        eq.rate_ratio_q5_q1,
        eq.concentration_index,
        eq.erreygers_index,
        eq.gini_areas,
        eq.theil_t_areas,
        eq.cv_areas,
        eq.best_worst_ratio_areas,
        eq.rate_ratio_south_asian_white,
        eq.rate_ratio_black_white,
        eq.rural_urban_difference,
        eq_place.sii,
        eq_place.gini_areas,
    };
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
