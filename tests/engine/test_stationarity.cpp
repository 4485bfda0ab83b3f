// Stationarity (MODEL.md §3): with no trend, prevalence, phase mix and caseloads stay flat over
// the horizon, and the initial population does not bias the first year. Each replicate gives one
// least-squares slope of the yearly series on the year; replicates are independent, so the mean
// slope must lie within a few standard errors of zero. The same for the jump of the first year
// over the mean of the others.
#include "engine_test_support.hpp"

#include <functional>
#include <map>

using namespace engine_test;

namespace {

constexpr int kReplicates = 10;
constexpr double kZ = 5.0;  // tolerance in standard errors (several series are tested)

struct Runs {
    Scenario scenario;
    std::vector<RunOutputs> runs;
};

/// Ten reported years of the default region, with the scenario's warm-up or none. Cached: the
/// test cases below share the runs.
const Runs& default_region(int warmup_years) {
    static std::map<int, Runs> cache;
    auto it = cache.find(warmup_years);
    if (it == cache.end()) {
        auto sc = load(yh("no-network.toml"), {"run.years=10", "run.warmup_years=" + std::to_string(warmup_years),
                                               "population.trend_per_year=0"});
        auto runs = run(sc, 31337, kReplicates, 2);
        it = cache.emplace(warmup_years, Runs{std::move(sc), std::move(runs)}).first;
    }
    return it->second;
}

using Series = std::function<double(const RunOutputs&, int year)>;

Series annual_total(AnnualVar v) {
    return [v](const RunOutputs& r, int y) { return static_cast<double>(r.annual_total(y, v)); };
}
Series share_of_children(AnnualVar v) {
    return [v](const RunOutputs& r, int y) {
        return static_cast<double>(r.annual_total(y, v)) / static_cast<double>(r.annual_total(y, AnnualVar::children));
    };
}
Series year_end_prevalent() {
    return [](const RunOutputs& r, int y) { return total(r, MonthlyVar::prevalent, 12 * y + 11, 12 * y + 12); };
}
Series monthly_in_year(MonthlyVar v) {
    return [v](const RunOutputs& r, int y) { return total(r, v, 12 * y, 12 * y + 12); };
}

/// Checks that `series` has no trend and no first-year jump, from reported year `from` on.
void require_flat(const Runs& data, const std::string& name, const Series& series, int from = 0) {
    std::vector<double> slopes, jumps, means;
    for (const auto& r : data.runs) {
        std::vector<double> y;
        for (int year = from; year < r.years; ++year) y.push_back(series(r, year));
        slopes.push_back(slope(y));
        const double rest = mean(std::vector<double>(y.begin() + 1, y.end()));
        jumps.push_back(y.front() - rest);
        means.push_back(mean(y));
    }
    const double level = mean(means);
    const double s = mean(slopes), s_se = standard_error(slopes);
    const double j = mean(jumps), j_se = standard_error(jumps);
    INFO(name << ": level " << level << "; slope per year " << s << " (SE " << s_se << ", " << 100 * s / level
              << "% of the level); first-year jump " << j << " (SE " << j_se << ")");
    REQUIRE(level > 0);
    REQUIRE(s_se > 0);
    CHECK(std::abs(s) <= kZ * s_se);
    CHECK(std::abs(j) <= kZ * j_se);
}

}  // namespace

TEST_CASE("prevalence, deaths and the annual phase mix stay flat over the horizon", "[validation][engine]") {
    const auto& data = default_region(3);
    REQUIRE(data.runs.front().years == 10);
    SECTION("prevalence and deaths") {
        require_flat(data, "children (period prevalence)", annual_total(AnnualVar::children));
        require_flat(data, "prevalent at the year's end", year_end_prevalent());
        require_flat(data, "entries", monthly_in_year(MonthlyVar::entries));
        require_flat(data, "deaths", annual_total(AnnualVar::deaths));
        require_flat(data, "infants (age band <1)", [](const RunOutputs& r, int y) {
            return static_cast<double>(r.children_by_age[static_cast<std::size_t>(y) * kAgeBands]);
        });
    }
    SECTION("phase mix") {
        require_flat(data, "share most severe stable", share_of_children(AnnualVar::max_phase_stable));
        require_flat(data, "share most severe unstable", share_of_children(AnnualVar::max_phase_unstable));
        require_flat(data, "share most severe deteriorating", share_of_children(AnnualVar::max_phase_deteriorating));
        require_flat(data, "share most severe dying", share_of_children(AnnualVar::max_phase_dying));
    }
}

TEST_CASE("the initial population is stationary even without a warm-up", "[validation][engine]") {
    // build_initial_population() draws the population at day 0 from the model's own prehistory, so
    // prevalence and the phase mix must not drift from the first day.
    const auto& data = default_region(0);
    require_flat(data, "children (period prevalence)", annual_total(AnnualVar::children));
    require_flat(data, "prevalent at the year's end", year_end_prevalent());
    require_flat(data, "deaths", annual_total(AnnualVar::deaths));
    require_flat(data, "share most severe unstable", share_of_children(AnnualVar::max_phase_unstable));
    require_flat(data, "share most severe deteriorating", share_of_children(AnnualVar::max_phase_deteriorating));
}

TEST_CASE("caseloads and identification stay flat over the horizon", "[validation][engine]") {
    // MODEL.md §3: "caseloads stay flat". build_initial_population() (population.cpp) puts a
    // pre-identified child on a home provider's caseload after a single draw of
    // referral.need_by_phase for the child's phase at day 0 (and acceptance), whereas a child
    // identified during the run is referred at identification and again at every escalation to
    // deteriorating or dying (refer_missing), and is re-identified after a lost referral. The
    // seeded caseloads therefore differ from the level the run sustains and converge only as the
    // initial children leave, over many years: after the 3-year warm-up the SPPC share still rises
    // by about 3% of its level a year. (An earlier version ignored need_by_phase altogether and
    // caseloads fell by about 5% a year.)
    const auto& data = default_region(3);
    require_flat(data, "share on a hospice caseload", share_of_children(AnnualVar::on_hospice_caseload));
    require_flat(data, "share on an SPPC caseload", share_of_children(AnnualVar::on_sppc_caseload));
    // CCN caseloads are at their limits in several areas (referral.caseload_per_unit): the share
    // on a CCN caseload in a year falls by about 7% over the first three reported years (six after
    // the start, as the seeded caseloads turn over under waiting lists) and is flat after that.
    require_flat(data, "share on a CCN caseload", share_of_children(AnnualVar::on_ccn_caseload), 3);
    require_flat(data, "share reached (access rate)", share_of_children(AnnualVar::reached));
    require_flat(data, "share known", share_of_children(AnnualVar::known));
}
