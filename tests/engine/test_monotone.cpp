// Monotone responses: more capacity, money or network gives more care and less unmet need.
// Each comparison is paired (same seed and replicate index: the same children, MODEL.md §6), and
// the mean paired difference must be in the expected direction by more than three standard
// errors, so a test passes only when the direction is decisive, not by luck.
#include "engine_test_support.hpp"

using namespace engine_test;

namespace {

constexpr int kReplicates = 4;
constexpr std::uint64_t kSeed = 777;

/// Values of `metric` per replicate for scenarios `a` and `b` (same seed).
struct Pair {
    std::vector<double> a, b;
};
template <class F>
Pair paired_metric(const std::vector<RunOutputs>& ra, const std::vector<RunOutputs>& rb, F metric) {
    return {per_run(ra, metric), per_run(rb, metric)};
}

void require_decisive(const Pair& p, const std::string& what, bool increase) {
    const auto d = paired(p.b, p.a);
    const double m = mean(d), se = standard_error(d);
    INFO(what << ": A mean " << mean(p.a) << ", B mean " << mean(p.b) << "; paired difference " << m << " (SE " << se
              << ")");
    if (increase) {
        CHECK(m > 0);
        CHECK(m - 3 * se > 0);
    } else {
        CHECK(m < 0);
        CHECK(m + 3 * se < 0);
    }
}
void require_increase(const Pair& p, const std::string& what) {
    require_decisive(p, what, true);
}
void require_decrease(const Pair& p, const std::string& what) {
    require_decisive(p, what, false);
}

double mean_referral_delay(const RunOutputs& r) {
    return total(r, MonthlyVar::referral_delay_days) /
           (total(r, MonthlyVar::referrals) - total(r, MonthlyVar::referrals_lost));
}

}  // namespace

TEST_CASE("more hospice beds give fewer unmet short-break nights", "[validation][engine]") {
    // A: the default region with half its hospice beds; B: with its published beds.
    const auto more_beds = load(yh("no-network.toml"), short_run(2, 1));
    auto fewer_beds = more_beds;
    for (auto& p : fewer_beds.providers)
        if (p.type == ProviderType::Hospice) p.beds *= 0.5;
    const auto ra = run(fewer_beds, kSeed, kReplicates), rb = run(more_beds, kSeed, kReplicates);
    require_decrease(
        paired_metric(ra, rb, [](const RunOutputs& r) { return total(r, MonthlyVar::unmet_nights_respite); }),
        "unmet short-break nights");
    require_increase(
        paired_metric(ra, rb, [](const RunOutputs& r) { return total(r, MonthlyVar::respite_nights_received); }),
        "short-break nights received");
}

TEST_CASE("a paid coordinator shortens referral delays and identifies more children", "[validation][engine]") {
    const auto base = load(yh("no-network.toml"), short_run(2, 1));
    const auto coordinator =
        load(yh("no-network.toml"), short_run(2, 1, {"network.coordinator_wte=1", "network.leadership=0.3"}));
    const auto ra = run(base, kSeed, kReplicates), rb = run(coordinator, kSeed, kReplicates);
    require_decrease(paired_metric(ra, rb, mean_referral_delay), "mean referral delay (days)");
    require_increase(paired_metric(ra, rb, [](const RunOutputs& r) { return total(r, AnnualVar::known); }),
                     "children known to palliative care");
    // The coordinator is paid for.
    CHECK(total(ra, MonthlyVar::entries) == total(rb, MonthlyVar::entries));
    CHECK(rb.front().network_cost.front() > 0);
    CHECK(ra.front().network_cost.front() == 0);
}

TEST_CASE("more statutory funding gives more community nursing visits", "[validation][engine]") {
    const auto base = load(yh("no-network.toml"), short_run(2, 1));
    const auto more = load(yh("no-network.toml"), short_run(2, 1, {"funding.statutory_multiplier=1.5"}));
    const auto ra = run(base, kSeed, kReplicates), rb = run(more, kSeed, kReplicates);
    require_increase(
        paired_metric(ra, rb, [](const RunOutputs& r) { return total(r, MonthlyVar::ccn_visits_received); }),
        "CCN visits received");
    // SPPC contacts are not checked: the default region's SPPC teams have spare contact capacity
    // and caseloads below their limits, so more money gives them no more contacts (docs/funding.md).
    require_decrease(paired_metric(ra, rb, [](const RunOutputs& r) { return total(r, MonthlyVar::unmet_days_ccn); }),
                     "unmet CCN days");
}

TEST_CASE("shared records lose fewer referrals", "[validation][engine]") {
    // Both arms have the same leadership, so the only difference is the records.
    const auto base = load(yh("no-network.toml"), short_run(2, 1, {"network.leadership=0.5"}));
    const auto records =
        load(yh("no-network.toml"), short_run(2, 1, {"network.leadership=0.5", "network.shared_records=true"}));
    const auto ra = run(base, kSeed, kReplicates), rb = run(records, kSeed, kReplicates);
    require_decrease(paired_metric(ra, rb, [](const RunOutputs& r) { return total(r, MonthlyVar::referrals_lost); }),
                     "referrals lost");
    require_decrease(paired_metric(ra, rb,
                                   [](const RunOutputs& r) {
                                       return total(r, MonthlyVar::referrals_lost) / total(r, MonthlyVar::referrals);
                                   }),
                     "share of referrals lost");
}

