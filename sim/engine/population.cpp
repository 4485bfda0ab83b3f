// Entries, the phase-of-illness process, exits and annual tallies. The phase process depends only
// on the child (never on care, except the default-zero care_survival_effect), so scenarios with
// the same seed share every child's illness trajectory: common random numbers.
#include "engine/records.hpp"
#include "engine/state.hpp"

#include <algorithm>
#include <cmath>

namespace cpcsim::engine {

namespace {

constexpr int kDayOffset = 1'000'000;  // keeps negative (prehistory) days positive in keys

int age_days(const Child& c, int day) {
    return day - c.birth_day;
}

/// Rate multiplier of an area's mix of deprivation and ethnicity (quintile and ethnic group taken
/// as independent within an area, for want of a published cross-tabulation).
double area_mix(const Inputs& in, const Area& a) {
    const auto& pop = in.P.population;
    double mix = 0;
    for (int q = 0; q < kQuintiles; ++q)
        for (int e = 0; e < kEthnicGroups; ++e)
            mix += a.quintile_share[static_cast<std::size_t>(q)] * a.ethnic_share[static_cast<std::size_t>(e)] *
                   pop.deprivation_rate_ratio[static_cast<std::size_t>(q)] *
                   pop.ethnicity_rate_ratio[static_cast<std::size_t>(e)];
    return mix;
}

/// Expected entries per day in one area, by age band, at trend factor 1. The entry rates are
/// region averages: the area's mix ratio is divided by the region's population-weighted mean mix.
std::array<double, kAgeBands> area_entry_rates(const Inputs& in, const Area& a) {
    const auto& pop = in.P.population;
    double region_mix = 0, region_pop = 0;
    for (const auto& other : in.scenario.areas) {
        region_mix += other.population_0_19 * area_mix(in, other);
        region_pop += other.population_0_19;
    }
    const double mix = area_mix(in, a) / (region_mix / region_pop);
    std::array<double, kAgeBands> r{};
    for (int b = 0; b < kAgeBands; ++b)
        r[static_cast<std::size_t>(b)] = a.population_0_19 * kBandYears[static_cast<std::size_t>(b)] / 20.0 *
                                         pop.entry_rate_per_10000[static_cast<std::size_t>(b)] / 10000.0 / 365.0 * mix *
                                         pop.prevalence_multiplier;
    return r;
}

double trend_factor(const Inputs& in, const Clock& clock, int day) {
    const double years = static_cast<double>(day - clock.warmup_days) / 365.0;
    return std::pow(1.0 + in.P.population.trend_per_year, years);
}

/// Draws day `day`'s entrants of one area and appends them to `out` (not yet started). `trend` is
/// trend_factor(day), the same for every area (one std::pow a day, not one per area); `first` the
/// first block of the area's entry draws (draw_entries_of_day computes every area's together).
/// Entrants who are sure to be gone before day `alive_at` (they reach the age limit, and could at
/// most die after it a dying phase later) take their id and age only and are not appended: the
/// prehistory (alive_at = 0) would follow them to an end that no draw of theirs can change.
void draw_entrants(const Inputs& in, Population& pop, const Providers& prov, int area, int day, double trend,
                   const DrawBlock& first, std::vector<Child>& out, int alive_at) {
    const Area& a = in.scenario.areas[static_cast<std::size_t>(area)];
    const auto& rates = pop.entry_rates[static_cast<std::size_t>(area)];
    double total = 0;
    for (double r : rates) total += r;
    total *= trend;
    // exp(-mean) of the Poisson draw, kept while the area's mean stays the same (every day without
    // a population trend): the same value, computed once.
    auto& [mean, p0] = pop.entry_mean[static_cast<std::size_t>(area)];
    if (total != mean) mean = total, p0 = std::exp(-total);
    Draws d(in.key, streams::kEntry, static_cast<std::uint32_t>(area), static_cast<std::uint32_t>(day + kDayOffset),
            first);
    const std::uint32_t n = d.poisson(total, p0);
    const auto& pp = in.P.population;
    for (std::uint32_t k = 0; k < n; ++k) {
        Child c;
        c.id = pop.next_id++;
        Draws x(in.key, streams::kEntrant, c.id, 0, Draws::TwoBlocks{});  // seven or more uniforms
        const auto band = static_cast<int>(x.categorical(rates));
        int age = 0;
        if (band == 0) {
            age = x.bernoulli(pp.infant_entry_at_birth_prob) ? 0 : static_cast<int>(x.below(365));
        } else {
            const int lo = band_end_days(band - 1);
            const int hi = band == kAgeBands - 1 ? in.P.run.max_age_years * 365 : band_end_days(band);
            age = lo + static_cast<int>(x.below(static_cast<std::uint32_t>(std::max(1, hi - lo))));
        }
        // Every phase but dying ends by the age limit (next_transition), and dying lasts dying_days
        // at most, so the child's last day is before limit + dying_days.
        if (day - age + in.P.run.max_age_years * 365 + static_cast<int>(in.P.phase.dying_days) + 1 < alive_at) continue;
        std::array<double, kQuintiles> wq{};
        for (std::size_t q = 0; q < kQuintiles; ++q) wq[q] = a.quintile_share[q] * pp.deprivation_rate_ratio[q];
        std::array<double, kEthnicGroups> we{};
        for (std::size_t e = 0; e < kEthnicGroups; ++e) we[e] = a.ethnic_share[e] * pp.ethnicity_rate_ratio[e];
        c.area = static_cast<std::uint16_t>(area);
        c.quintile = static_cast<std::uint8_t>(x.categorical(wq));
        c.ethnic = static_cast<std::uint8_t>(x.categorical(we));
        c.female = x.bernoulli(1.0 / (1.0 + pp.male_rate_ratio)) ? 1 : 0;
        c.rural = x.bernoulli(a.rural_share) ? 1 : 0;
        c.cell = static_cast<std::uint32_t>(cell_index(area, c.quintile, c.ethnic, c.rural));
        c.diagnosis = static_cast<std::uint8_t>(x.categorical(pp.diagnosis_shares[age < 365 ? 0 : 1]));
        c.category = static_cast<std::uint8_t>(x.categorical(pp.category_by_diagnosis[c.diagnosis]));
        c.birth_day = day - age;
        c.entry_day = day;
        c.phase = kStable;
        if (age == 0) c.phase = static_cast<std::uint8_t>(x.categorical(in.P.phase.at_birth_entry_phase));
        for (int t = 0; t < kTargets; ++t) {
            c.home[static_cast<std::size_t>(t)] = -1;
        }
        c.travel_to_specialist = static_cast<float>(prov.area_specialist_minutes[static_cast<std::size_t>(area)]);
        out.push_back(c);
    }
}

/// The per-area state of the entry draws (rates, the last Poisson mean, the draws' entities), once.
void prepare_entries(const Inputs& in, Population& pop) {
    if (!pop.entry_rates.empty()) return;
    const std::size_t areas = in.scenario.areas.size();
    for (const auto& each : in.scenario.areas) pop.entry_rates.push_back(area_entry_rates(in, each));
    pop.entry_mean.assign(areas, {-1.0, 0.0});
    for (std::uint32_t a = 0; a < areas; ++a) pop.area_numbers.push_back(a);
    pop.entry_blocks.resize(areas);
}

/// Draws day `day`'s entrants of every area, in area order, into `out` (those alive at `alive_at`
/// at the latest: draw_entrants).
void draw_entries_of_day(const Inputs& in, Population& pop, const Providers& prov, int day, std::vector<Child>& out,
                         int alive_at) {
    const std::size_t areas = in.scenario.areas.size();
    prepare_entries(in, pop);
    first_blocks(in.key, streams::kEntry, pop.area_numbers, static_cast<std::uint32_t>(day + kDayOffset),
                 pop.entry_blocks);
    const double trend = trend_factor(in, pop.clock, day);
    for (std::size_t a = 0; a < areas; ++a)
        draw_entrants(in, pop, prov, static_cast<int>(a), day, trend, pop.entry_blocks[a], out, alive_at);
}

void assign_home_providers(const Inputs& in, const Providers& prov, Child& c) {
    c.home = prov.area_home[c.area];
    const auto& choice = prov.hospice_choice[c.area];
    if (choice.empty()) return;
    Draws d(in.key, streams::kHospiceChoice, c.id, 0);
    const double u = d.uniform() * choice.back().second;
    for (const auto& [p, cum] : choice)
        if (u < cum) {
            c.home[kToHospice] = static_cast<std::int16_t>(p);
            return;
        }
    c.home[kToHospice] = static_cast<std::int16_t>(choice.back().first);
}

/// The next transition out of the current phase: when and to where. Pure function of the child
/// and its phase-draw counter.
struct Transition {
    int day;
    std::uint8_t to;     // phase, or kGone
    std::uint8_t cause;  // when kGone: 0 death, 1 age, 2 cure
};

Transition next_transition(const Inputs& in, Child& c, int now) {
    const auto& ph = in.P.phase;
    // A stable child's three competing hazards take three uniforms (two blocks), the other phases one block.
    Draws d = c.phase == kStable ? Draws(in.key, streams::kPhase, c.id, c.phase_draws++, Draws::TwoBlocks{})
                                 : Draws(in.key, streams::kPhase, c.id, c.phase_draws++);
    const int age = age_days(c, now);
    const int band = age_band(age);
    const auto b = static_cast<std::size_t>(band);
    const int exit_day = c.birth_day + in.P.run.max_age_years * 365;
    const double det_ratio = ph.deterioration_age_ratio[b];
    switch (c.phase) {
        case kStable: {
            const double su = ph.stable_to_unstable_per_year * ph.instability_age_ratio[b] *
                              ph.instability_ethnicity_ratio[c.ethnic] * (c.female ? ph.instability_girl_ratio : 1.0) *
                              ph.instability_diagnosis_ratio[c.diagnosis] * ph.instability_category_ratio[c.category] /
                              365.0;
            const double sd = ph.stable_to_deteriorating_per_year[c.category] * det_ratio / 365.0;
            const double cure = c.category == 0 ? in.P.population.cure_rate_per_year[b] / 365.0 : 0.0;
            const double t_su = d.exponential(su), t_sd = d.exponential(sd), t_cure = d.exponential(cure);
            const int band_change = c.birth_day + band_end_days(band);
            const double t_min = std::min({t_su, t_sd, t_cure});
            const int when = now + 1 + static_cast<int>(std::min(t_min, 1e8));
            if (std::min(exit_day, band_change) <= when) {
                if (exit_day <= band_change) return {exit_day, kGone, 1};
                return {band_change, kStable, 0};  // hazards change with age: draw again
            }
            if (t_min == t_cure) return {when, kGone, 2};
            return {when, t_min == t_su ? std::uint8_t{kUnstable} : std::uint8_t{kDeteriorating}, 0};
        }
        case kUnstable: {
            const int when = now + 1 + static_cast<int>(d.exponential(1.0 / ph.unstable_mean_days));
            const double p =
                std::min(ph.unstable_to_deteriorating_max, ph.unstable_to_deteriorating[c.category] * det_ratio);
            const std::uint8_t to = d.bernoulli(p) ? kDeteriorating : kStable;
            if (exit_day <= when) return {exit_day, kGone, 1};
            return {when, to, 0};
        }
        case kDeteriorating: {
            const int when = now + 1 + static_cast<int>(d.exponential(1.0 / ph.deteriorating_mean_days));
            double p = ph.deteriorating_to_dying[b];
            if (c.caseload & kOnSppc) p *= 1.0 - ph.care_survival_effect;
            const std::uint8_t to = d.bernoulli(p) ? kDying : kUnstable;
            if (exit_day <= when) return {exit_day, kGone, 1};
            return {when, to, 0};
        }
        case kDying: {
            // The dying phase is the last days of life; a newborn entering in it may die sooner.
            int length = static_cast<int>(ph.dying_days);
            if (age == 0 && now == c.entry_day)
                length = 1 + static_cast<int>(d.below(static_cast<std::uint32_t>(length)));
            return {now + length, kGone, 0};
        }
        default:
            return {now, kGone, 0};
    }
}

void schedule_phase_end(const Inputs& in, Population& pop, std::uint32_t ci, bool draw) {
    Child& c = pop.child(ci);
    if (draw) {
        const Transition t = next_transition(in, c, pop.day());
        c.phase_end = t.day;
        c.next_phase = t.to;
        c.exit_cause = t.cause;
    }
    pop.schedule(c.phase_end, ci, kPhaseEnd, ++c.phase_token);
}

void remove_child(Population& pop, const Providers& prov, Recorder& rec, std::uint32_t ci, int cause) {
    Child& c = pop.child(ci);
    c.alive = false;
    --pop.alive_by_cell[c.cell];
    const bool died = cause == 0;
    if (rec.reporting()) {
        tally_year(rec, c, rec.report_year(), died);
        if (died) {
            const int y = rec.report_year();
            auto& out = rec.out;
            const std::size_t cl = c.cell;
            out.a(y, cl, AnnualVar::deaths) += 1;
            out.a(y, cl,
                  c.place == kHome      ? AnnualVar::deaths_home
                  : c.place == kHospice ? AnnualVar::deaths_hospice
                                        : AnnualVar::deaths_hospital) += 1;
            if (c.place == c.preferred) out.a(y, cl, AnnualVar::deaths_preferred_place) += 1;
            if (c.acp) out.a(y, cl, AnnualVar::deaths_with_acp) += 1;
            if (prov.area_cover[c.area] >= 0.5) out.a(y, cl, AnnualVar::deaths_with_24_7) += 1;
            out.deaths_by_age[static_cast<std::size_t>(y) * kAgeBands +
                              static_cast<std::size_t>(age_band(age_days(c, pop.day())))] += 1;
        }
    }
    rec.count(c, died ? MonthlyVar::deaths : cause == 1 ? MonthlyVar::exits_age : MonthlyVar::exits_cure);
    if (rec.records) rec.records->exit(c, pop.day(), cause);
    c.phase = kGone;
}

/// Cumulative baseline identification hazard of one phase spell in the prehistory: direct
/// identification plus identification at unplanned admissions (a child not yet known has no ACP).
double prehistory_hazard(const Inputs& in, const Child& c, int days) {
    const auto& id = in.P.identification;
    const auto ph = std::min<std::size_t>(c.phase, 3);
    const double gap = id.deprivation_ratio[c.quintile] * id.ethnicity_ratio[c.ethnic];
    const double direct = id.rate_per_year[ph] * gap * std::exp2(-c.travel_to_specialist / id.distance_halving_minutes);
    const double via_admission = in.P.admission.rate_per_year[ph] * std::min(1.0, id.at_admission_prob * gap);
    return (direct + via_admission) * days / 365.0;
}

}  // namespace

void start_phase(const Inputs& in, Population& pop, Providers& prov, Recorder& rec, Handoffs& h, std::uint32_t ci,
                 std::uint8_t phase, bool draw_end) {
    Child& c = pop.child(ci);
    c.phase = phase;
    c.phase_start = pop.day();
    if (phase > c.max_phase_year) c.max_phase_year = phase;
    if (rec.records) rec.records->phase(c, pop.day());
    schedule_phase_end(in, pop, ci, draw_end);
    if (phase != kStable && !c.active_listed) {
        c.active_listed = true;
        pop.active.push_back(ci);
    }
    if (!c.identified) schedule_identification(in, pop, prov, ci, c.phase_draws);
    on_phase_change_care(in, pop, prov, rec, h, ci);
}

void end_phase(const Inputs& in, Population& pop, Providers& prov, Recorder& rec, Handoffs& h, std::uint32_t ci) {
    Child& c = pop.child(ci);
    if (c.next_phase == kGone) {
        remove_child(pop, prov, rec, ci, c.exit_cause);
        return;
    }
    start_phase(in, pop, prov, rec, h, ci, c.next_phase, true);
    // Referral of the services still missing happens once any identification this change caused is done.
    if (c.phase >= kDeteriorating) h.push_back({Handoff::kEscalated, ci});
}

void reserve_children(const Inputs& in, Population& pop) {
    prepare_entries(in, pop);
    // Every entry of the prehistory and of the run, expected, with a margin: more than the
    // prehistory's survivors and the run's entrants need, so nothing is copied as areas grow. The
    // part never written is never touched (no page is faulted in for it). More entrants than that
    // (a steep population trend) still fit: the vector grows, as any vector does.
    const double days = static_cast<double>(in.P.run.max_age_years) * 365.0 + pop.clock.end_day;
    for (std::size_t a = 0; a < pop.entry_rates.size() && a < pop.children_by_area.size(); ++a) {
        double per_day = 0;
        for (double r : pop.entry_rates[a]) per_day += r;
        const auto room = static_cast<std::size_t>(1.1 * per_day * days) + 16;
        auto& v = pop.children_by_area[a];
        if (v.get_allocator().arena != pop.arena.get())
            v = Population::AreaChildren(ArenaAllocator<Child>(pop.arena.get()));
        v.reserve(room);
        pop.living_by_area[a].reserve(room);
    }
}

void build_initial_population(const Inputs& in, Population& pop, const Providers& prov) {
    // Prehistory: entries over the ages a child can have at day 0, with their illness followed to
    // day 0. Children alive then form the initial population: prevalence, age and phase mix are
    // those the model itself sustains, so nothing drifts at the start. Identification and
    // referral are replayed along each child's prehistory with the baseline process (need drawn
    // at identification and again at each escalation to deteriorating or dying; losses and each
    // provider's acceptance), so caseloads also start near the level the run sustains.
    const int span = in.P.run.max_age_years * 365;
    std::vector<Child> batch;
    for (int day = -span; day < 0; ++day) {
        draw_entries_of_day(in, pop, prov, day, batch, 0);  // only children who may be alive at day 0
        for (Child& c : batch) {
            assign_home_providers(in, prov, c);
            Draws d(in.key, streams::kPreIdentified, c.id, 0);
            double threshold = d.exponential(1.0);  // identified when the cumulative hazard reaches it
            double hazard = 0;
            // Returns whether any referral went through (not lost), as identify() does.
            auto refer_all = [&](std::uint8_t phase) {
                bool through = false, lost_any = false;
                for (int t = 0; t < kTargets; ++t) {
                    const int p = c.home[static_cast<std::size_t>(t)];
                    const auto bit = static_cast<std::uint8_t>(1u << t);
                    if (p < 0 || (c.caseload & bit)) continue;
                    const bool needed = d.bernoulli(
                        in.P.referral.need_by_phase[std::min<std::size_t>(phase, 3)][static_cast<std::size_t>(t)]);
                    const bool lost = d.bernoulli(in.P.referral.loss_prob);
                    const bool accepted =
                        d.bernoulli(in.scenario.providers[static_cast<std::size_t>(p)].accept[c.category]);
                    if (!needed) continue;
                    lost_any |= lost;
                    through |= !lost;
                    if (!lost && accepted) c.caseload |= bit;
                }
                return through || !lost_any;
            };
            auto spell = [&](int days) {
                const double h = prehistory_hazard(in, c, days);
                if (!c.identified && hazard + h >= threshold) {
                    c.identified = true;
                    // Every needed referral lost and none on a caseload: identified again later.
                    if (!refer_all(c.phase) && c.caseload == 0) {
                        c.identified = false;
                        threshold = hazard + h + d.exponential(1.0);
                    }
                }
                hazard += h;
            };
            int now = day;
            bool alive = true;
            while (true) {
                const Transition t = next_transition(in, c, now);
                if (t.day >= 0) {  // the spell running at day 0 keeps its drawn end
                    c.phase_end = t.day;
                    c.next_phase = t.to;
                    c.exit_cause = t.cause;
                    break;
                }
                spell(t.day - now);
                if (t.to == kGone) {
                    alive = false;
                    break;
                }
                now = t.day;
                c.phase = t.to;
                if (c.identified && c.phase >= kDeteriorating) refer_all(c.phase);
            }
            if (!alive) continue;
            spell(-now);
            pop.add_child(c);
        }
        batch.clear();
    }
    pop.clock.day = 0;
}

void start_initial_child(const Inputs& in, Population& pop, Providers& prov, Recorder& rec, Handoffs& h,
                         std::uint32_t ci) {
    Child& c = pop.child(ci);
    ++pop.alive_by_cell[c.cell];
    c.max_phase_year = c.phase;
    start_phase(in, pop, prov, rec, h, ci, c.phase, false);
}

void resume_short_breaks(const Inputs& in, Population& pop, std::uint32_t ci) {
    // Short breaks of children already on a hospice caseload continue, spread over the cycle.
    const auto& care = in.P.care;
    const double respite_gap =
        care.respite_nights_per_year > 0 ? 365.0 * care.respite_stay_nights / care.respite_nights_per_year : 0.0;
    Child& c = pop.child(ci);
    if ((c.caseload & kOnHospice) && respite_gap > 0) {
        Draws d(in.key, streams::kRespite, c.id, 0x80000000u);
        pop.schedule(static_cast<int>(d.uniform() * respite_gap), ci, kRespiteDue, ++c.respite_token);
    }
}

std::vector<Child> draw_entries(const Inputs& in, Population& pop, const Providers& prov) {
    std::vector<Child> batch;
    draw_entries_of_day(in, pop, prov, pop.day(), batch, pop.day());
    return batch;
}

void start_entrant(const Inputs& in, Population& pop, Providers& prov, Recorder& rec, Handoffs& h,
                   const Child& entrant) {
    Child c = entrant;
    assign_home_providers(in, prov, c);
    c.max_phase_year = c.phase;
    const auto ci = pop.add_child(c);
    ++pop.alive_by_cell[c.cell];
    rec.count(c, MonthlyVar::entries);
    if (rec.reporting()) pop.child(ci).year_flags = 0;
    start_phase(in, pop, prov, rec, h, ci, c.phase, true);
}

void tally_year(Recorder& rec, Child& c, int year, bool /*died: the dying phase counts in every year it overlaps*/) {
    if (year < 0 || year >= rec.out.years || (c.year_flags & kCounted)) return;
    c.year_flags |= kCounted;
    auto& out = rec.out;
    const std::size_t cl = c.cell;
    auto add = [&](AnnualVar v, bool on) {
        if (on) out.a(year, cl, v) += 1;
    };
    add(AnnualVar::children, true);
    add(AnnualVar::reached, c.year_flags & kReached);
    add(AnnualVar::known, (c.year_flags & kKnown) || c.identified);
    add(AnnualVar::on_hospice_caseload, (c.year_flags & kYearHospice) || (c.caseload & kOnHospice));
    add(AnnualVar::on_sppc_caseload, (c.year_flags & kYearSppc) || (c.caseload & kOnSppc));
    add(AnnualVar::on_ccn_caseload, (c.year_flags & kYearCcn) || (c.caseload & kOnCcn));
    // Adequate care: needs met over the year, not one contact (care.adequate_share of it [A]).
    add(AnnualVar::with_care_due, c.year_due > 0);
    add(AnnualVar::adequate_care, c.year_due > 0 && c.year_given >= rec.adequate_share * c.year_due);
    for (int t = 0; t < kTargets; ++t)
        if ((c.caseload & (1u << t)) && c.home[static_cast<std::size_t>(t)] >= 0)
            out.p(year, c.home[static_cast<std::size_t>(t)], ProviderVar::caseload) += 1;
    const AnnualVar mp[4] = {AnnualVar::max_phase_stable, AnnualVar::max_phase_unstable,
                             AnnualVar::max_phase_deteriorating, AnnualVar::max_phase_dying};
    // Counted as Jarvis 2017 count it: dying (the last 28 days) and deteriorating from the phase, in
    // every year the phase overlaps; unstable = an emergency admission of 48 hours or more, or to
    // PICU, in the year (not the latent unstable phase); stable = the rest.
    int most_severe = c.max_phase_year;
    if (most_severe < kDeteriorating) most_severe = (c.year_flags & kYearLongAdmission) ? kUnstable : kStable;
    add(mp[std::min(most_severe, 3)], true);
    // Demography: age at the first day alive in the year.
    const int first_day = std::max(rec.clock->warmup_days + year * 365, c.entry_day);
    const auto y = static_cast<std::size_t>(year);
    out.children_by_age[y * kAgeBands + static_cast<std::size_t>(age_band(first_day - c.birth_day))] += 1;
    out.children_by_diagnosis[y * kDiagnoses + c.diagnosis] += 1;
    out.children_by_category[y * kCategories + c.category] += 1;
}

void redraw_identification(const Inputs& in, Population& pop, const Providers& prov) {
    // Hazards change with network engagement; a child's identification time is drawn again each
    // year (memoryless, so this is exact for a hazard that is constant within the year).
    const auto year = static_cast<std::uint32_t>(pop.day() / 365);
    pop.for_each_living([&](std::uint32_t ci, Child& c) {
        if (!c.identified && c.referral_pending == 0) schedule_identification(in, pop, prov, ci, 0x40000000u + year);
    });
}

void year_start(Population& pop, Recorder& rec) {
    // Close the previous year for every child alive through it, then open the new one.
    const int prev = rec.report_year() - 1;
    pop.for_each_living([&](std::uint32_t, Child& c) {
        if (prev >= 0) tally_year(rec, c, prev, false);
        c.year_flags = 0;
        c.year_due = c.year_given = 0;
        c.max_phase_year = c.phase;
    });
}

}  // namespace cpcsim::engine
