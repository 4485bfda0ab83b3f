// Funding to capacity (MODEL.md §4.6), network engagement (§4.5) and 24/7 cover, updated monthly.
#include "engine/state.hpp"

#include <algorithm>
#include <cmath>

namespace cpcsim::engine {

namespace {

constexpr int kMonthStart[13] = {0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334, 365};

bool targets(const FundingChange& ch, const Provider& p) {
    return ch.target == "all" || ch.target == provider_type_name(p.type) || ch.target == p.id;
}

/// Multipliers of statutory and charitable income from the funding schedule in force on `day`.
std::pair<double, double> schedule_multipliers(const Inputs& in, const Clock& clock, const Provider& p, int day) {
    double stat = in.P.funding.statutory_multiplier * in.P.funding.statutory_by_type[static_cast<std::size_t>(p.type)],
           charity = in.P.funding.charitable_multiplier;
    for (const auto& ch : in.scenario.funding_changes) {
        const int from = clock.warmup_days + static_cast<int>(std::lround(ch.year * 365.0));
        if (day < from || !targets(ch, p)) continue;
        if (ch.income != "charitable") stat *= ch.multiplier;
        if (ch.income != "statutory") charity *= ch.multiplier;
    }
    return {stat, charity};
}

struct Rota {
    double advice = 0;  // share of nights the regional advice rota is staffed
    double cost = 0;    // GBP per year of on-call payments
};

/// The shared 24/7 advice rota: engaged SPPC nurses (first tier) and consultants (second tier),
/// counted as people. Each tier covers the share of nights its people can staff (a 1-in-N rota needs
/// N people), so coverage grows with what is staffed; the on-call time comes out of the members'
/// daytime capacity.
Rota staff_rota(const Inputs& in, Providers& prov) {
    const auto& sc = in.scenario;
    const auto& n = in.P.network;
    Rota r;
    if (!n.rota_24_7) return r;
    std::vector<double> people(sc.providers.size(), 0.0);
    double total = 0;
    for (int p : prov.providers_by_type[static_cast<std::size_t>(ProviderType::Sppc)]) {
        const auto& ps = prov.state[static_cast<std::size_t>(p)];
        if (ps.closed) continue;
        people[static_cast<std::size_t>(p)] = sc.providers[static_cast<std::size_t>(p)].staff_wte *
                                              ps.effective_staff_ratio * ps.engagement / n.rota_wte_per_person;
        total += people[static_cast<std::size_t>(p)];
    }
    const double consultants = total * n.rota_consultant_share + n.rota_adult_consultants;
    const double nurses = total * (1.0 - n.rota_consultant_share);
    auto cover = [](double have, double need) { return need > 0 ? std::min(1.0, have / need) : 1.0; };
    r.advice = std::min(cover(consultants, n.rota_min_consultants), cover(nurses, n.rota_min_nurses));
    r.cost = consultants * n.rota_consultant_cost + nurses * n.rota_nurse_cost;
    // The rota's slots are shared by the people on it: at most a full rota's worth of daytime time.
    const double slots = std::min(consultants, n.rota_min_consultants) + std::min(nurses, n.rota_min_nurses);
    const double all = consultants + nurses;
    for (std::size_t p = 0; p < people.size(); ++p) {
        if (people[p] <= 0 || all <= 0) continue;
        const double lost_wte = slots * (people[p] / all) * n.rota_daytime_loss_wte;
        auto& ps = prov.state[p];
        ps.capacity = std::max(0.0, ps.capacity - lost_wte * sc.providers[p].contacts_per_wte_day);
    }
    return r;
}

}  // namespace

int Clock::compute_report_month() const noexcept {
    const int d = day - warmup_days;
    const int year = d / 365;
    const int in_year = d % 365;
    int m = 0;
    while (m < 11 && in_year >= kMonthStart[m + 1]) ++m;
    return year * 12 + m;
}

bool is_month_start(int day_in_year) {
    for (int m = 0; m < 12; ++m)
        if (kMonthStart[m] == day_in_year) return true;
    return false;
}

int days_in_month_of(int day_in_year) {
    int m = 0;
    while (m < 11 && day_in_year >= kMonthStart[m + 1]) ++m;
    return kMonthStart[m + 1] - kMonthStart[m];
}

void setup_providers(const Inputs& in, Providers& prov) {
    const auto& sc = in.scenario;
    const std::size_t np = sc.providers.size(), na = sc.areas.size();
    prov.state.assign(np, ProviderState{});
    prov.providers_by_type.assign(kProviderTypes, {});
    for (std::size_t p = 0; p < np; ++p) {
        const auto& spec = sc.providers[p];
        auto& ps = prov.state[p];
        prov.providers_by_type[static_cast<std::size_t>(spec.type)].push_back(static_cast<int>(p));
        ps.baseline_budget = spec.statutory_income_gbp + spec.charitable_income_gbp;
        switch (spec.type) {
            case ProviderType::Hospice:
                ps.base_capacity = spec.beds;
                ps.base_home_capacity = spec.home_visits_per_day;
                break;
            case ProviderType::Sppc:
            case ProviderType::Ccn:
                ps.base_capacity = spec.staff_wte * spec.contacts_per_wte_day;
                break;
            case ProviderType::Hospital:
                ps.base_capacity = spec.beds;
                break;
        }
        ps.engagement = in.P.network.any() ? in.P.network.initial_engagement : 0.0;
        const double sd = in.P.network.engagement_spread;
        Draws member(in.key, streams::kEngagement, static_cast<std::uint32_t>(p), 0);
        ps.rise_factor = std::exp(sd * member.normal() - 0.5 * sd * sd);  // lognormal, mean 1
    }
    prov.area_cover.assign(na, 0);
    prov.area_specialist_minutes.assign(na, 0);
    prov.pool_order.assign(na, {});
    for (std::size_t a = 0; a < na; ++a) {
        double best = 1e9;
        for (std::size_t p = 0; p < np; ++p)
            if (sc.providers[p].type == ProviderType::Hospice || sc.providers[p].type == ProviderType::Sppc)
                best = std::min(best, sc.travel(a, p));
        prov.area_specialist_minutes[a] = best;
        auto& order = prov.pool_order[a];
        for (std::size_t p = 0; p < np; ++p) order.push_back(static_cast<int>(p));
        std::stable_sort(order.begin(), order.end(), [&](int x, int y) {
            return sc.travel(a, static_cast<std::size_t>(x)) < sc.travel(a, static_cast<std::size_t>(y));
        });
    }
    // Catchments as a matrix, and each area's home provider per service: the nearest provider
    // whose catchment includes the area.
    prov.serves.assign(na, std::vector<std::uint8_t>(np, 0));
    for (std::size_t a = 0; a < na; ++a)
        for (std::size_t p = 0; p < np; ++p) {
            const auto& c = sc.providers[p].catchment;
            prov.serves[a][p] = std::find(c.begin(), c.end(), sc.areas[a].code) != c.end() ||
                                std::find(c.begin(), c.end(), "*") != c.end();
        }
    constexpr ProviderType kTargetTypes[kTargets] = {ProviderType::Hospice, ProviderType::Sppc, ProviderType::Ccn};
    prov.area_home.assign(na, {{-1, -1, -1}});
    for (std::size_t a = 0; a < na; ++a)
        for (int t = 0; t < kTargets; ++t) {
            int best = -1;
            for (int p : prov.providers_by_type[static_cast<std::size_t>(kTargetTypes[t])]) {
                if (!prov.serves[a][static_cast<std::size_t>(p)]) continue;
                if (best < 0 ||
                    sc.travel(a, static_cast<std::size_t>(p)) < sc.travel(a, static_cast<std::size_t>(best)))
                    best = p;
            }
            prov.area_home[a][static_cast<std::size_t>(t)] = static_cast<std::int16_t>(best);
        }
    // Families choose among the hospices whose catchments hold their area, in proportion to beds x
    // exp(-travel / tau) (evidence-capacity-costs.md §2.6); tau = 0 keeps the nearest.
    const double tau = in.P.care.hospice_choice_tau_minutes;
    prov.hospice_choice.assign(na, {});
    for (std::size_t a = 0; a < na && tau > 0; ++a) {
        double sum = 0;
        for (int p : prov.providers_by_type[static_cast<std::size_t>(ProviderType::Hospice)]) {
            const auto pu = static_cast<std::size_t>(p);
            if (!prov.serves[a][pu]) continue;
            sum += std::max(sc.providers[pu].beds, 0.1) * std::exp(-sc.travel(a, pu) / tau);
            prov.hospice_choice[a].emplace_back(p, sum);
        }
        if (prov.hospice_choice[a].size() < 2) prov.hospice_choice[a].clear();
    }
    prov.pool_candidates.assign(na, {});
    for (std::size_t a = 0; a < na; ++a)
        for (int p : prov.pool_order[a])
            if (sc.travel(a, static_cast<std::size_t>(p)) <= in.P.network.pooling_max_travel_minutes)
                prov.pool_candidates[a][static_cast<std::size_t>(sc.providers[static_cast<std::size_t>(p)].type)]
                    .push_back(p);
}

void monthly_update(const Inputs& in, const Clock& clock, Providers& prov, Recorder& rec) {
    const auto& sc = in.scenario;
    const auto& f = in.P.funding;
    const auto& n = in.P.network;
    const int sim_year = clock.day / 365;  // 0-based simulated year including warm-up
    const int day_in_year = clock.day % 365;
    const double month_fraction = days_in_month_of(day_in_year) / 365.0;
    const bool report = rec.reporting();
    const int ry = report ? rec.report_year() : -1;

    // Funding -> staff -> capacity.
    for (std::size_t p = 0; p < sc.providers.size(); ++p) {
        const auto& spec = sc.providers[p];
        auto& ps = prov.state[p];
        const auto [stat_mult, char_mult] = schedule_multipliers(in, clock, spec, clock.day);
        Draws charity(in.key, streams::kCharity, static_cast<std::uint32_t>(p), static_cast<std::uint32_t>(sim_year));
        const double volatility = std::max(0.0, 1.0 + f.charitable_volatility * charity.normal());
        ps.statutory_rate = spec.statutory_income_gbp * stat_mult;
        ps.charitable_rate = spec.charitable_income_gbp * char_mult * volatility;
        const double budget = ps.statutory_rate + ps.charitable_rate;
        const double base_vac = f.vacancy_rate[static_cast<std::size_t>(spec.type)];
        Draws vac(in.key, streams::kVacancy, static_cast<std::uint32_t>(p), static_cast<std::uint32_t>(clock.day));
        const double vacancy = std::clamp(base_vac + f.vacancy_monthly_sd * vac.normal(), 0.0, f.vacancy_max);
        const double money = ps.baseline_budget > 0 ? budget / ps.baseline_budget : 1.0;
        ps.effective_staff_ratio = money * (1.0 - vacancy) / (1.0 - base_vac);
        const double ratio = ps.effective_staff_ratio;
        ps.closed = spec.type == ProviderType::Hospice && ratio < f.closure_threshold;
        if (spec.type == ProviderType::Hospice) {
            ps.capacity = ps.base_capacity * std::min(ratio, f.bed_headroom);
            ps.home_capacity = ps.base_home_capacity * ratio;
        } else {
            ps.capacity = ps.base_capacity * ratio;
        }
        // Caseload limit from staffed beds (hospice) or effective WTE (SPPC, CCN).
        const auto& per_unit = in.P.referral.caseload_per_unit;
        ps.caseload_limit = spec.type == ProviderType::Hospice ? per_unit[kToHospice] * (ps.closed ? 0.0 : ps.capacity)
                            : spec.type == ProviderType::Sppc  ? per_unit[kToSppc] * spec.staff_wte * ratio
                            : spec.type == ProviderType::Ccn   ? per_unit[kToCcn] * spec.staff_wte * ratio
                                                               : 0.0;
        // A limit of zero places (a closed hospice) still takes no stable or unstable child: 0
        // means "no limit" only when the parameter is 0.
        const bool limited =
            spec.type != ProviderType::Hospital && per_unit[spec.type == ProviderType::Hospice ? kToHospice
                                                            : spec.type == ProviderType::Sppc  ? kToSppc
                                                                                               : kToCcn] > 0;
        if (limited) ps.caseload_limit = std::max(ps.caseload_limit, 1e-9);
        if (report) {
            auto add = [&](ProviderVar v, double x) { rec.out.p(ry, static_cast<int>(p), v) += x; };
            add(ProviderVar::budget_gbp, budget * month_fraction);
            add(ProviderVar::statutory_gbp, ps.statutory_rate * month_fraction);
            add(ProviderVar::charitable_gbp, ps.charitable_rate * month_fraction);
            add(ProviderVar::effective_wte, spec.staff_wte * ratio * (1.0 - base_vac) / 12.0);
            add(ProviderVar::capacity_per_day, (ps.closed ? 0.0 : ps.capacity) / 12.0);
            add(ProviderVar::home_capacity_per_day, ps.home_capacity / 12.0);
            if (ps.closed) add(ProviderVar::closed_days, days_in_month_of(day_in_year));
        }
    }

    // Engagement: drive from the coordinator, leads and early wins; decay under stress.
    if (n.any()) {
        const double drive = n.coordinator_drive * std::min(n.coordinator_saturation_wte, n.coordinator_wte) +
                             n.leadership + n.early_wins;
        const double dt = month_fraction;
        for (std::size_t p = 0; p < sc.providers.size(); ++p) {
            auto& ps = prov.state[p];
            const double rise =
                n.rise_per_year * n.rise_ratio[static_cast<std::size_t>(sc.providers[p].type)] * ps.rise_factor;
            const double stress =
                std::max(0.0, 1.0 - ps.effective_staff_ratio) + (drive <= 0 ? n.leaderless_stress : 0.0);
            const double de =
                rise * drive * (1.0 - ps.engagement) - (n.decay_per_year * stress + n.churn_per_year) * ps.engagement;
            ps.engagement = std::clamp(ps.engagement + de * dt, 0.0, 1.0);
        }
    }
    if (report)
        for (std::size_t p = 0; p < sc.providers.size(); ++p)
            rec.out.p(ry, static_cast<int>(p), ProviderVar::engagement) += prov.state[p].engagement / 12.0;

    // 24/7 end-of-life cover at home: out-of-hours nursing and 24/7 specialist advice.
    const Rota rota = staff_rota(in, prov);
    for (std::size_t a = 0; a < sc.areas.size(); ++a) {
        double nursing = 0, advice = rota.advice;
        for (std::size_t p = 0; p < sc.providers.size(); ++p) {
            const auto& spec = sc.providers[p];
            if (!spec.out_of_hours || prov.state[p].closed) continue;
            if (!prov.serves[a][p]) continue;
            if (spec.type == ProviderType::Ccn) nursing = 1;
            if (spec.type == ProviderType::Sppc || spec.type == ProviderType::Hospice) advice = 1;
        }
        // Out-of-hours nursing commissioned across authorities: an engaged commissioned team nearby
        // covers the area on a share of nights that grows with its engagement and staffing, and the
        // on-call time comes out of its daytime capacity.
        if (nursing < 1 && n.rota_24_7 && n.rota_joint_nursing) {
            for (int p : prov.pool_order[a]) {
                const auto& spec = sc.providers[static_cast<std::size_t>(p)];
                auto& ps = prov.state[static_cast<std::size_t>(p)];
                if (sc.travel(a, static_cast<std::size_t>(p)) > n.pooling_max_travel_minutes) break;
                if (spec.type != ProviderType::Ccn || !spec.out_of_hours || ps.closed) continue;
                const double people = spec.staff_wte * ps.effective_staff_ratio / n.rota_wte_per_person;
                const double share =
                    ps.engagement * (n.rota_min_nurses > 0 ? std::min(1.0, people / n.rota_min_nurses) : 1.0);
                if (share <= nursing) continue;
                ps.capacity = std::max(
                    0.0, ps.capacity - (share - nursing) * n.rota_daytime_loss_wte * spec.contacts_per_wte_day);
                nursing = share;
            }
        }
        prov.area_cover[a] = nursing * advice;
        if (report)
            rec.out.area_cover_days[static_cast<std::size_t>(ry) * sc.areas.size() + a] +=
                static_cast<std::int32_t>(std::lround(days_in_month_of(day_in_year) * prov.area_cover[a]));
    }
    if (report) rec.out.network_cost[static_cast<std::size_t>(ry)] += rota.cost * month_fraction;
    if (report) rec.out.network_cost[static_cast<std::size_t>(ry)] += n.annual_cost() * month_fraction;
}

}  // namespace cpcsim::engine