TEST_CASE("pooled capacity serves children across catchments", "[validation][engine]") {
    SECTION("two-area region: a large CCN team next to a small one") {
        const auto base = load(two_area(), short_run(2, 1, {"network.leadership=1"}));
        const auto pooled = load(two_area(), short_run(2, 1, {"network.leadership=1", "network.pooled_capacity=true"}));
        const auto ra = run(base, kSeed, kReplicates), rb = run(pooled, kSeed, kReplicates);
        for (int i = 0; i < kReplicates; ++i) {
            const auto& a = ra[static_cast<std::size_t>(i)];
            const auto& b = rb[static_cast<std::size_t>(i)];
            INFO("replicate " << i);
            CHECK(total(a, MonthlyVar::pooled_services) == 0);
            CHECK(total(b, MonthlyVar::pooled_services) > 0);
            CHECK(provider_total(pooled, b, ProviderVar::pooled_units_given, ProviderType::Ccn) > 0);
        }
        require_decrease(
            paired_metric(ra, rb, [](const RunOutputs& r) { return total(r, MonthlyVar::unmet_days_ccn); }),
            "unmet CCN days");
    }
    SECTION("the full-network scenario of the default region") {
        const auto full = load(yh("full-network.toml"), short_run(1, 1));
        for (const auto& r : run(full, kSeed, 2)) CHECK(total(r, MonthlyVar::pooled_services) > 0);
    }
}

TEST_CASE("a fully staffed 24/7 rota extends 24/7 cover", "[validation][engine]") {
    const auto base = load(yh("no-network.toml"), short_run(2, 1));
    const auto rota =
        load(yh("no-network.toml"), short_run(2, 1,
                                              {"network.rota_24_7=true", "network.leadership=1",
                                               "network.rota_min_consultants=0", "network.rota_min_nurses=0"}));
    const auto ra = run(base, kSeed, 2), rb = run(rota, kSeed, 2);
    for (std::size_t i = 0; i < ra.size(); ++i) {
        // The rota only adds advice: no area-day loses cover.
        int lost = 0;
        for (std::size_t k = 0; k < ra[i].area_cover_days.size(); ++k)
            lost += rb[i].area_cover_days[k] < ra[i].area_cover_days[k];
        CHECK(lost == 0);
        const double share_a = summary_value(base, ra[i], "areas_24_7_share");
        const double share_b = summary_value(rota, rb[i], "areas_24_7_share");
        INFO("areas_24_7_share " << share_a << " -> " << share_b);
        CHECK(share_b > share_a + 0.1);
        CHECK(total(rb[i], AnnualVar::deaths_with_24_7) > total(ra[i], AnnualVar::deaths_with_24_7));
    }
}

TEST_CASE("a rota with nobody on its consultant tier adds no cover", "[validation][engine]") {
    // The converse of the test above: without people on a tier the rota changes nothing.
    const auto base = load(yh("no-network.toml"), short_run(1, 1));
    const auto rota =
        load(yh("no-network.toml"), short_run(1, 1,
                                              {"network.rota_24_7=true", "network.leadership=1",
                                               "network.rota_consultant_share=0", "network.rota_adult_consultants=0"}));
    const auto ra = run(base, kSeed, 1), rb = run(rota, kSeed, 1);
    CHECK(ra[0].area_cover_days == rb[0].area_cover_days);
}

TEST_CASE("24/7 cover grows with the people a rota needs being there", "[validation][engine]") {
    // Needing more consultants per rota leaves more nights uncovered: cover falls step by step,
    // with no threshold at which it jumps from none to all.
    std::vector<double> cover;
    for (const char* need :
         {"network.rota_min_consultants=1", "network.rota_min_consultants=4", "network.rota_min_consultants=12"}) {
        const auto sc =
            load(yh("no-network.toml"), short_run(1, 1, {"network.rota_24_7=true", "network.leadership=1", need}));
        const auto r = run(sc, kSeed, 1);
        cover.push_back(summary_value(sc, r[0], "areas_24_7_share"));
    }
    INFO("areas_24_7_share by consultants needed 1, 4, 12: " << cover[0] << ", " << cover[1] << ", " << cover[2]);
    CHECK(cover[0] > cover[1]);
    CHECK(cover[1] > cover[2]);
}

TEST_CASE("hospices closed for lack of money take fewer children onto their caseloads", "[validation][engine]") {
    // Regression: a closed hospice's caseload limit was 0, which read as "no limit", so halving
    // charitable income raised access.
    const auto base = load(yh("no-network.toml"), short_run(2, 1));
    const auto cut = load(yh("no-network.toml"), short_run(2, 1, {"funding.charitable_multiplier=0.5"}));
    const auto ra = run(base, kSeed, kReplicates), rb = run(cut, kSeed, kReplicates);
    require_decrease(
        paired_metric(ra, rb, [](const RunOutputs& r) { return total(r, AnnualVar::on_hospice_caseload); }),
        "children on a hospice caseload");
}
