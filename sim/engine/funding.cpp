// Funding to capacity (MODEL.md §4.6), network engagement (§4.5) and 24/7 cover, updated monthly.
#include "engine/state.hpp"
#include "model/staff_time.hpp"

#include <algorithm>
#include <cmath>

namespace cpcsim::engine {

namespace {

constexpr int kMonthStart[13] = {0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334, 365};

bool targets(const FundingChange& ch, const Provider& p, std::size_t index) {
    if (ch.selects()) return std::find(ch.selection.begin(), ch.selection.end(), index) != ch.selection.end();
    return ch.target == "all" || ch.target == provider_type_name(p.type) || ch.target == p.id;
}

/// The funding schedule in force on a day for one provider: multipliers of its statutory and
/// charitable income, GBP added to each, and new posts with what they cost.
struct Schedule {
    double stat = 1, charity = 1;
    double stat_add = 0, charity_add = 0;  // GBP per year
    double posts_wte = 0, posts_gbp = 0;   // new posts and their cost per year (inside stat_add/charity_add)
    bool out_of_hours = false;             // cover added by the schedule (not in the providers table)
    double out_of_hours_gbp = 0;           // its cost per year (inside stat_add/charity_add)
};

Schedule schedule_multipliers(const Inputs& in, const Clock& clock, std::size_t index, int day) {
    const Provider& p = in.scenario.providers[index];
    Schedule s{in.P.funding.statutory_multiplier * in.P.funding.statutory_by_type[static_cast<std::size_t>(p.type)],
               in.P.funding.charitable_multiplier};
    for (const auto& ch : in.scenario.funding_changes) {
        const int from = clock.warmup_days + static_cast<int>(std::lround(ch.year * 365.0));
        if (day < from || !targets(ch, p, index)) continue;
        if (ch.out_of_hours) {  // cover added: a rota of its own, paid on top; cover in the table is in the budget
            if (p.out_of_hours || p.type == ProviderType::Hospital || s.out_of_hours) continue;
            s.out_of_hours = true;
            s.out_of_hours_gbp = in.P.funding.out_of_hours_cost[static_cast<std::size_t>(p.type)];
            (ch.income == "charitable" ? s.charity_add : s.stat_add) += s.out_of_hours_gbp;
            continue;
        }
        if (ch.wte != 0 || ch.amount_gbp != 0) {  // money or posts: to one income, statutory unless charitable
            // A selection (icb, provider_type) shares the amount by baseline budgets and the posts by
            // baseline WTE; a target gets all of it (each target, for a type or "all").
            const double wte = ch.selects() ? ch.wte * ch.wte_share[index] : ch.wte;
            const double amount = ch.selects() ? ch.amount_gbp * ch.amount_share[index] : ch.amount_gbp;
            const double posts = wte * in.P.funding.post_cost[static_cast<std::size_t>(p.type)];
            (ch.income == "charitable" ? s.charity_add : s.stat_add) += amount + posts;
            s.posts_wte += wte;
            s.posts_gbp += posts;
            continue;
        }
        if (ch.income != "charitable") s.stat *= ch.multiplier;
        if (ch.income != "statutory") s.charity *= ch.multiplier;
    }
    return s;
}

struct Rota {
    double advice = 0;  // share of nights the advice rota is staffed
    double cost = 0;    // GBP per year of on-call payments
};

/// The shared 24/7 advice rotas, one per scope with the rota on (one region-wide rota unless
/// [[local_network]] blocks set it for some areas): engaged SPPC nurses (first tier) and
/// consultants (second tier) of the teams serving the scope's areas, counted as people (a team
/// serving areas of several rotas splits its people among them by its areas). Each tier covers the
/// share of nights its people can staff (a 1-in-N rota needs N people), so coverage grows with
/// what is staffed; the on-call time comes out of the members' daytime capacity.
std::vector<Rota> staff_rotas(const Inputs& in, Providers& prov) {
    const auto& sc = in.scenario;
    const auto& n = in.P.network;
    const auto& scopes = in.networks;
    std::vector<Rota> rotas(static_cast<std::size_t>(scopes.rotas));
    if (rotas.empty()) return rotas;
    // Each SPPC team's share of its people on each rota: its areas on that rota over its areas on any.
    const std::size_t nr = rotas.size(), np = sc.providers.size();
    std::vector<double> share(np * nr, 0.0);
    for (int p : prov.providers_by_type[static_cast<std::size_t>(ProviderType::Sppc)]) {
        const auto pu = static_cast<std::size_t>(p);
        int on_any = 0;
        for (std::size_t a = 0; a < sc.areas.size(); ++a)
            if (prov.serves[a][pu] && scopes.rota_of_area[a] >= 0) {
                share[pu * nr + static_cast<std::size_t>(scopes.rota_of_area[a])] += 1;
                ++on_any;
            }
        const bool serves_none =
            std::none_of(prov.serves.begin(), prov.serves.end(), [&](const auto& row) { return row[pu] != 0; });
        for (std::size_t r = 0; r < nr; ++r)  // a team serving no area of the region staffs every rota alike
            share[pu * nr + r] = serves_none ? 1.0 / static_cast<double>(nr)
                                 : on_any    ? share[pu * nr + r] / on_any
                                             : 0.0;
    }
    std::vector<double> people(np, 0.0);
    for (std::size_t r = 0; r < nr; ++r) {
        double total = 0;
        for (int p : prov.providers_by_type[static_cast<std::size_t>(ProviderType::Sppc)]) {
            const auto pu = static_cast<std::size_t>(p);
            const auto& ps = prov.state[pu];
            people[pu] = 0;
            if (ps.closed || share[pu * nr + r] <= 0) continue;
            people[pu] = sc.providers[pu].staff_wte * ps.effective_staff_ratio * ps.engagement / n.rota_wte_per_person *
                         share[pu * nr + r];
            total += people[pu];
        }
        const double consultants = total * n.rota_consultant_share + n.rota_adult_consultants;
        const double nurses = total * (1.0 - n.rota_consultant_share);
        auto cover = [](double have, double need) { return need > 0 ? std::min(1.0, have / need) : 1.0; };
        rotas[r].advice = std::min(cover(consultants, n.rota_min_consultants), cover(nurses, n.rota_min_nurses));
        rotas[r].cost = consultants * n.rota_consultant_cost + nurses * n.rota_nurse_cost;
        // The rota's slots are shared by the people on it: at most a full rota's worth of daytime time.
        const double slots = std::min(consultants, n.rota_min_consultants) + std::min(nurses, n.rota_min_nurses);
        const double all = consultants + nurses;
        for (std::size_t p = 0; p < np; ++p) {
            if (people[p] <= 0 || all <= 0) continue;
            const double lost_wte = slots * (people[p] / all) * n.rota_daytime_loss_wte;
            auto& ps = prov.state[p];
            ps.capacity = std::max(0.0, ps.capacity - lost_wte * ps.contacts_per_wte_day);
        }
    }
    return rotas;
}

}  // namespace

NetworkScopes network_scopes(const Scenario& sc, const NetworkParams& region) {
    NetworkScopes s;
    const std::size_t na = sc.areas.size(), np = sc.providers.size();
    const auto& specs = sc.params.registry().specs();
    s.area.assign(na, region);
    // Which source set each lever of each area last: 0 = [network], b + 1 = block b.
    std::vector<std::vector<std::pair<std::string_view, std::size_t>>> source(na);
    auto set_source = [&](std::size_t a, std::string_view key, std::size_t from) {
        auto& list = source[a];
        const auto it = std::find_if(list.begin(), list.end(), [&](const auto& e) { return e.first == key; });
        if (it == list.end())
            list.emplace_back(key, from);
        else
            it->second = from;
    };
    auto source_of = [&](std::size_t a, std::string_view key) {
        for (const auto& [k, from] : source[a])
            if (k == key) return from;
        return std::size_t{0};
    };
    for (std::size_t b = 0; b < sc.local_networks.size(); ++b)
        for (std::size_t a : sc.local_networks[b].areas)
            for (const auto& [index, value] : sc.local_networks[b].values) {
                const std::string_view key = specs[static_cast<std::size_t>(index)].key;
                s.area[a].set_lever(key, value);
                set_source(a, key, b + 1);
            }
    // Each source pays for the levers in force because of it; [network] keeps its own values for
    // the levers some area still takes from it, and the others are off.
    s.paid.assign(sc.local_networks.size() + 1, region.levers_off());
    s.paid[0] = region;
    std::vector<std::string_view> lever_keys;
    for (const auto& spec : specs)
        if (spec.local) lever_keys.push_back(spec.key);
    for (std::string_view key : lever_keys) {
        bool from_region = na == 0;
        for (std::size_t a = 0; a < na; ++a) from_region = from_region || source_of(a, key) == 0;
        if (!from_region) s.paid[0].set_lever(key, 0.0);
    }
    for (std::size_t b = 0; b < sc.local_networks.size(); ++b)
        for (const auto& [index, value] : sc.local_networks[b].values) {
            const std::string_view key = specs[static_cast<std::size_t>(index)].key;
            const auto& areas = sc.local_networks[b].areas;
            if (std::any_of(areas.begin(), areas.end(), [&](std::size_t a) { return source_of(a, key) == b + 1; }))
                s.paid[b + 1].set_lever(key, value);
        }
    // One rota per source of a rota that is on, covering the areas whose rota comes from it.
    std::vector<int> rota_of_source(s.paid.size(), -1);
    s.rota_of_area.assign(na, -1);
    for (std::size_t a = 0; a < na; ++a) {
        if (!s.area[a].rota_24_7) continue;
        int& r = rota_of_source[source_of(a, "network.rota_24_7")];
        if (r < 0) r = s.rotas++;
        s.rota_of_area[a] = r;
    }
    // A provider is driven by the strongest levers among the areas it serves ([network] if none).
    s.provider.assign(np, region);
    for (std::size_t p = 0; p < np; ++p) {
        bool first = true;
        for (std::size_t a = 0; a < na; ++a) {
            if (!catchment_holds(sc.providers[p], sc.areas[a])) continue;
            s.provider[p] = first ? s.area[a] : s.provider[p].strongest(s.area[a]);
            first = false;
        }
    }
    const auto on = [](const NetworkParams& n) { return n.any(); };
    s.any = std::any_of(s.area.begin(), s.area.end(), on) || std::any_of(s.provider.begin(), s.provider.end(), on);
    return s;
}

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
        ps.out_of_hours = spec.out_of_hours;
        switch (spec.type) {
            case ProviderType::Hospice:
                ps.base_capacity = spec.beds;
                ps.base_home_capacity = spec.home_visits_per_day;
                break;
            case ProviderType::Sppc:
            case ProviderType::Ccn:
                ps.contacts_per_wte_day = staff_time_capacity(sc, in.P, p).contacts_per_wte_day;
                ps.base_capacity = spec.staff_wte * ps.contacts_per_wte_day;
                break;
            case ProviderType::Hospital:
                ps.base_capacity = spec.beds;
                break;
        }
        ps.engagement = in.provider_network(p).any() ? in.P.network.initial_engagement : 0.0;
        const double sd = in.P.network.engagement_spread;
        Draws member(in.key, streams::kEngagement, static_cast<std::uint32_t>(p), 0);
        ps.rise_factor = std::exp(sd * member.normal() - 0.5 * sd * sd);  // lognormal, mean 1
    }
    prov.area_cover.assign(na, 0);
    prov.travel_counted.assign(na * np, 0);
    for (std::size_t a = 0; a < na; ++a)
        for (std::size_t p = 0; p < np; ++p)
            prov.travel_counted[a * np + p] = static_cast<std::int32_t>(std::lround(sc.travel(a, p)));
    prov.area_specialist_minutes.assign(na, 0);
    prov.pool_order.assign(na, {});
    for (std::size_t a = 0; a < na; ++a) {
        double best = 1e9;
        for (std::size_t p = 0; p < np; ++p)
            if ((sc.providers[p].type == ProviderType::Hospice || sc.providers[p].type == ProviderType::Sppc) &&
                !sc.providers[p].advice_only)
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
        for (std::size_t p = 0; p < np; ++p) prov.serves[a][p] = catchment_holds(sc.providers[p], sc.areas[a]);
    constexpr ProviderType kTargetTypes[kTargets] = {ProviderType::Hospice, ProviderType::Sppc, ProviderType::Ccn};
    prov.area_home.assign(na, {{-1, -1, -1}});
    for (std::size_t a = 0; a < na; ++a)
        for (int t = 0; t < kTargets; ++t) {
            int best = -1;
            for (int p : prov.providers_by_type[static_cast<std::size_t>(kTargetTypes[t])]) {
                // An advice-only service is never a referral destination.
                if (!prov.serves[a][static_cast<std::size_t>(p)] ||
                    sc.providers[static_cast<std::size_t>(p)].advice_only)
                    continue;
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
            if (!prov.serves[a][pu] || sc.providers[pu].advice_only) continue;
            sum += std::max(sc.providers[pu].beds, 0.1) * std::exp(-sc.travel(a, pu) / tau);
            prov.hospice_choice[a].emplace_back(p, sum);
        }
        if (prov.hospice_choice[a].size() < 2) prov.hospice_choice[a].clear();
    }
    prov.pool_candidates.assign(na, {});
    for (std::size_t a = 0; a < na; ++a)
        for (int p : prov.pool_order[a])
            if (sc.travel(a, static_cast<std::size_t>(p)) <= in.P.network.pooling_max_travel_minutes &&
                !sc.providers[static_cast<std::size_t>(p)].advice_only)
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
        const Schedule sch = schedule_multipliers(in, clock, p, clock.day);
        Draws charity(in.key, streams::kCharity, static_cast<std::uint32_t>(p), static_cast<std::uint32_t>(sim_year));
        const double volatility = std::max(0.0, 1.0 + f.charitable_volatility * charity.normal());
        ps.statutory_rate = spec.statutory_income_gbp * sch.stat;
        ps.charitable_rate = spec.charitable_income_gbp * sch.charity * volatility;
        if (sch.stat_add != 0 || sch.charity_add != 0) {  // GBP and posts added (or removed), never below zero
            ps.statutory_rate = std::max(0.0, ps.statutory_rate + sch.stat_add);
            ps.charitable_rate = std::max(0.0, ps.charitable_rate + sch.charity_add);
        }
        const double budget = ps.statutory_rate + ps.charitable_rate;
        const double base_vac = f.vacancy_rate[static_cast<std::size_t>(spec.type)];
        Draws vac(in.key, streams::kVacancy, static_cast<std::uint32_t>(p), static_cast<std::uint32_t>(clock.day));
        const double vacancy = std::clamp(base_vac + f.vacancy_monthly_sd * vac.normal(), 0.0, f.vacancy_max);
        double money = ps.baseline_budget > 0 ? budget / ps.baseline_budget : 1.0;
        if (sch.posts_wte != 0 || sch.out_of_hours) {  // new posts add their WTE and out-of-hours cover its
            // own rota: the money paying them buys nothing else
            const double reserved = sch.posts_gbp + sch.out_of_hours_gbp;
            money = ps.baseline_budget > 0 ? std::max(0.0, budget - reserved) / ps.baseline_budget : 1.0;
            if (spec.staff_wte > 0) money = std::max(0.0, money + sch.posts_wte / spec.staff_wte);
        }
        ps.out_of_hours = spec.out_of_hours || sch.out_of_hours;
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

    // Engagement: drive from the coordinator, leads and early wins of the network over the areas
    // the provider serves; decay under stress.
    {
        const double dt = month_fraction;
        for (std::size_t p = 0; p < sc.providers.size(); ++p) {
            const auto& pn = in.provider_network(p);
            if (!pn.any()) continue;
            const double drive = pn.coordinator_drive * std::min(pn.coordinator_saturation_wte, pn.coordinator_wte) +
                                 pn.leadership + pn.early_wins;
            auto& ps = prov.state[p];
            const double rise =
                pn.rise_per_year * pn.rise_ratio[static_cast<std::size_t>(sc.providers[p].type)] * ps.rise_factor;
            const double stress =
                std::max(0.0, 1.0 - ps.effective_staff_ratio) + (drive <= 0 ? pn.leaderless_stress : 0.0);
            const double de =
                rise * drive * (1.0 - ps.engagement) - (pn.decay_per_year * stress + pn.churn_per_year) * ps.engagement;
            ps.engagement = std::clamp(ps.engagement + de * dt, 0.0, 1.0);
        }
    }
    if (report)
        for (std::size_t p = 0; p < sc.providers.size(); ++p)
            rec.out.p(ry, static_cast<int>(p), ProviderVar::engagement) += prov.state[p].engagement / 12.0;

    // 24/7 end-of-life cover at home: out-of-hours nursing and 24/7 specialist advice.
    const std::vector<Rota> rotas = staff_rotas(in, prov);
    for (std::size_t a = 0; a < sc.areas.size(); ++a) {
        const int rota = in.networks.rota_of_area[a];
        double nursing = 0, advice = rota >= 0 ? rotas[static_cast<std::size_t>(rota)].advice : 0.0;
        for (std::size_t p = 0; p < sc.providers.size(); ++p) {
            const auto& spec = sc.providers[p];
            if (!prov.state[p].out_of_hours || prov.state[p].closed) continue;
            if (!prov.serves[a][p]) continue;
            if (spec.type == ProviderType::Ccn) nursing = 1;
            if (spec.type == ProviderType::Sppc || spec.type == ProviderType::Hospice) advice = 1;
        }
        // Out-of-hours nursing commissioned across authorities: an engaged commissioned team nearby
        // covers the area on a share of nights that grows with its engagement and staffing, and the
        // on-call time comes out of its daytime capacity.
        if (nursing < 1 && in.network_of(a).rota_24_7 && n.rota_joint_nursing) {
            for (int p : prov.pool_order[a]) {
                const auto& spec = sc.providers[static_cast<std::size_t>(p)];
                auto& ps = prov.state[static_cast<std::size_t>(p)];
                if (sc.travel(a, static_cast<std::size_t>(p)) > n.pooling_max_travel_minutes) break;
                if (spec.type != ProviderType::Ccn || !ps.out_of_hours || ps.closed) continue;
                const double people = spec.staff_wte * ps.effective_staff_ratio / n.rota_wte_per_person;
                const double share =
                    ps.engagement * (n.rota_min_nurses > 0 ? std::min(1.0, people / n.rota_min_nurses) : 1.0);
                if (share <= nursing) continue;
                ps.capacity =
                    std::max(0.0, ps.capacity - (share - nursing) * n.rota_daytime_loss_wte * ps.contacts_per_wte_day);
                nursing = share;
            }
        }
        prov.area_cover[a] = nursing * advice;
        if (report)
            rec.out.area_cover_days[static_cast<std::size_t>(ry) * sc.areas.size() + a] +=
                static_cast<std::int32_t>(std::lround(days_in_month_of(day_in_year) * prov.area_cover[a]));
    }
    // Costs once per rota and once per source of levers ([network], each [[local_network]] block).
    if (report) {
        double on_call = 0, running = 0;
        for (const Rota& r : rotas) on_call += r.cost;
        for (const auto& paid : in.networks.paid) running += paid.annual_cost();
        rec.out.network_cost[static_cast<std::size_t>(ry)] += on_call * month_fraction;
        rec.out.network_cost[static_cast<std::size_t>(ry)] += running * month_fraction;
        // By area, for the costs per ICB: each rota's payments over its areas, [network]'s costs over
        // every area and each block's over its areas, in proportion to their children (0-19).
        const std::size_t na = sc.areas.size();
        double* by_area = rec.out.area_network_cost.data() + static_cast<std::size_t>(ry) * na;
        auto spread = [&](double gbp, auto in_scope) {
            if (gbp == 0) return;
            double pop = 0;
            for (std::size_t a = 0; a < na; ++a)
                if (in_scope(a)) pop += sc.areas[a].population_0_19;
            for (std::size_t a = 0; a < na && pop > 0; ++a)
                if (in_scope(a)) by_area[a] += gbp * month_fraction * sc.areas[a].population_0_19 / pop;
        };
        for (std::size_t r = 0; r < rotas.size(); ++r)
            spread(rotas[r].cost, [&](std::size_t a) { return in.networks.rota_of_area[a] == static_cast<int>(r); });
        const auto& paid = in.networks.paid;
        spread(paid[0].annual_cost(), [](std::size_t) { return true; });
        for (std::size_t b = 1; b < paid.size(); ++b) {
            const auto& areas = sc.local_networks[b - 1].areas;
            spread(paid[b].annual_cost(),
                   [&](std::size_t a) { return std::find(areas.begin(), areas.end(), a) != areas.end(); });
        }
    }
}

}  // namespace cpcsim::engine
