// Mutable state of one replicate, in three parts: (a) the population and its calendar, (b) the
// providers, (c) the recorder of outputs; plus the read-only Inputs and the Handoffs one phase
// leaves for another. Internal to the engine; each step phase takes only the parts it reads
// (const) and writes, so a test can build a small state by hand and run one phase.
#pragma once

#include "core/memory.hpp"
#include "core/rng.hpp"
#include "metrics/outcomes.hpp"
#include "model/model_params.hpp"
#include "scenario/scenario.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <memory>
#include <utility>
#include <vector>

namespace cpcsim::engine {

enum Phase : std::uint8_t { kStable = 0, kUnstable = 1, kDeteriorating = 2, kDying = 3, kGone = 4 };
enum Place : std::uint8_t { kHome = 0, kHospice = 1, kHospital = 2 };
/// Services given as visits or contacts, and the provider type that gives each.
enum Visit : std::uint8_t { kCcnVisit = 0, kSppcContact = 1, kHospiceHomeVisit = 2 };
inline constexpr int kVisitKinds = 3;
/// Caseload bits, one per provider type that keeps a caseload.
enum Caseload : std::uint8_t { kOnHospice = 1, kOnSppc = 2, kOnCcn = 4 };
/// Referral targets in a fixed order (index into Child::home).
enum Target : std::uint8_t { kToHospice = 0, kToSppc = 1, kToCcn = 2 };
inline constexpr int kTargets = kServices;

enum EventType : std::uint8_t {
    kPhaseEnd,         // the current phase ends (transition, cure, exit or death)
    kIdentify,         // the child becomes known to palliative care
    kReferralArrive,   // a referral reaches a provider (arg = Target)
    kVisitDue,         // a visit or contact falls due (arg = Visit)
    kRespiteDue,       // a short break falls due
    kStableAdmission,  // an unplanned admission of a stable child
    kDischarge,        // discharge from hospital
};

struct Event {
    std::uint32_t child;  // index of the child (Population::child)
    std::uint32_t token;  // must match the child's token for the event's type, else stale
    EventType type;
    std::uint8_t arg;
};

/// One child with a life-limiting condition. Ids are stable and key every random draw.
struct Child {
    // Hot: read every day for children with pending visits or active phases; kept together at
    // the front (one cache line).
    std::uint32_t id = 0;
    std::uint32_t cell = 0;  // cell_index(area, quintile, ethnic, rural), cached
    std::uint16_t area = 0;
    std::uint8_t quintile = 0, ethnic = 0, rural = 0;
    std::uint8_t phase = kStable;
    std::uint8_t place = kHome;
    std::uint8_t caseload = 0;  // Caseload bits
    bool alive = true;
    bool identified = false;
    bool acp = false;
    std::uint8_t preferred = kHome;
    std::array<std::int32_t, kVisitKinds> visit_pending_since{{-1, -1, -1}};
    std::int32_t last_unmet_day = -1000;
    std::int32_t phase_end = 0;
    std::array<std::int16_t, kTargets> home{{-1, -1, -1}};  // home-catchment provider per Target
    std::int32_t birth_day = 0;
    // Cold: read at events.
    std::int32_t entry_day = 0;
    std::uint8_t female = 0, diagnosis = 0, category = 0;
    std::uint8_t next_phase = kStable;  // where the scheduled kPhaseEnd leads (kGone = exit)
    std::uint8_t exit_cause = 0;        // when next_phase == kGone: 0 death, 1 age, 2 cure
    std::uint8_t referral_pending = 0;  // bits by Target
    std::uint8_t year_flags = 0;        // YearFlag bits, reset each year
    std::uint8_t max_phase_year = kStable;
    bool active_listed = false;  // in Population::active
    bool bed_requested = false;  // has a hospice bed request (queued or in a stay)
    bool first_sppc_pending = false;
    std::uint32_t phase_draws = 0;      // counter keying the phase process draws
    std::uint32_t referral_draws = 0;   // counter keying referral draws
    std::uint32_t admission_draws = 0;  // counter keying stable admissions
    std::uint32_t phase_token = 0, ident_token = 0, respite_token = 0, admission_token = 0;
    std::array<std::uint32_t, kVisitKinds> visit_token{};
    std::array<std::int32_t, kVisitKinds> next_visit_due{{-1, -1, -1}};
    std::int32_t phase_start = 0;
    std::int32_t discharge_day = -1;
    std::int32_t sppc_accepted_day = -1;
    float travel_to_specialist = 0;  // minutes to the nearest hospice or SPPC base
    // End of life (set when the dying phase starts).
    std::int32_t eol_recognise_day = -1;         // day dying is recognised late (-1: not late)
    bool eol_recognised = false;                 // dying recognised (now or, from eol_recognise_day, late)
    bool eol_hospital_assessed = false;          // a recognised dying inpatient has been assessed once
    bool eol_sppc = false;                       // an SPPC team is involved at the end of life (caseload or consult)
    bool in_picu = false;                        // the current admission is to intensive care
    std::uint16_t year_due = 0, year_given = 0;  // visits, contacts and nights resolved / given this year
};

/// Adds resolved need and care given to the child's yearly adequacy tally (saturating).
inline void tally_care(Child& c, int due, int given) {
    c.year_due = static_cast<std::uint16_t>(std::min(65535, c.year_due + due));
    c.year_given = static_cast<std::uint16_t>(std::min(65535, c.year_given + given));
}

enum YearFlag : std::uint8_t {
    kReached = 1,
    kKnown = 2,
    kYearHospice = 4,
    kYearSppc = 8,
    kYearCcn = 16,
    kCounted = 32,
    kLostReferral = 64,       // scratch: the last identification lost a referral (not a yearly flag)
    kYearLongAdmission = 128  // an emergency admission of 48 hours or more, or to PICU (Jarvis 2017 "unstable")
};

enum BedKind : std::uint8_t { kRespite = 0, kSymptom = 1, kEndOfLife = 2 };

struct BedRequest {
    std::uint32_t child;
    std::uint32_t id;    // the child's id (the last tie-break of the serving order)
    std::int32_t since;  // day requested (or stay start, which keeps continuing stays first)
    std::int16_t nights_left;
    BedKind kind;
    std::uint8_t priority;  // higher first
    bool in_stay;
    std::int16_t provider;  // hospice giving the stay (pooling may differ from home)
};

/// Per-provider state that changes month to month.
struct ProviderState {
    double base_capacity = 0;         // beds (hospice) or visits/contacts per day at baseline funding
    double base_home_capacity = 0;    // hospice-at-home visit slots per day at baseline
    double contacts_per_wte_day = 0;  // SPPC/CCN: from staff time, or the providers table's figure
    double baseline_budget = 0;
    double capacity = 0;       // this month
    double home_capacity = 0;  // this month
    double effective_staff_ratio = 1;
    double engagement = 0;
    double rise_factor = 1;                          // this member's own rise rate relative to its type (heterogeneity)
    double statutory_rate = 0, charitable_rate = 0;  // GBP per year this month
    bool closed = false;
    bool out_of_hours = false;  // gives out-of-hours cover this month (providers table or funding schedule)
    int caseload_now = 0;       // children on the caseload: recounted monthly, raised at each acceptance
    double caseload_limit = 0;  // this month (0: no limit)
    // daily scratch
    int units_today = 0, home_units_today = 0, eol_beds_today = 0;
    int inpatient_contacts = 0;  // SPPC: assessments of dying inpatients today, taken from today's contacts
    double unit_credit = 0, home_credit = 0;  // fractional capacity carried between days
    std::vector<std::uint32_t> visit_queue;   // children with a pending visit/contact of this provider's kind
    std::vector<BedRequest> beds;             // hospice bed requests and stays
};

/// The network's levers where they apply (docs/model.md, "Local levers"): the region-wide [network]
/// with the scenario's [[local_network]] blocks applied over it in order.
struct NetworkScopes {
    std::vector<NetworkParams> area;      ///< per area: the levers in force for its children
    std::vector<NetworkParams> provider;  ///< per provider: the strongest levers among the areas it serves
    /// Per source of lever values ([network] first, then each block): the levers it pays for (those
    /// in force in some area because of it), each source paying once.
    std::vector<NetworkParams> paid;
    std::vector<int> rota_of_area;  ///< per area: its 24/7 rota (one per source of a rota that is on), -1 none
    int rotas = 0;
    bool any = false;  ///< some lever is on somewhere
};
/// The scopes of `region` (the [network] parameters of a replicate) under the scenario's blocks.
NetworkScopes network_scopes(const Scenario& sc, const NetworkParams& region);

/// Read-only inputs of a replicate: the scenario, its parameters and the replicate's random key.
struct Inputs {
    const Scenario& scenario;
    const ModelParams& P;
    RandomKey key;
    NetworkScopes networks = {};

