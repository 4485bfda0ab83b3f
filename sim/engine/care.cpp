// Needs and care (MODEL.md §4.4): visits and contacts fall due by phase, hospice beds are asked
// for, and each provider serves what it can each day by priority (dying > deteriorating >
// unstable > stable), then by waiting time, then by child id: a fixed order, so results never
// depend on how the work is scheduled. Pooled capacity (§4.5) lends engaged members' spare
// capacity across catchments. Unplanned admissions and the end of life are decided here too.
#include "engine/records.hpp"
#include "engine/state.hpp"

#include <algorithm>
#include <cmath>

namespace cpcsim::engine {

namespace {

constexpr Target kVisitTarget[kVisitKinds] = {kToCcn, kToSppc, kToHospice};
constexpr MonthlyVar kNeeded[kVisitKinds] = {MonthlyVar::ccn_visits_needed, MonthlyVar::sppc_contacts_needed,
                                             MonthlyVar::hospice_home_visits_needed};
constexpr MonthlyVar kReceived[kVisitKinds] = {MonthlyVar::ccn_visits_received, MonthlyVar::sppc_contacts_received,
                                               MonthlyVar::hospice_home_visits_received};
constexpr MonthlyVar kUnmet[kVisitKinds] = {MonthlyVar::unmet_days_ccn, MonthlyVar::unmet_days_sppc,
                                            MonthlyVar::unmet_days_hospice_home};
constexpr MonthlyVar kMissed[kVisitKinds] = {MonthlyVar::ccn_visits_missed, MonthlyVar::sppc_contacts_missed,
                                             MonthlyVar::hospice_home_visits_missed};

bool on_caseload_for(const Child& c, Visit v) {
    return c.caseload & (1u << kVisitTarget[v]);
}

double interval(const CareParams& care, const Child& c, Visit v) {
    const auto ph = std::min<std::size_t>(c.phase, 3);
    return v == kCcnVisit      ? care.ccn_interval[ph]
           : v == kSppcContact ? care.sppc_interval[ph]
                               : care.hospice_home_interval[ph];
}

void schedule_visit(Population& pop, std::uint32_t ci, Visit v, int when) {
    Child& c = pop.child(ci);
    c.next_visit_due[v] = when;
    pop.schedule(when, ci, kVisitDue, ++c.visit_token[v], v);
}

void maybe_acp(const Inputs& in, const Providers& prov, Recorder& rec, Child& c, int provider, std::uint32_t salt) {
    if (c.acp) return;
    const auto& n = in.network_of(c.area);
    const double e = prov.state[static_cast<std::size_t>(provider)].engagement;
    const double base = c.phase >= kDeteriorating ? in.P.care.acp_prob_per_contact : in.P.care.acp_prob_stable_contact;
    const double p = base * (1.0 + n.training_acp_gain * n.training * e) *
                     (1.0 + (n.common_standards ? n.standards_acp_gain * e : 0.0));
    Draws d(in.key, streams::kAcp, c.id, salt);
    if (d.bernoulli(std::min(1.0, p))) {
        c.acp = true;
        rec.count(c, MonthlyVar::acp_completed);
    }
}

/// Records one visit or contact given by `provider` to child `ci`.
void give_visit(const Inputs& in, Population& pop, const Providers& prov, Recorder& rec, std::uint32_t ci, Visit v,
                int provider, bool pooled) {
    Child& c = pop.child(ci);
    // A visit is counted as needed when it is resolved (given or missed), in the same cell and
    // month as its outcome, so received <= needed and missed = needed - received exactly.
    rec.count(c, kNeeded[v]);
    rec.count(c, kReceived[v]);
    tally_care(c, 1, 1);
    rec.count(c, MonthlyVar::travel_minutes, prov.travel_minutes_counted(c.area, provider));
    rec.provider_add(provider, ProviderVar::units_given, 1);
    const auto& k = in.P.cost;
    rec.care_value(provider, c,
                   v == kCcnVisit      ? k.ccn_visit
                   : v == kSppcContact ? k.sppc_contact
                                       : k.hospice_home_visit);
    if (pooled) {
        rec.count(c, MonthlyVar::pooled_services);
        rec.provider_add(provider, ProviderVar::pooled_units_given, 1);
    }
    if (v != kCcnVisit) {
        c.year_flags |= kReached;
        maybe_acp(in, prov, rec, c, provider, static_cast<std::uint32_t>(pop.day()) * 4u + v);
    }
    if (v == kSppcContact && c.first_sppc_pending) {
        c.first_sppc_pending = false;
        rec.count(c, MonthlyVar::first_assessments);
        rec.count(c, MonthlyVar::first_assessment_wait_days, pop.day() - c.sppc_accepted_day);
    }
    c.visit_pending_since[v] = -1;
    schedule_visit(pop, ci, v, pop.day() + std::max(1, static_cast<int>(interval(in.P.care, c, v))));
}

struct Pending {
    std::uint32_t ci;
    std::int32_t since;
    std::uint8_t priority;
    std::uint32_t id;
    std::uint8_t kind;
    std::int16_t home;
};
inline bool before(const Pending& a, const Pending& b) {
    if (a.priority != b.priority) return a.priority > b.priority;
    if (a.since != b.since) return a.since < b.since;
    return a.id < b.id;
}
/// `before` as a type the sorts inline (a function pointer is called through on every comparison).
constexpr auto kBefore = [](const Pending& a, const Pending& b) { return before(a, b); };

/// Scratch vectors of the daily allocation, reused from day to day on each thread (a replicate
/// runs on one thread at a time, and each function empties its own before use), so the daily
/// loop does not allocate.
template <class T, int Slot>
std::vector<T>& scratch() {
    thread_local std::vector<T> v;
    v.clear();
    return v;
}

/// Today's whole units of a provider, carrying the fraction to tomorrow.
int take_units(double capacity, double& credit) {
    const double total = credit + capacity;
    const int units = static_cast<int>(std::floor(total + 1e-9));
    credit = total - units;
    return units;
}

/// Pooled capacity: the spare units each engaged provider offers other catchments today.
std::vector<int>& pooled_offer(const Inputs& in, const Providers& prov, const std::vector<int>& left) {
    std::vector<int>& offer = scratch<int, 1>();
    offer.assign(left.size(), 0);
    if (!in.networks.any) return offer;
    for (std::size_t p = 0; p < left.size(); ++p)
        if (in.provider_network(p).pooled_capacity)
            offer[p] = static_cast<int>(std::floor(left[p] * prov.state[p].engagement + 1e-9));
    return offer;
}

/// The nearest other provider of the same type, within the travel limit, with `need` units on offer.
int pool_candidate(const Inputs& in, const Providers& prov, const Child& c, int home, const std::vector<int>& offer,
                   int need = 1) {
    const auto type = static_cast<std::size_t>(in.scenario.providers[static_cast<std::size_t>(home)].type);
    for (int p : prov.pool_candidates[c.area][type])
        if (p != home && offer[static_cast<std::size_t>(p)] >= need) return p;
    return -1;
}

void serve_visits(const Inputs& in, Population& pop, Providers& prov, Recorder& rec) {
    const std::size_t np = prov.state.size();
    std::vector<int>& left = scratch<int, 0>();
    left.assign(np, 0);
    std::vector<Pending>& unserved = scratch<Pending, 0>();
    for (std::size_t p = 0; p < np; ++p) {
        auto& ps = prov.state[p];
        const auto type = in.scenario.providers[p].type;
        if (type == ProviderType::Hospital) continue;
        const Visit v = type == ProviderType::Ccn    ? kCcnVisit
                        : type == ProviderType::Sppc ? kSppcContact
                                                     : kHospiceHomeVisit;
        int units = type == ProviderType::Hospice ? ps.home_units_today : ps.units_today;
        std::vector<Pending>& queue = scratch<Pending, 1>();
        const auto& waiting = ps.visit_queue;
        for (std::size_t k = 0; k < waiting.size(); ++k) {
            if (k + Population::kPrefetchAhead < waiting.size()) pop.prefetch(waiting[k + Population::kPrefetchAhead]);
            const std::uint32_t ci = waiting[k];
            Child& c = pop.child(ci);
            if (!c.alive || c.visit_pending_since[v] < 0 || !on_caseload_for(c, v)) continue;
            if (c.place == kHospital) {  // admitted while waiting: no visit now; the next falls due as planned
                c.visit_pending_since[v] = -1;
                schedule_visit(pop, ci, v, pop.day() + std::max(1, static_cast<int>(interval(in.P.care, c, v))));
                continue;
            }
            queue.push_back({ci, c.visit_pending_since[v], c.phase, c.id, v, static_cast<std::int16_t>(p)});
        }
        // Only the set served matters (each visit's effects are keyed by child and day), so a
        // selection of the `units` highest-priority requests is enough: O(n), not a full sort.
        const std::size_t served = std::min(queue.size(), static_cast<std::size_t>(std::max(units, 0)));
        if (served < queue.size())
            std::nth_element(queue.begin(), queue.begin() + static_cast<std::ptrdiff_t>(served), queue.end(), kBefore);
        ps.visit_queue.clear();
        for (std::size_t i = 0; i < served; ++i)
            give_visit(in, pop, prov, rec, queue[i].ci, v, static_cast<int>(p), false);
        unserved.insert(unserved.end(), queue.begin() + static_cast<std::ptrdiff_t>(served), queue.end());
        left[p] = units - static_cast<int>(served);
    }
    auto& offer = pooled_offer(in, prov, left);
    // Pooled units on offer by visit kind; where none are, the order of the unserved is irrelevant.
    std::array<int, kVisitKinds> offered{};
    for (std::size_t p = 0; p < np; ++p) {
        const auto type = in.scenario.providers[p].type;
        if (type == ProviderType::Hospital) continue;
        offered[type == ProviderType::Ccn    ? kCcnVisit
                : type == ProviderType::Sppc ? kSppcContact
                                             : kHospiceHomeVisit] += offer[p];
    }
    const bool pooling = (offered[0] + offered[1] + offered[2]) > 0;
    if (pooling) {
        // Only requests of a kind with units on offer compete for them, in priority order.
        auto competing = std::stable_partition(unserved.begin(), unserved.end(),
                                               [&](const Pending& r) { return offered[r.kind] > 0; });
        std::sort(unserved.begin(), competing, kBefore);
    }
    for (const Pending& r : unserved) {
        Child& c = pop.child(r.ci);
        const Visit v = static_cast<Visit>(r.kind);
        const int q = pooling && offered[v] > 0 && in.network_of(c.area).pooled_capacity
                          ? pool_candidate(in, prov, c, r.home, offer)
                          : -1;
        if (q >= 0) {
            --offer[static_cast<std::size_t>(q)];
            --offered[v];
            give_visit(in, pop, prov, rec, r.ci, v, q, true);
            continue;
        }
        rec.count(c, kUnmet[v]);
        c.last_unmet_day = pop.day();
        // A visit not given within its interval (or the longest wait) is missed; the next one
        // falls due as planned.
        const int gap = std::max(1, static_cast<int>(interval(in.P.care, c, v)));
        if (pop.day() - r.since + 1 >= std::min(gap, static_cast<int>(in.P.care.visit_max_wait_days))) {
            rec.count(c, kNeeded[v]);
            rec.count(c, kMissed[v]);
            tally_care(c, 1, 0);
            c.visit_pending_since[v] = -1;
            schedule_visit(pop, r.ci, v, r.since + gap + 1 > pop.day() ? r.since + gap + 1 : pop.day() + 1);
        } else {
            prov.state[static_cast<std::size_t>(r.home)].visit_queue.push_back(r.ci);  // still pending tomorrow
        }
    }
}

MonthlyVar bed_needed(BedKind k) {
    return k == kRespite   ? MonthlyVar::respite_nights_needed
           : k == kSymptom ? MonthlyVar::symptom_nights_needed
                           : MonthlyVar::eol_hospice_nights_needed;
}
MonthlyVar bed_received(BedKind k) {
    return k == kRespite   ? MonthlyVar::respite_nights_received
           : k == kSymptom ? MonthlyVar::symptom_nights_received
                           : MonthlyVar::eol_hospice_nights_received;
}
MonthlyVar bed_unmet(BedKind k) {
    return k == kRespite   ? MonthlyVar::unmet_nights_respite
           : k == kSymptom ? MonthlyVar::unmet_nights_symptom
                           : MonthlyVar::unmet_days_eol;
}

/// Whether a bed request still stands for the child as they are today.
bool bed_request_valid(const Population& pop, const BedRequest& r) {
    const Child& c = pop.child(r.child);
    if (!c.alive) return false;
    switch (r.kind) {
        case kRespite:
            return c.phase == kStable && (c.place != kHospital);
        case kSymptom:
            return c.phase == kUnstable && c.place != kHospital;
        case kEndOfLife:
            return c.phase == kDying;
    }
    return false;
}

void end_bed_request(Population& pop, Recorder& rec, const BedRequest& r, bool unmet_rest) {
    Child& c = pop.child(r.child);
    if (unmet_rest && r.kind != kEndOfLife && r.nights_left > 0) {
        rec.count(c, bed_needed(r.kind), r.nights_left);
        rec.count(c, bed_unmet(r.kind), r.nights_left);
        tally_care(c, r.nights_left, 0);
    }
    c.bed_requested = false;
    if (c.place == kHospice && c.alive) c.place = kHome;
}

void give_night(const Inputs& in, Population& pop, const Providers& prov, Recorder& rec, BedRequest& r, int hospice,
                bool pooled) {
    Child& c = pop.child(r.child);
    if (!r.in_stay) {
        r.in_stay = true;
        r.provider = static_cast<std::int16_t>(hospice);
        rec.count(c, MonthlyVar::travel_minutes, prov.travel_minutes_counted(c.area, hospice));
        if (r.kind != kRespite) maybe_acp(in, prov, rec, c, hospice, static_cast<std::uint32_t>(pop.day()) * 4u + 3u);
        if (pooled) rec.count(c, MonthlyVar::pooled_services);
    }
    c.place = kHospice;
    c.year_flags |= kReached;
    // End-of-life nights are counted as needed each day the request stands (serve_beds); short
    // breaks and symptom stays night by night as they are given or declared unmet.
    if (r.kind != kEndOfLife) rec.count(c, bed_needed(r.kind));
    rec.count(c, bed_received(r.kind));
    tally_care(c, 1, 1);
    rec.provider_add(hospice, ProviderVar::units_given, 1);
    rec.care_value(hospice, c, in.P.cost.hospice_night_marginal);
    if (pooled) rec.provider_add(hospice, ProviderVar::pooled_units_given, 1);
    --r.nights_left;
}

/// Care staff a night of this stay takes, in beds at the short-break ratio.
double night_staff(const Inputs& in, const BedRequest& r) {
    return r.kind == kRespite ? 1.0 : in.P.care.hospice_one_to_one_units;
}
/// The same in whole units, for another hospice's spare beds (pooling).
int night_units(const Inputs& in, const BedRequest& r) {
    return static_cast<int>(std::ceil(night_staff(in, r) - 1e-9));
}

void serve_beds(const Inputs& in, Population& pop, Providers& prov, Recorder& rec) {
    const std::size_t np = prov.state.size();
    std::vector<int>& left = scratch<int, 0>();
    left.assign(np, 0);
    struct Waiting {
        int hospice;
        std::size_t index;
        Pending key;
    };
    std::vector<Waiting>& unserved = scratch<Waiting, 0>();
    for (int p : prov.providers_by_type[static_cast<std::size_t>(ProviderType::Hospice)]) {
        auto& ps = prov.state[static_cast<std::size_t>(p)];
        auto& beds = ps.beds;
        // Drop requests that no longer stand; a stay cut short leaves its remaining nights unmet.
        std::vector<BedRequest>& keep = scratch<BedRequest, 0>();
        for (auto& r : beds) {
            if (bed_request_valid(pop, r)) {
                keep.push_back(r);
            } else {
                end_bed_request(pop, rec, r, false);
            }
        }
        beds.swap(keep);
        // Care staff on shift, in beds at the short-break ratio (1:2): a child at the end of life or
        // in a symptom stay needs one-to-one care and takes `hospice_one_to_one_units` of them; the
        // dedicated end-of-life beds have their own staff (evidence-capacity-costs.md §2.2).
        // Only the requests that can get a bed today need ordering: select the best
        // (general + end-of-life beds) of them, then order those. Pooled stays given by another
        // hospice are served there.
        const int general = ps.units_today;
        double staff = general;
        int eol = ps.eol_beds_today;
        std::vector<std::size_t>& order = scratch<std::size_t, 0>();
        for (std::size_t i = 0; i < beds.size(); ++i)
            if (!(beds[i].in_stay && beds[i].provider != p)) order.push_back(i);
        auto better = [&](std::size_t a, std::size_t b) {
            const auto& x = beds[a];
            const auto& y = beds[b];
            if (x.priority != y.priority) return x.priority > y.priority;
            if (x.in_stay != y.in_stay) return x.in_stay;
            if (x.since != y.since) return x.since < y.since;
            return x.id < y.id;
        };
        const std::size_t can_serve = std::min(order.size(), static_cast<std::size_t>(std::max(0, general + eol)));
        if (can_serve < order.size())
            std::nth_element(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(can_serve), order.end(),
                             better);
        std::sort(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(can_serve), better);
        std::vector<char>& served = scratch<char, 0>();
        served.assign(beds.size(), 0);
        // An end-of-life bed is wanted every day the request stands, served or not.
        for (const auto& r : beds)
            if (r.kind == kEndOfLife) rec.count(pop.child(r.child), MonthlyVar::eol_hospice_nights_needed);
        bool skipped = false;
        auto serve = [&](std::size_t from, std::size_t to) {
            for (std::size_t k = from; k < to; ++k) {
                auto& r = beds[order[k]];
                if (r.kind == kEndOfLife && eol > 0) {
                    --eol;
                } else if (staff + 1e-9 >= night_staff(in, r)) {
                    staff -= night_staff(in, r);
                } else {
                    skipped = true;
                    continue;
                }
                give_night(in, pop, prov, rec, r, p, false);
                served[order[k]] = 1;
            }
        };
        serve(0, can_serve);
        // A one-to-one child who did not fit leaves staff that lower-priority short breaks can use.
        if (skipped && staff >= 1 - 1e-9 && can_serve < order.size()) {
            std::sort(order.begin() + static_cast<std::ptrdiff_t>(can_serve), order.end(), better);
            serve(can_serve, order.size());
        }
        left[static_cast<std::size_t>(p)] = static_cast<int>(std::floor(staff + 1e-9));
        for (std::size_t i = 0; i < beds.size(); ++i)
            if (!served[i] && !(beds[i].in_stay && beds[i].provider != p))
                unserved.push_back(
                    {p,
                     i,
                     {beds[i].child, beds[i].since, beds[i].priority, beds[i].id, 0, static_cast<std::int16_t>(p)}});
    }
    // Pooled stays being given by another hospice.
    for (int p : prov.providers_by_type[static_cast<std::size_t>(ProviderType::Hospice)]) {
        for (auto& r : prov.state[static_cast<std::size_t>(p)].beds) {
            if (!(r.in_stay && r.provider != p)) continue;
            auto& l = left[static_cast<std::size_t>(r.provider)];
            if (l >= night_units(in, r)) {
                l -= night_units(in, r);
                give_night(in, pop, prov, rec, r, r.provider, true);
            } else {
                unserved.push_back({p,
                                    static_cast<std::size_t>(&r - prov.state[static_cast<std::size_t>(p)].beds.data()),
                                    {r.child, r.since, r.priority, r.id, 0, static_cast<std::int16_t>(p)}});
            }
        }
    }
    auto& offer = pooled_offer(in, prov, left);
    int offered = 0;
    for (int o : offer) offered += o;
    if (offered > 0)  // the order matters only when pooled beds are on offer
        std::sort(unserved.begin(), unserved.end(),
                  [](const Waiting& a, const Waiting& b) { return before(a.key, b.key); });
    for (const auto& w : unserved) {
        auto& r = prov.state[static_cast<std::size_t>(w.hospice)].beds[w.index];
        Child& c = pop.child(r.child);
        const int q = (offered > 0 && r.kind != kRespite && !r.in_stay)
                          ? pool_candidate(in, prov, c, w.hospice, offer, night_units(in, r))
                          : -1;
        if (q >= 0) {
            offer[static_cast<std::size_t>(q)] -= night_units(in, r);
            offered -= night_units(in, r);
            give_night(in, pop, prov, rec, r, q, true);
            continue;
        }
        if (r.kind == kEndOfLife) {
            rec.count(c, MonthlyVar::unmet_days_eol);
            tally_care(c, 1, 0);
            c.last_unmet_day = pop.day();
        }
        if (r.in_stay) {  // pre-empted: the stay ends, the rest of it is unmet
            end_bed_request(pop, rec, r, true);
            r.nights_left = 0;
        } else if ((r.kind == kRespite && pop.day() - r.since >= static_cast<int>(in.P.care.respite_max_wait_days)) ||
                   (r.kind == kSymptom && pop.day() - r.since >= static_cast<int>(in.P.care.symptom_max_wait_days))) {
            end_bed_request(pop, rec, r, true);
            r.nights_left = 0;
        }
    }
    // Remove finished requests.
    for (int p : prov.providers_by_type[static_cast<std::size_t>(ProviderType::Hospice)]) {
        auto& beds = prov.state[static_cast<std::size_t>(p)].beds;
        std::vector<BedRequest>& keep = scratch<BedRequest, 0>();
        for (auto& r : beds) {
            if (r.nights_left > 0) {
                keep.push_back(r);
            } else if (pop.child(r.child).bed_requested) {
                end_bed_request(pop, rec, r, false);
            }
        }
        beds.swap(keep);
    }
}

void request_bed(Population& pop, Providers& prov, std::uint32_t ci, BedKind kind, int nights, std::uint8_t priority) {
    Child& c = pop.child(ci);
    const int hospice = c.home[kToHospice];
    if (hospice < 0 || c.bed_requested) return;
    c.bed_requested = true;
    prov.state[static_cast<std::size_t>(hospice)].beds.push_back(
        BedRequest{ci, c.id, pop.day(), static_cast<std::int16_t>(nights), kind, priority, false,
                   static_cast<std::int16_t>(hospice)});
}

/// The child's level of community support today (evidence-capacity-costs.md §4.3): 0 none; 1 on a
/// CCN, SPPC or hospice caseload; 2 SPPC or hospice with an ACP; 3 level 2 with 24/7 cover in the
/// area. Unmet need in the last admission.unmet_need_window_days days counts one level lower.
/// 24/7 cover is a share of nights (the rota staffs what it can), so level 3 holds on that share:
/// the ratio is the mixture of levels 3 and 2 weighted by the area's cover.
double support_ratio(const AdmissionParams& a, int level) {
    switch (level) {
        case 1:
            return a.rr_community;
        case 2:
            return a.rr_specialist;
        case 3:
            return a.rr_specialist_24_7;
        default:
            return 1.0;
    }
}

/// Ratio of the admission hazard from the child's care today: one ratio for the child's pathway
/// (support level), for deteriorating and dying children only; no effect is evidenced outside the
/// end of life (Fraser 2013's IRR 0.60 is for planned admissions, which cpcsim does not model).
double admission_ratio(const Inputs& in, const Population& pop, const Providers& prov, const Child& c) {
    if (c.phase < kDeteriorating) return 1.0;
    const auto& a = in.P.admission;
    const int down = c.caseload != 0 && pop.day() - c.last_unmet_day <= static_cast<int>(a.unmet_need_window_days);
    if (!(c.acp && (c.caseload & (kOnSppc | kOnHospice)))) return support_ratio(a, (c.caseload != 0 ? 1 : 0) - down);
    const double cover = prov.area_cover[c.area];
    return cover * support_ratio(a, 3 - down) + (1.0 - cover) * support_ratio(a, 2 - down);
}

/// Chance that a recognised child on a service, with a plan for home or hospice, starts dying there:
/// anchored to published achievement with and without 24/7 cover, lower where the evidence finds
/// worse achievement (deprivation, ethnicity).
double achievement(const EndOfLifeParams& e, const Providers& prov, const Child& c) {
    const double cover = c.preferred == kHospice ? 1.0 : prov.area_cover[c.area];  // a hospice is staffed 24/7
    const double p = cover * e.achievement_prob[0] + (1.0 - cover) * e.achievement_prob[1];
    return std::min(1.0, p * e.achievement_quintile_ratio[c.quintile] * e.achievement_ethnicity_ratio[c.ethnic]);
}

bool dying_recognised(const Child& c, int day) {
    return c.eol_recognised || (c.eol_recognise_day >= 0 && day >= c.eol_recognise_day);
}

/// In intensive care, dying not otherwise recognised may be recognised by a decision to withdraw
/// treatment (one draw per child, so the answer is the same every day).
bool withdrawal_decided(const Inputs& in, const Child& c) {
    if (!c.in_picu) return false;
    Draws d(in.key, streams::kEolHospital, c.id, 1);
    return d.uniform() < in.P.eol.picu_withdrawal_prob;
}

void start_end_of_life(const Inputs& in, Population& pop, Providers& prov, Recorder& rec, Handoffs& h,
                       std::uint32_t ci) {
    Child& c = pop.child(ci);
    const auto& e = in.P.eol;
    std::array<double, kPlaces> w = e.preference;
    const bool neonate = pop.day() - c.birth_day < static_cast<int>(e.neonatal_days);
    for (std::size_t k = 0; k < kPlaces; ++k) {
        if (c.diagnosis == 1) w[k] *= e.cancer_ratio[k];
        if (neonate) w[k] *= e.neonate_ratio[k];
        if (c.quintile == kQuintiles - 1) w[k] *= e.q5_ratio[k];
        if (c.ethnic != 0) w[k] *= e.minority_ratio[k];
    }
    Draws d(in.key, streams::kEol, c.id, 0);
    c.preferred = static_cast<std::uint8_t>(d.categorical(w));  // the family's wish, known or not
    const double u = d.uniform();
    // Recognition: dying is seen and acted on at its start for some, late (days before death) for
    // some, never for others (sudden deaths, acute episodes not seen as terminal).
    const double p_recognised = neonate ? e.neonatal_recognition_prob : e.recognition_prob[c.category];
    c.eol_recognised = d.uniform() < p_recognised;
    const bool late = !c.eol_recognised && d.uniform() < e.late_recognition_prob;
    c.eol_recognise_day = late ? std::max(pop.day(), c.phase_end - static_cast<int>(e.late_recognition_days)) : -1;
    c.eol_hospital_assessed = false;
    c.eol_sppc = false;
    if (c.place == kHospital) return;  // an inpatient: the hospital pathway (daily_checks)
    // Only palliative-care involvement changes the place: being known without a service does not.
    const bool served = (c.caseload & (kOnSppc | kOnHospice)) != 0;
    bool hospital;
    if (neonate) {
        hospital = u < e.neonatal_hospital_prob;
    } else if (!c.eol_recognised || !served) {
        hospital = u < e.unidentified_hospital_prob;
    } else if (!c.acp) {
        hospital = u < e.served_no_acp_hospital_prob;
    } else {
        hospital = c.preferred == kHospital || u >= achievement(e, prov, c);
    }
    if (hospital) {
        admit(in, pop, rec, h, ci);
        return;
    }
    if (c.eol_recognised && c.preferred == kHospice && (c.caseload & kOnHospice)) {
        if (c.bed_requested) {  // already in or waiting for a stay: it becomes end-of-life care
            for (auto& r : prov.state[static_cast<std::size_t>(c.home[kToHospice])].beds)
                if (r.child == ci) r.kind = kEndOfLife, r.priority = 3, r.nights_left = 10000;
            for (int p : prov.providers_by_type[static_cast<std::size_t>(ProviderType::Hospice)])
                for (auto& r : prov.state[static_cast<std::size_t>(p)].beds)
                    if (r.child == ci) r.kind = kEndOfLife, r.priority = 3, r.nights_left = 10000;
        } else {
            request_bed(pop, prov, ci, kEndOfLife, 10000, 3);
        }
    }
}

/// A recognised dying inpatient: an SPPC team may see them in hospital or intensive care, make a
/// plan, and bring them home (24/7 cover needed) or to their hospice (a free bed needed) to die.
/// Intensive care decides once (at the withdrawal decision); a ward may transfer on any day.
void hospital_end_of_life(const Inputs& in, Population& pop, Providers& prov, Recorder& rec, std::uint32_t ci) {
    Child& c = pop.child(ci);
    const auto& e = in.P.eol;
    const double cover = c.preferred == kHospice ? 1.0 : prov.area_cover[c.area];
    const bool hospice_ok = c.preferred == kHospice && (c.caseload & kOnHospice) && !c.bed_requested;
    auto transfer = [&] {
        if (c.preferred == kHome) {
            c.place = kHome;
        } else if (hospice_ok) {
            request_bed(pop, prov, ci, kEndOfLife, 10000, 3);  // moves when a bed is free
        }
    };
    if (!c.eol_hospital_assessed) {
        c.eol_hospital_assessed = true;
        Draws once(in.key, streams::kEolHospital, c.id, 0);
        const bool consult = once.uniform() < e.inpatient_sppc_consult_prob;
        const int team = c.home[kToSppc];
        const bool staffed = team >= 0 && prov.state[static_cast<std::size_t>(team)].capacity > 0;
        // A team with no staff this month sees nobody; a child already on its caseload keeps its
        // involvement (and plan) whatever the month's staffing.
        c.eol_sppc = (c.caseload & kOnSppc) || (staffed && consult);
        if (c.eol_sppc && staffed) {
            // The team's assessment, on the ward or in intensive care, is a contact: it reaches the
            // child and comes out of the team's contacts today (give_care). A child the team sees
            // who was not yet known to palliative care is known from now (no referrals follow: the
            // child is dying in hospital, and the team that saw them is already involved).
            if (!c.identified) {
                c.identified = true;
                c.year_flags |= kKnown;
                rec.count(c, MonthlyVar::identified);
                if (rec.records) rec.records->identified(c, pop.day());
            }
            ++prov.state[static_cast<std::size_t>(team)].inpatient_contacts;
            rec.count(c, kNeeded[kSppcContact]);
            rec.count(c, kReceived[kSppcContact]);
            tally_care(c, 1, 1);
            rec.provider_add(team, ProviderVar::units_given, 1);
            rec.care_value(team, c, in.P.cost.sppc_contact);
            c.year_flags |= kReached;
        }
        if (c.eol_sppc && !c.acp && once.uniform() < e.inpatient_acp_prob) {
            c.acp = true;
            rec.count(c, MonthlyVar::acp_completed);
        }
        if (c.in_picu) {
            const bool go = once.uniform() < e.picu_transfer_prob * cover;
            if (c.eol_sppc && c.acp && go) transfer();
            return;
        }
    }
    if (c.in_picu || !c.eol_sppc || !c.acp || !(c.preferred == kHome || hospice_ok)) return;
    Draws d(in.key, streams::kEolDaily, c.id, static_cast<std::uint32_t>(pop.day()));
    if (d.bernoulli(e.rapid_transfer_prob * cover)) transfer();
}

}  // namespace

void visit_due(const Inputs& in, Population& pop, Providers& prov, Recorder& /*rec*/, std::uint32_t ci, Visit v) {
    Child& c = pop.child(ci);
    if (!c.alive || !on_caseload_for(c, v) || c.visit_pending_since[v] >= 0) return;
    c.next_visit_due[v] = -1;
    if (c.place == kHospital) {
        schedule_visit(pop, ci, v, pop.day() + std::max(1, static_cast<int>(interval(in.P.care, c, v))));
        return;
    }
    c.visit_pending_since[v] = pop.day();
    prov.state[static_cast<std::size_t>(c.home[kVisitTarget[v]])].visit_queue.push_back(ci);
}

void start_care(const Inputs& in, Population& pop, Providers& prov, Recorder& rec, std::uint32_t ci, Target t) {
    // The first contact is due now; later ones follow the phase's interval.
    visit_due(in, pop, prov, rec, ci, t == kToHospice ? kHospiceHomeVisit : t == kToSppc ? kSppcContact : kCcnVisit);
    if (t == kToHospice && pop.child(ci).phase == kStable) respite_due(in, pop, prov, rec, ci);
}

void respite_due(const Inputs& in, Population& pop, Providers& prov, Recorder& /*rec*/, std::uint32_t ci) {
    Child& c = pop.child(ci);
    if (!c.alive || !(c.caseload & kOnHospice)) return;
    const auto& care = in.P.care;
    if (care.respite_nights_per_year <= 0) return;
    const double mean_gap = 365.0 * care.respite_stay_nights / care.respite_nights_per_year;
    Draws d(in.key, streams::kRespite, c.id, static_cast<std::uint32_t>(pop.day()));
    const int gap = std::max(1, static_cast<int>(mean_gap * (1.0 - care.respite_interval_spread +
                                                             2.0 * care.respite_interval_spread * d.uniform())));
    pop.schedule(pop.day() + gap, ci, kRespiteDue, ++c.respite_token);
    if (c.phase == kStable && c.place == kHome)
        request_bed(pop, prov, ci, kRespite, static_cast<int>(care.respite_stay_nights), 0);
}

void on_phase_change_care(const Inputs& in, Population& pop, Providers& prov, Recorder& rec, Handoffs& h,
                          std::uint32_t ci) {
    Child& c = pop.child(ci);
    for (int k = 0; k < kVisitKinds; ++k) {
        const auto v = static_cast<Visit>(k);
        if (!on_caseload_for(c, v) || c.visit_pending_since[v] >= 0) continue;
        const int due = pop.day() + std::max(1, static_cast<int>(interval(in.P.care, c, v)));
        if (c.next_visit_due[v] < 0 || due < c.next_visit_due[v]) schedule_visit(pop, ci, v, due);
    }
    if (c.phase == kStable) {
        schedule_stable_admission(in, pop, ci);
    } else {
        ++c.admission_token;  // a stable child's scheduled admission no longer applies
    }
    if (c.phase == kUnstable && (c.caseload & kOnHospice) && c.place == kHome && !c.bed_requested) {
        Draws d(in.key, streams::kSymptom, c.id, c.phase_draws);
        if (d.bernoulli(in.P.care.symptom_stay_prob))
            request_bed(pop, prov, ci, kSymptom, static_cast<int>(in.P.care.symptom_stay_nights), 1);
    }
    if (c.phase == kDying) {
        // Already in hospital: the stay now lasts until death, beyond its planned discharge.
        if (c.place == kHospital && c.discharge_day >= pop.day() && c.phase_end > c.discharge_day)
            rec.count(c, MonthlyVar::bed_days, c.phase_end - c.discharge_day);
        start_end_of_life(in, pop, prov, rec, h, ci);
    }
}

void schedule_stable_admission(const Inputs& in, Population& pop, std::uint32_t ci) {
    Child& c = pop.child(ci);
    const auto& a = in.P.admission;
    const double rate = a.rate_per_year[0] / 365.0;
    Draws d(in.key, streams::kAdmitStable, c.id, c.admission_draws++);
    const double t = d.exponential(rate);
    ++c.admission_token;
    if (t < static_cast<double>(c.phase_end - pop.day()))
        pop.schedule(pop.day() + 1 + static_cast<int>(t), ci, kStableAdmission, c.admission_token);
}

void admit(const Inputs& in, Population& pop, Recorder& rec, Handoffs& h, std::uint32_t ci) {
    Child& c = pop.child(ci);
    const auto& a = in.P.admission;
    const auto ph = std::min<std::size_t>(c.phase, 3);
    Draws d(in.key, streams::kStay, c.id, static_cast<std::uint32_t>(pop.day()));
    int los = 1 + static_cast<int>(d.exponential(1.0 / a.mean_stay_days[ph]));
    // A dying child stays until death: bed-days are booked only until then.
    if (c.phase == kDying) los = std::max(1, std::min(los, c.phase_end - pop.day()));
    const bool specialist = c.acp && (c.caseload & (kOnSppc | kOnHospice));
    const bool picu = d.bernoulli(a.picu_prob[ph] * (specialist ? a.picu_rr_specialist : 1.0));
    c.place = kHospital;
    c.in_picu = picu;
    if (los >= 2 || picu) c.year_flags |= kYearLongAdmission;
    rec.count(c, MonthlyVar::unplanned_admissions);
    rec.count(c, MonthlyVar::bed_days, los);
    if (picu) rec.count(c, MonthlyVar::picu_days, los);
    if (c.phase != kDying) {
        c.discharge_day = pop.day() + los;
        pop.schedule(c.discharge_day, ci, kDischarge, 0);
    }
    if (!c.identified) {
        const auto& id = in.P.identification;
        const double p = id.at_admission_prob * id.deprivation_ratio[c.quintile] * id.ethnicity_ratio[c.ethnic];
        if (d.bernoulli(std::min(1.0, p))) h.push_back({Handoff::kIdentify, ci});
    }
}

void discharge(const Inputs& in, Population& pop, std::uint32_t ci) {
    Child& c = pop.child(ci);
    if (!c.alive || c.place != kHospital || c.discharge_day != pop.day() || c.phase == kDying) return;
    c.place = kHome;
    if (c.phase == kStable) schedule_stable_admission(in, pop, ci);
}

std::vector<std::uint32_t> daily_checks(const Inputs& in, Population& pop, Providers& prov, Recorder& rec) {
    const auto& a = in.P.admission;
    const auto& e = in.P.eol;
    std::vector<std::uint32_t> admissions;
    // First drop those who died or became stable, then draw the first block of every remaining
    // child's admission draws together (first_blocks), then check each child in the same order.
    std::vector<std::uint32_t>& ids = scratch<std::uint32_t, 0>();
    std::size_t w = 0;
    for (std::size_t r = 0; r < pop.active.size(); ++r) {
        if (r + Population::kPrefetchAhead < pop.active.size())
            pop.prefetch(pop.active[r + Population::kPrefetchAhead]);
        const std::uint32_t ci = pop.active[r];
        Child& c = pop.child(ci);
        if (!c.alive || c.phase == kStable) {
            c.active_listed = false;
            continue;
        }
        pop.active[w++] = ci;
        ids.push_back(c.id);
    }
    pop.active.resize(w);
    std::vector<DrawBlock>& blocks = scratch<DrawBlock, 0>();
    blocks.resize(w);
    const auto today = static_cast<std::uint32_t>(pop.day());
    first_blocks(in.key, streams::kAdmit, ids, today, blocks);
    for (std::size_t r = 0; r < w; ++r) {  // no prefetch: the pass above has just read each child
        const std::uint32_t ci = pop.active[r];
        Child& c = pop.child(ci);
        if (c.place == kHome && c.phase == kDying && c.eol_recognise_day == pop.day() && c.preferred == kHospice &&
            (c.caseload & kOnHospice) && !c.bed_requested)
            request_bed(pop, prov, ci, kEndOfLife, 10000, 3);  // recognised late: the hospice is asked now
        if (c.place == kHome) {
            Draws d(in.key, streams::kAdmit, c.id, today, blocks[r]);
            const double h = a.rate_per_year[c.phase] / 365.0 * admission_ratio(in, pop, prov, c);
            if (d.uniform() < pop.admission_chance(h)) {
                bool avoided = false;
                if (c.phase == kDying && c.acp && c.preferred != kHospital && dying_recognised(c, pop.day())) {
                    const double eng = in.network_of(c.area).shared_records ? prov.engagement_of(c) : 0.0;
                    const double visible = 1.0 - (1.0 - e.ooh_acp_visible_prob) * (1.0 - eng);
                    avoided = d.uniform() < visible;
                }
                if (!avoided) admissions.push_back(ci);
            }
        } else if (c.place == kHospital && c.phase == kDying &&
                   (dying_recognised(c, pop.day()) || withdrawal_decided(in, c))) {
            hospital_end_of_life(in, pop, prov, rec, ci);
        }
    }
    return admissions;
}

void give_care(const Inputs& in, Population& pop, Providers& prov, Recorder& rec) {
    for (std::size_t p = 0; p < prov.state.size(); ++p) {
        const auto& n = in.provider_network(p);
        auto& ps = prov.state[p];
        const auto type = in.scenario.providers[p].type;
        const double records =
            (n.shared_records && type != ProviderType::Hospice) ? 1.0 + n.records_capacity_gain * ps.engagement : 1.0;
        if (type == ProviderType::Hospice) {
            // Staffed beds as a fractional capacity carried from day to day, not rounded down.
            ps.units_today = take_units(ps.closed ? 0.0 : ps.capacity, ps.unit_credit);
            ps.eol_beds_today = ps.closed ? 0 : static_cast<int>(in.scenario.providers[p].eol_beds);
            ps.home_units_today = take_units(ps.home_capacity, ps.home_credit);
        } else {
            ps.units_today = std::max(0, take_units(ps.capacity * records, ps.unit_credit) - ps.inpatient_contacts);
        }
        ps.inpatient_contacts = 0;
    }
    serve_beds(in, pop, prov, rec);
    serve_visits(in, pop, prov, rec);
}

}  // namespace cpcsim::engine
