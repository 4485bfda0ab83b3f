// Identification and referral (MODEL.md §4.3) with the network mechanisms that act on them:
// the coordinator's register, training, shared records and common standards (§4.5).
#include "engine/records.hpp"
#include "engine/state.hpp"

#include <algorithm>
#include <cmath>

namespace cpcsim::engine {

double Providers::engagement_of(const Child& c) const {
    double sum = 0;
    int n = 0;
    for (int p : c.home)
        if (p >= 0) sum += state[static_cast<std::size_t>(p)].engagement, ++n;
    return n ? sum / n : 0.0;
}

namespace {

/// Identification hazard ratio from the network at the child's engagement level, and the share of
/// the deprivation/ethnicity gap that outreach closes.
struct NetworkIdentification {
    double gain = 1;
    double gap_closed = 0;
};

NetworkIdentification network_identification(const Inputs& in, const Providers& prov, const Child& c) {
    const auto& n = in.network_of(c.area);
    const double e = prov.engagement_of(c);
    const double coord = std::min(n.coordinator_saturation_wte, n.coordinator_wte);
    return {1.0 + n.coordinator_identification_gain * coord * e + n.training_identification_gain * n.training * e,
            n.coordinator_equity_gain * coord * e};
}

double identification_ratio(const Inputs& in, const Providers& prov, const Child& c) {
    const auto& id = in.P.identification;
    const auto net = network_identification(in, prov, c);
    const double gap = id.deprivation_ratio[c.quintile] * id.ethnicity_ratio[c.ethnic];
    return std::pow(gap, 1.0 - net.gap_closed) * net.gain *
           std::exp2(-static_cast<double>(c.travel_to_specialist) / id.distance_halving_minutes);
}

/// Whether the child's last identification lost a referral (set by send_referral).
bool lost_any(const Child& c) {
    return c.year_flags & kLostReferral;
}

void send_referral(const Inputs& in, Population& pop, const Providers& prov, Recorder& rec, std::uint32_t ci,
                   int target) {
    Child& c = pop.child(ci);
    const int p = c.home[static_cast<std::size_t>(target)];
    if (p < 0) return;
    const auto bit = static_cast<std::uint8_t>(1u << target);
    if ((c.caseload & bit) || (c.referral_pending & bit)) return;
    const auto& n = in.network_of(c.area);
    const double e = prov.state[static_cast<std::size_t>(p)].engagement;
    const double coord = std::min(n.coordinator_saturation_wte, n.coordinator_wte);
    Draws d(in.key, streams::kReferral, c.id, c.referral_draws++);
    // Not every child needs every service: the need depends on the phase.
    if (!d.bernoulli(in.P.referral.need_by_phase[std::min<std::size_t>(c.phase, 3)][static_cast<std::size_t>(target)]))
        return;
    rec.count(c, MonthlyVar::referrals);
    const double loss = in.P.referral.loss_prob * (1.0 - (n.shared_records ? e : 0.0)) *
                        (1.0 - n.coordinator_loss_reduction * coord * e);
    const double u_loss = d.uniform();
    const double mean_delay = in.P.referral.delay_mean_days * (1.0 - n.coordinator_delay_reduction * coord * e) *
                              (1.0 - (n.shared_records ? n.records_delay_reduction * e : 0.0));
    const double delay = in.P.referral.min_delay_days + d.exponential(mean_delay > 0 ? 1.0 / mean_delay : 1e9);
    if (u_loss < loss) {
        rec.count(c, MonthlyVar::referrals_lost);
        if (rec.records) rec.records->referral_sent(c, target, pop.day(), true);
        c.year_flags |= kLostReferral;
        return;
    }
    c.referral_pending |= bit;
    rec.count(c, MonthlyVar::referral_delay_days, static_cast<std::int32_t>(delay));
    if (rec.records) rec.records->referral_sent(c, target, pop.day(), false);
    pop.schedule(pop.day() + static_cast<int>(delay), ci, kReferralArrive, 0, static_cast<std::uint8_t>(target));
}

}  // namespace

void schedule_identification(const Inputs& in, Population& pop, const Providers& prov, std::uint32_t ci,
                             std::uint32_t salt) {
    Child& c = pop.child(ci);
    const double rate = in.P.identification.rate_per_year[std::min<std::size_t>(c.phase, 3)] *
                        identification_ratio(in, prov, c) / 365.0;
    Draws d(in.key, streams::kIdentify, c.id, salt);
    const double t = d.exponential(rate);
    ++c.ident_token;
    if (t < static_cast<double>(c.phase_end - pop.day()))
        pop.schedule(pop.day() + 1 + static_cast<int>(t), ci, kIdentify, c.ident_token);
}

void identify(const Inputs& in, Population& pop, const Providers& prov, Recorder& rec, std::uint32_t ci) {
    Child& c = pop.child(ci);
    if (c.identified || !c.alive) return;
    c.identified = true;
    c.year_flags |= kKnown;
    rec.count(c, MonthlyVar::identified);
    const std::uint8_t before = c.referral_pending;
    c.year_flags = static_cast<std::uint8_t>(c.year_flags & ~kLostReferral);
    for (int t = 0; t < kTargets; ++t) send_referral(in, pop, prov, rec, ci, t);
    // Every referral lost: nobody holds the child, who must be identified again.
    if (c.referral_pending == before && c.caseload == 0 && lost_any(c)) {
        c.identified = false;
        schedule_identification(in, pop, prov, ci, 0x80000000u + c.referral_draws);
    } else if (rec.records) {
        rec.records->identified(c, pop.day());
    }
}

void refer_missing(const Inputs& in, Population& pop, const Providers& prov, Recorder& rec, std::uint32_t ci) {
    for (int t = 0; t < kTargets; ++t) send_referral(in, pop, prov, rec, ci, t);
}

namespace {

/// Care a child waiting for a caseload place would have been due, counted towards the year's
/// adequate care as due and not given (docs/model.md, "Adequate care"): the visits or contacts of
/// the service's interval for the child's phase that fell due during the wait, beyond the first,
/// which is given on acceptance; a referral refused after the longest wait misses that one too.
void count_care_missed_waiting(const CareParams& care, Child& c, Target t, int days_waited, bool refused) {
    const auto ph = std::min<std::size_t>(c.phase, 3);
    const double every = t == kToCcn    ? care.ccn_interval[ph]
                         : t == kToSppc ? care.sppc_interval[ph]
                                        : care.hospice_home_interval[ph];
    const int due = static_cast<int>(std::floor(days_waited / std::max(1.0, every))) + (refused ? 1 : 0);
    if (due > 0) tally_care(c, due, 0);
}

}  // namespace

bool referral_arrives(const Inputs& in, Population& pop, Providers& prov, Recorder& rec, std::uint32_t ci, Target t,
                      std::uint32_t waiting_since) {
    Child& c = pop.child(ci);
    const auto bit = static_cast<std::uint8_t>(1u << t);
    c.referral_pending = static_cast<std::uint8_t>(c.referral_pending & ~bit);
    if (!c.alive) return false;
    const int p = c.home[t];
    auto& ps = prov.state[static_cast<std::size_t>(p)];
    const auto& spec = in.scenario.providers[static_cast<std::size_t>(p)];
    const auto& n = in.network_of(c.area);
    const auto& r = in.P.referral;
    if (waiting_since == 0) {  // a waiting referral has already met the criteria
        double accept = spec.accept[c.category];
        if (n.common_standards)
            accept = (1.0 - ps.engagement) * accept + ps.engagement * r.standard_acceptance[c.category];
        Draws d(in.key, streams::kAccept, c.id, c.referral_draws++);
        if (!d.bernoulli(accept)) {
            rec.count(c, MonthlyVar::referrals_refused);
            if (rec.records) rec.records->referral_decided(c, t, pop.day(), false);
            return false;
        }
    }
    // Triage under load: above the caseload limit only deteriorating and dying children are taken
    // at once; others wait, looked at again every few days, and are refused after the longest wait.
    const int first_day = waiting_since > 0 ? static_cast<int>(waiting_since) - 1 : pop.day();
    if (ps.caseload_limit > 0 && ps.caseload_now >= ps.caseload_limit && c.phase < kDeteriorating) {
        if (waiting_since == 0) rec.count(c, MonthlyVar::referrals_waitlisted);
        if (pop.day() - first_day >= static_cast<int>(r.waitlist_max_days)) {
            count_care_missed_waiting(in.P.care, c, t, pop.day() - first_day, true);
            rec.count(c, MonthlyVar::referrals_refused);
            rec.count(c, MonthlyVar::referrals_lapsed_waiting);
            if (rec.records) rec.records->referral_decided(c, t, pop.day(), false);
            return false;
        }
        c.referral_pending |= bit;
        pop.schedule(pop.day() + static_cast<int>(r.waitlist_recheck_days), ci, kReferralArrive,
                     static_cast<std::uint32_t>(first_day + 1), static_cast<std::uint8_t>(t));
        return false;
    }
    if (waiting_since > 0) count_care_missed_waiting(in.P.care, c, t, pop.day() - first_day, false);
    rec.count(c, MonthlyVar::referrals_accepted);
    if (rec.records) rec.records->referral_decided(c, t, pop.day(), true);
    ++ps.caseload_now;
    if (c.caseload == 0) pop.on_caseload.push_back(ci);
    c.caseload |= bit;
    c.year_flags |= static_cast<std::uint8_t>(t == kToHospice ? kYearHospice : t == kToSppc ? kYearSppc : kYearCcn);
    if (t == kToSppc) {
        c.first_sppc_pending = true;
        c.sppc_accepted_day = first_day;  // the wait for a first contact includes the waiting list
    }
    return true;
}

void count_caseloads(const Inputs& in, Population& pop, Providers& prov) {
    // On day 0 (once, after seeding) caseloads above their limits are also cut.
    const bool trim = pop.day() == 0;
    for (auto& ps : prov.state) ps.caseload_now = 0;
    const int discharge_after = static_cast<int>(in.P.referral.sppc_discharge_stable_days);
    auto recount = [&](Child& c) {
        // SPPC involvement is episodic: a child stable for long goes back to community care.
        if (discharge_after > 0 && (c.caseload & kOnSppc) && c.phase == kStable && !c.first_sppc_pending &&
            pop.day() - c.phase_start >= discharge_after) {
            c.caseload = static_cast<std::uint8_t>(c.caseload & ~kOnSppc);
            c.visit_pending_since[kSppcContact] = -1;  // nothing more is due; a pending contact lapses
            c.next_visit_due[kSppcContact] = -1;
            ++c.visit_token[kSppcContact];
        }
        for (int t = 0; t < kTargets; ++t) {
            const auto bit = static_cast<std::uint8_t>(1u << t);
            if (!(c.caseload & bit) || c.home[static_cast<std::size_t>(t)] < 0) continue;
            auto& ps = prov.state[static_cast<std::size_t>(c.home[static_cast<std::size_t>(t)])];
            // The seeded population's caseloads (drawn without limits) are cut to the limits,
            // longest-known children kept, as the waiting lists would have kept them.
            if (trim && ps.caseload_limit > 0 && ps.caseload_now >= ps.caseload_limit && c.phase < kDeteriorating) {
                c.caseload = static_cast<std::uint8_t>(c.caseload & ~bit);
                continue;
            }
            ++ps.caseload_now;
        }
    };
    auto& listed = pop.on_caseload;
    if (trim) {  // the cut depends on the order: every living child, by area and position
        listed.clear();
        pop.for_each_living([&](std::uint32_t ci, Child& c) {
            if (c.caseload == 0) return;
            recount(c);
            if (c.caseload != 0) listed.push_back(ci);
        });
        return;
    }
    // Later recounts only count and discharge, whatever the order: the children on a caseload,
    // dropping those who died or left every caseload.
    std::size_t w = 0;
    for (std::size_t r = 0; r < listed.size(); ++r) {
        if (r + Population::kPrefetchAhead < listed.size()) pop.prefetch(listed[r + Population::kPrefetchAhead]);
        const std::uint32_t ci = listed[r];
        Child& c = pop.child(ci);
        if (!c.alive || c.caseload == 0) continue;
        recount(c);
        if (c.caseload != 0) listed[w++] = ci;
    }
    listed.resize(w);
}

}  // namespace cpcsim::engine