    Inputs(const Scenario& s, const ModelParams& p, RandomKey k)
        : scenario(s), P(p), key(k), networks(network_scopes(s, p.network)) {}
    /// The network levers in force for children of area `a`.
    [[nodiscard]] const NetworkParams& network_of(std::size_t a) const { return networks.area[a]; }
    /// The network levers that drive provider `p` (its engagement, pooling, shared records).
    [[nodiscard]] const NetworkParams& provider_network(std::size_t p) const { return networks.provider[p]; }
};

/// Simulated time: today, the warm-up, the end, and the report month of today.
struct Clock {
    int warmup_days = 0;
    int end_day = 0;
    int day = 0;
    int month_index = 0;  // report month of `day`, set once per month
    [[nodiscard]] bool reporting() const noexcept { return day >= warmup_days; }
    [[nodiscard]] int report_month() const noexcept { return month_index; }
    [[nodiscard]] int compute_report_month() const noexcept;
    [[nodiscard]] int report_year() const noexcept { return (day - warmup_days) / 365; }
};

/// 1 - exp(-h), remembered for the last hazards seen: the daily admission checks meet a few
/// hundred distinct hazards (phase x pathway x an area's cover this month) again and again, and
/// exp was a tenth of their work. A pure function of h, so results do not depend on it.
class ChanceOfHazard {
public:
    ChanceOfHazard() { hazard_.fill(-1.0); }
    [[nodiscard]] double operator()(double h) noexcept {
        std::uint64_t bits = 0;
        std::memcpy(&bits, &h, sizeof bits);
        const auto k = static_cast<std::size_t>((bits * 0x9E3779B97F4A7C15ull) >> (64 - kBits));
        if (hazard_[k] != h) hazard_[k] = h, chance_[k] = 1.0 - std::exp(-h);
        return chance_[k];
    }

private:
    static constexpr int kBits = 8;
    std::array<double, std::size_t{1} << kBits> hazard_{}, chance_{};
};

/// (a) The population and its calendar: children, their scheduled events and the clock.
struct Population {
    Clock clock;
    std::uint32_t next_id = 0;
    /// Huge-page memory for the children once the initial population is built (simulate_replicate
    /// moves each area's children there, with room for its entrants) and for the calendar's days:
    /// the daily loop reads children and writes days at scattered places, and with 4 KiB pages
    /// most of those accesses also missed the TLB.
    std::unique_ptr<HugePageArena> arena;
    using AreaChildren = std::vector<Child, ArenaAllocator<Child>>;
    /// Children stored by home area, so that a provider's daily work touches memory of its own
    /// areas only. A child's index is (area << kAreaShift) | position; ids are separate.
    std::vector<AreaChildren> children_by_area;
    static constexpr int kAreaShift = 20;
    /// Per area: the positions of the children alive at the last scan of the living and of those
    /// added since, ascending (children are appended), so the monthly and yearly scans
    /// (for_each_living) visit the living only, in the order of a scan of every child.
    std::vector<std::vector<std::uint32_t>> living_by_area;
    /// Children put on some caseload since the last monthly recount, unordered: the recounts after
    /// day 0, whose counts do not depend on the order, visit these only (count_caseloads).
    std::vector<std::uint32_t> on_caseload;
    /// One day's events; from the arena's pooled memory in a replicate (simulate_replicate).
    using DayEvents = std::vector<Event, PooledArenaAllocator<Event>>;
    std::vector<DayEvents> calendar;                         // by day
    std::vector<DayEvents> spare_days;                       // emptied days' storage, reused by later days
    std::vector<std::uint32_t> active;                       // children in unstable, deteriorating or dying phases
    std::vector<std::int32_t> alive_by_cell;                 // children alive now, by cell
    std::vector<std::array<double, kAgeBands>> entry_rates;  // per area: expected entries per day by age band
    std::vector<std::pair<double, double>> entry_mean;       // per area: the last Poisson mean of entries, exp(-mean)
    std::vector<std::uint32_t> area_numbers;                 // 0, 1, ... per area (the entities of the entry draws)
    std::vector<DrawBlock> entry_blocks;                     // per area: today's first block of the entry draws
    ChanceOfHazard admission_chance;                         // daily_checks: 1 - exp(-hazard)

