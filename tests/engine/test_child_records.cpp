// Per-child records (--records): asking for them changes nothing else, and the aggregate tables
// they determine are recomputed from them exactly.
#include "engine/replicate.hpp"
#include "engine_test_support.hpp"
#include "metrics/child_records.hpp"

#include <algorithm>
#include <map>
#include <tuple>

using namespace engine_test;

namespace {

/// Alive on some day of reported year y (days from the first reported day).
bool alive_in_year(const ChildRecord& c, int y) {
    return c.entry_day < (y + 1) * 365 && (c.exit_day == kNoDay || c.exit_day >= y * 365);
}

}  // namespace

TEST_CASE("per-child records change no other output and recompute the aggregate tables", "[regression][engine]") {
    for (const auto& settings :
         {short_run(3, 1), short_run(2, 0,
                                     {"network.coordinator_wte=1", "network.leadership=0.6",
                                      "network.shared_records=true", "referral.loss_prob=0.2"})}) {
        const auto sc = load(two_area(), settings);
        const auto params = ModelParams::from(sc.params);
        for (std::uint32_t replicate : {0u, 1u}) {
            const RunOutputs plain = simulate_replicate(sc, params, 77, replicate);
            const RunOutputs with = simulate_replicate(sc, params, 77, replicate, ReplicateOptions{true, true});
            INFO("settings " << joined(settings) << ", replicate " << replicate);
            CHECK(plain.records == nullptr);
            REQUIRE(with.records != nullptr);
            CHECK(joined(differences(plain, with)) == "(none)");
            const ChildRecords& rec = *with.records;
            REQUIRE(!rec.children.empty());

            // Monthly counters: each child's totals add up to the table, cell by cell.
            std::vector<std::int64_t> from_records(with.cells * kMonthlyVars, 0), from_table(from_records.size(), 0);
            for (const auto& c : rec.children)
                for (int v = 0; v < kMonthlyVars; ++v)
                    from_records[c.cell * kMonthlyVars + static_cast<std::size_t>(v)] +=
                        c.totals[static_cast<std::size_t>(v)];
            for (int m = 0; m < with.months; ++m)
                for (std::size_t cl = 0; cl < with.cells; ++cl)
                    for (int v = 1; v < kMonthlyVars; ++v)  // not `prevalent` (a stock, not a count)
                        from_table[cl * kMonthlyVars + static_cast<std::size_t>(v)] +=
                            monthly(with, m, cl, static_cast<MonthlyVar>(v));
            CHECK(from_records == from_table);

            // Annual counts by cell: children alive in the year, deaths by place, at the preferred
            // place and with an ACP; children by diagnosis and category.
            using Key = std::tuple<int, std::size_t, int>;  // year, cell, AnnualVar
            std::map<Key, std::int64_t> counts;
            std::vector<std::int32_t> by_diagnosis(with.children_by_diagnosis.size(), 0),
                by_category(with.children_by_category.size(), 0);
            for (const auto& c : rec.children)
                for (int y = 0; y < with.years; ++y) {
                    if (!alive_in_year(c, y)) continue;
                    const auto add = [&](AnnualVar v) { ++counts[{y, c.cell, static_cast<int>(v)}]; };
                    add(AnnualVar::children);
                    by_diagnosis[static_cast<std::size_t>(y) * kDiagnoses + c.diagnosis] += 1;
                    by_category[static_cast<std::size_t>(y) * kCategories + c.category] += 1;
                    if (c.exit_cause != ExitCause::death || c.exit_day / 365 != y) continue;
                    add(AnnualVar::deaths);
                    add(c.death_place == 0   ? AnnualVar::deaths_home
                        : c.death_place == 1 ? AnnualVar::deaths_hospice
                                             : AnnualVar::deaths_hospital);
                    if (c.death_place == c.preferred_place) add(AnnualVar::deaths_preferred_place);
                    if (c.acp) add(AnnualVar::deaths_with_acp);
                }
            for (int y = 0; y < with.years; ++y)
                for (std::size_t cl = 0; cl < with.cells; ++cl)
                    for (const AnnualVar v :
                         {AnnualVar::children, AnnualVar::deaths, AnnualVar::deaths_home, AnnualVar::deaths_hospice,
                          AnnualVar::deaths_hospital, AnnualVar::deaths_preferred_place, AnnualVar::deaths_with_acp}) {
                        INFO("year " << y << ", cell " << cl << ", " << name_of(v));
                        const auto it = counts.find({y, cl, static_cast<int>(v)});
                        REQUIRE((it == counts.end() ? 0 : it->second) == annual(with, y, cl, v));
                    }
            CHECK(by_diagnosis == with.children_by_diagnosis);
            CHECK(by_category == with.children_by_category);

            // Referrals sent, lost, refused and accepted in the horizon, as the monthly table counts them.
            std::int64_t sent = 0, lost = 0, refused = 0, accepted = 0;
            for (const auto& r : rec.referrals) {
                if (r.sent_day >= 0) ++sent, lost += r.outcome == ReferralOutcome::lost;
                if (r.decided_day != kNoDay && r.decided_day >= 0) {
                    refused += r.outcome == ReferralOutcome::refused;
                    accepted += r.outcome == ReferralOutcome::accepted;
                }
            }
            CHECK(sent == with.monthly_total(0, with.months, MonthlyVar::referrals));
            CHECK(lost == with.monthly_total(0, with.months, MonthlyVar::referrals_lost));
            CHECK(refused == with.monthly_total(0, with.months, MonthlyVar::referrals_refused));
            CHECK(accepted == with.monthly_total(0, with.months, MonthlyVar::referrals_accepted));

            // Days in each phase add up to each child's days in the horizon.
            const int end = with.years * 365;
            for (const auto& c : rec.children) {
                const int from = std::max(c.entry_day, 0), to = c.exit_day == kNoDay ? end : c.exit_day;
                CHECK(c.phase_days[0] + c.phase_days[1] + c.phase_days[2] + c.phase_days[3] == std::max(to - from, 0));
            }
        }
    }
}