    [[nodiscard]] int day() const noexcept { return clock.day; }
    [[nodiscard]] Child& child(std::uint32_t ci) {
        return children_by_area[ci >> kAreaShift][ci & ((1u << kAreaShift) - 1)];
    }
    [[nodiscard]] const Child& child(std::uint32_t ci) const {
        return children_by_area[ci >> kAreaShift][ci & ((1u << kAreaShift) - 1)];
    }
    /// Asks the memory system for child ci ahead of its use: loops over children scattered in
    /// memory (today's events, the active list) prefetch kPrefetchAhead children ahead.
    /// A child is 148 bytes at any offset, so it spans three or four cache lines: the first, the
    /// second (tokens and the cold fields events read) and the last (the yearly tally) are asked for.
    void prefetch(std::uint32_t ci) const {
        const char* p = reinterpret_cast<const char*>(&child(ci));
        __builtin_prefetch(p);
        __builtin_prefetch(p + 63);
        __builtin_prefetch(p + sizeof(Child) - 1);
    }
    static constexpr std::size_t kPrefetchAhead = 16;
    /// Adds a child to its area and returns its index.
    std::uint32_t add_child(const Child& c) {
        auto& v = children_by_area[c.area];
        v.push_back(c);
        const auto position = static_cast<std::uint32_t>(v.size() - 1);
        if (living_by_area.size() <= c.area) living_by_area.resize(children_by_area.size());
        living_by_area[c.area].push_back(position);
        const std::uint32_t ci = (static_cast<std::uint32_t>(c.area) << kAreaShift) | position;
        if (c.caseload != 0) on_caseload.push_back(ci);
        return ci;
    }
    /// Calls f(index, child) for every child, area by area.
    template <class F>
    void for_each_child(F&& f) {
        for (std::size_t a = 0; a < children_by_area.size(); ++a)
            for (std::size_t i = 0; i < children_by_area[a].size(); ++i)
                f(static_cast<std::uint32_t>((a << kAreaShift) | i), children_by_area[a][i]);
    }
    /// Calls f(index, child) for every living child, in the order of for_each_child, and drops the
    /// children who died or left since the last call from the index of the living. f must not add
    /// children.
    template <class F>
    void for_each_living(F&& f) {
        for (std::size_t a = 0; a < living_by_area.size(); ++a) {
            auto& living = living_by_area[a];
            auto& v = children_by_area[a];
            std::size_t w = 0;
            for (std::size_t r = 0; r < living.size(); ++r) {
                if (r + kPrefetchAhead < living.size()) __builtin_prefetch(&v[living[r + kPrefetchAhead]]);
                const std::uint32_t position = living[r];
                Child& c = v[position];
                if (!c.alive) continue;
                living[w++] = position;
                f(static_cast<std::uint32_t>((a << kAreaShift) | position), c);
            }
            living.resize(w);
        }
    }
    [[nodiscard]] std::size_t child_count() const {
        std::size_t n = 0;
        for (const auto& v : children_by_area) n += v.size();
        return n;
    }
    /// Schedules an event; days before today become today, days at or past the end are dropped.
    void schedule(int when, std::uint32_t child, EventType type, std::uint32_t token, std::uint8_t arg = 0) {
        if (when < clock.day) when = clock.day;
        if (when >= clock.end_day) return;
        auto& d = calendar[static_cast<std::size_t>(when)];
        if (d.capacity() == 0 && !spare_days.empty()) {  // a day's first event: reuse a past day's storage
            d.swap(spare_days.back());
            spare_days.pop_back();
        }
        d.push_back(Event{child, token, type, arg});
    }
    /// Empties a processed day and keeps its storage for a later day (the daily loop then
    /// allocates nothing for its calendar once the first weeks have run).
    void retire_day(std::size_t day) {
        auto& d = calendar[day];
        if (d.capacity() == 0) return;
        d.clear();
        spare_days.push_back(std::move(d));
        d = {};
    }
};

/// (b) Provider state, and the area tables derived once from the region.
struct Providers {
    std::vector<ProviderState> state;
    std::vector<double> area_cover;                             // this month: share of nights with 24/7 cover at home
    std::vector<double> area_specialist_minutes;                // to the nearest hospice or SPPC base
    std::vector<std::vector<int>> providers_by_type;            // indices by ProviderType
    std::vector<std::vector<int>> pool_order;                   // per area: providers sorted by travel time
    std::vector<std::vector<std::uint8_t>> serves;              // [area][provider]: in the provider's home catchment
    std::vector<std::array<std::int16_t, kTargets>> area_home;  // per area: nearest catchment provider per Target
    /// per area: the catchment hospices and their cumulative choice weights (capacity x distance decay)
    std::vector<std::vector<std::pair<int, double>>> hospice_choice;
    /// per area and provider type: providers within the pooling travel limit, nearest first
    std::vector<std::array<std::vector<int>, kProviderTypes>> pool_candidates;
    /// [area * providers + provider]: the travel minutes counted for a visit or stay (rounded to
    /// the nearest minute, std::lround), worked out once instead of at every visit.
    std::vector<std::int32_t> travel_counted;
    [[nodiscard]] std::int32_t travel_minutes_counted(std::size_t area, int provider) const {
        return travel_counted[area * state.size() + static_cast<std::size_t>(provider)];
    }
    /// Mean engagement of the child's home providers.
    [[nodiscard]] double engagement_of(const Child& c) const;
};

class RecordSink;
/// Adds a monthly count to a child's record (engine/records.cpp).
void record_count(RecordSink& sink, std::uint32_t id, MonthlyVar v, std::int32_t n);

/// (c) The recorder of outputs: counts land in the report month and year of the clock.
struct Recorder {
    RunOutputs out;
    const Clock* clock = nullptr;
    RecordSink* records = nullptr;  ///< per-child records (--records); null when off
    double adequate_share = 1.0;    ///< care.adequate_share: the share of care due that is adequate
    [[nodiscard]] bool reporting() const noexcept { return clock->reporting(); }
    [[nodiscard]] int report_month() const noexcept { return clock->report_month(); }
    [[nodiscard]] int report_year() const noexcept { return clock->report_year(); }
    void count(const Child& c, MonthlyVar v, std::int32_t n = 1) {
        if (reporting() && n != 0) {
            out.add_monthly(report_month(), c.cell, v, n);
            if (records) record_count(*records, c.id, v, n);
            if (v == MonthlyVar::bed_days || v == MonthlyVar::picu_days)  // by area, for the costs per ICB
                (v == MonthlyVar::bed_days ? out.area_bed_days : out.area_picu_days)[area_year(c)] += n;
        }
    }
    /// Care given by provider `p` to child `c`, valued at a marginal unit cost (GBP): attributes
    /// the provider's budget and the care given to the child's ICB (metrics/icb_costs.hpp).
    void care_value(int p, const Child& c, double gbp) {
        if (reporting())
            out.care_value[(static_cast<std::size_t>(report_year()) * static_cast<std::size_t>(out.providers) +
                            static_cast<std::size_t>(p)) *
                               static_cast<std::size_t>(out.areas) +
                           c.area] += gbp;
    }
    [[nodiscard]] std::size_t area_year(const Child& c) const {
        return static_cast<std::size_t>(report_year()) * static_cast<std::size_t>(out.areas) + c.area;
    }
    void provider_add(int p, ProviderVar v, double x) {
        if (reporting()) out.p(report_year(), p, v) += x;
    }
};

/// Work one phase hands to another, consumed by the step in order (first in, first out):
/// care never calls referral, referral never calls care.
struct Handoff {
    enum Kind : std::uint8_t {
        kIdentify,   // care admitted a child not yet known: the admission may identify them (referral)
        kEscalated,  // the child's phase escalated: refer to services still missing if identified (referral)
    };
    Kind kind;
    std::uint32_t child;
};
using Handoffs = std::vector<Handoff>;

// The step phases, each in its own file, each taking only the parts of the state it reads
// (const) and writes.

// population.cpp: entries, the phase process, exits, annual tallies
/// Room in the population's arena for every child the replicate will hold, before the prehistory.
void reserve_children(const Inputs& in, Population& pop);
void build_initial_population(const Inputs& in, Population& pop, const Providers& prov);  // prehistory -> day 0
void start_initial_child(const Inputs& in, Population& pop, Providers& prov, Recorder& rec, Handoffs& h,
                         std::uint32_t ci);
void resume_short_breaks(const Inputs& in, Population& pop, std::uint32_t ci);              // after start_initial_child
std::vector<Child> draw_entries(const Inputs& in, Population& pop, const Providers& prov);  // today's entrants
void start_entrant(const Inputs& in, Population& pop, Providers& prov, Recorder& rec, Handoffs& h, const Child& c);
void start_phase(const Inputs& in, Population& pop, Providers& prov, Recorder& rec, Handoffs& h, std::uint32_t ci,
                 std::uint8_t phase, bool draw_end);
void end_phase(const Inputs& in, Population& pop, Providers& prov, Recorder& rec, Handoffs& h,
               std::uint32_t ci);                                                      // handles kPhaseEnd
void year_start(Population& pop, Recorder& rec);                                       // annual tallies
void redraw_identification(const Inputs& in, Population& pop, const Providers& prov);  // yearly
void tally_year(Recorder& rec, Child& c, int year, bool died);

// referral.cpp: identification and referral
void schedule_identification(const Inputs& in, Population& pop, const Providers& prov, std::uint32_t ci,
                             std::uint32_t salt);
void identify(const Inputs& in, Population& pop, const Providers& prov, Recorder& rec, std::uint32_t ci);
/// A referral reaches the provider; returns whether it was accepted (care then starts: start_care).
/// `waiting_since` is 1 + the day a referral waiting for a caseload place first arrived (0: new).
bool referral_arrives(const Inputs& in, Population& pop, Providers& prov, Recorder& rec, std::uint32_t ci, Target t,
                      std::uint32_t waiting_since = 0);
/// Monthly: SPPC discharge of long-stable children, then each provider's caseload recounted.
void count_caseloads(const Inputs& in, Population& pop, Providers& prov);
void refer_missing(const Inputs& in, Population& pop, const Providers& prov, Recorder& rec,
                   std::uint32_t ci);  // re-refer on escalation

// care.cpp: needs, capacity allocation, admissions, end of life
void start_care(const Inputs& in, Population& pop, Providers& prov, Recorder& rec, std::uint32_t ci,
                Target t);  // after an accepted referral
void visit_due(const Inputs& in, Population& pop, Providers& prov, Recorder& rec, std::uint32_t ci, Visit v);
void respite_due(const Inputs& in, Population& pop, Providers& prov, Recorder& rec, std::uint32_t ci);
void on_phase_change_care(const Inputs& in, Population& pop, Providers& prov, Recorder& rec, Handoffs& h,
                          std::uint32_t ci);
/// Today's checks of children in unstable, deteriorating or dying phases; returns those to admit, in order.
std::vector<std::uint32_t> daily_checks(const Inputs& in, Population& pop, Providers& prov, Recorder& rec);
void give_care(const Inputs& in, Population& pop, Providers& prov, Recorder& rec);  // allocate today's capacity
void admit(const Inputs& in, Population& pop, Recorder& rec, Handoffs& h, std::uint32_t ci);
void discharge(const Inputs& in, Population& pop, std::uint32_t ci);
void schedule_stable_admission(const Inputs& in, Population& pop, std::uint32_t ci);

// funding.cpp: money -> staff -> capacity, engagement, 24/7 cover
void setup_providers(const Inputs& in, Providers& prov);
void monthly_update(const Inputs& in, const Clock& clock, Providers& prov, Recorder& rec);
bool is_month_start(int day_in_year);

// Named random streams: one per decision.
namespace streams {
inline constexpr std::uint32_t kEntry = stream_id("entry");
inline constexpr std::uint32_t kEntrant = stream_id("entry.attributes");
inline constexpr std::uint32_t kPhase = stream_id("phase");
inline constexpr std::uint32_t kIdentify = stream_id("identification");
inline constexpr std::uint32_t kPreIdentified = stream_id("identification.prehistory");
inline constexpr std::uint32_t kHospiceChoice = stream_id("care.hospice_choice");
inline constexpr std::uint32_t kReferral = stream_id("referral");
inline constexpr std::uint32_t kAccept = stream_id("referral.accept");
inline constexpr std::uint32_t kRespite = stream_id("care.respite");
inline constexpr std::uint32_t kSymptom = stream_id("care.symptom_stay");
inline constexpr std::uint32_t kAcp = stream_id("care.acp");
inline constexpr std::uint32_t kAdmit = stream_id("admission.daily");
inline constexpr std::uint32_t kAdmitStable = stream_id("admission.stable");
inline constexpr std::uint32_t kStay = stream_id("admission.stay");
inline constexpr std::uint32_t kEol = stream_id("eol");
inline constexpr std::uint32_t kEolDaily = stream_id("eol.daily");
inline constexpr std::uint32_t kEolHospital = stream_id("eol.hospital");
inline constexpr std::uint32_t kCharity = stream_id("funding.charity");
inline constexpr std::uint32_t kVacancy = stream_id("funding.vacancy");
inline constexpr std::uint32_t kEngagement = stream_id("network.engagement");
}  // namespace streams

}  // namespace cpcsim::engine
