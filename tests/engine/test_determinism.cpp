// Determinism (MODEL.md §6): a replicate is a pure function of (scenario, seed, replicate index),
// so the thread count, the grouping of replicates into calls and the order in which they run
// never change a single bit of the outputs.
#include "engine_test_support.hpp"

#include "engine/replicate.hpp"

#include <algorithm>

using namespace engine_test;

namespace {

/// The two-area region with every network mechanism on and a mid-run funding change, so that
/// pooling, engagement, the rota and the funding schedule are all exercised.
Scenario busy_two_area() {
    return load(two_area(), short_run(2, 1,
                                      {"network.coordinator_wte=1", "network.leadership=0.5", "network.training=1",
                                       "network.common_standards=true", "network.shared_records=true",
                                       "network.pooled_capacity=true", "network.rota_24_7=true",
                                       "network.rota_min_consultants=3"}));
}

void require_same_runs(const std::vector<RunOutputs>& a, const std::vector<RunOutputs>& b, std::size_t a_from = 0,
                       std::size_t b_from = 0, std::size_t count = 0) {
    if (count == 0) {
        REQUIRE(a.size() == b.size());
        count = a.size();
    }
    for (std::size_t i = 0; i < count; ++i) {
        INFO("replicate " << a_from + i << " vs " << b_from + i);
        CHECK(joined(differences(a[a_from + i], b[b_from + i])) == "(none)");
    }
}

}  // namespace

TEST_CASE("replicates are bit-identical for 1, 2 and 8 threads", "[regression][engine]") {
    for (const auto& sc : {busy_two_area(), load(yh("no-network.toml"), short_run(1, 1))}) {
        INFO(sc.name);
        const auto one = run(sc, 11, 6, 1);
        const auto two = run(sc, 11, 6, 2);
        const auto eight = run(sc, 11, 6, 8);
        REQUIRE(one.size() == 6);
        REQUIRE(one.front().children_simulated > 0);
        require_same_runs(one, two);
        require_same_runs(one, eight);
    }
}

TEST_CASE("a replicate does not depend on which other replicates run with it", "[regression][engine]") {
    const auto sc = busy_two_area();
    const auto all = run(sc, 99, 6, 2);        // replicates 0..5 together
    const auto middle = run(sc, 99, 2, 1, 3);  // replicates 3 and 4 alone
    const auto last = run(sc, 99, 1, 8, 5);    // replicate 5 alone, many threads
    require_same_runs(all, middle, 3, 0, 2);
    require_same_runs(all, last, 5, 0, 1);
    // simulate_replicate directly (no runner) gives the same as the runner.
    const auto direct = simulate_replicate(sc, ModelParams::from(sc.params), 99, 4);
    CHECK(joined(differences(all[4], direct)) == "(none)");
}

TEST_CASE("same seed gives the same run; another seed or replicate gives another", "[regression][engine]") {
    const auto sc = busy_two_area();
    const auto a = run(sc, 5, 2, 2);
    const auto again = run(sc, 5, 2, 2);
    require_same_runs(a, again);
    const auto other_seed = run(sc, 6, 2, 2);
    for (std::size_t i = 0; i < a.size(); ++i) {
        const auto d = differences(a[i], other_seed[i]);
        // Everything random changes: the children, hence the counters.
        CHECK(std::find(d.begin(), d.end(), "monthly") != d.end());
        CHECK(std::find(d.begin(), d.end(), "annual") != d.end());
    }
    // Replicates of one seed are different draws too.
    const auto d01 = differences(a[0], a[1]);
    CHECK(std::find(d01.begin(), d01.end(), "monthly") != d01.end());
}

TEST_CASE("a scenario loaded twice simulates identically", "[regression][engine]") {
    // Nothing in the run depends on addresses or on state left over from an earlier load or run.
    const auto first = run(busy_two_area(), 3, 1, 1);
    const auto second = run(busy_two_area(), 3, 1, 1);
    require_same_runs(first, second);
}

TEST_CASE("a replicate that does not keep its monthly table records everything else the same", "[regression][engine]") {
    const auto sc = busy_two_area();
    const ModelParams mp = ModelParams::from(sc.params);
    const auto full = simulate_replicate(sc, mp, 7, 2);
    auto lean = simulate_replicate(sc, mp, 7, 2, ReplicateOptions{/*keep_monthly=*/false, false});
    CHECK(lean.monthly.stored_nonzeros() == 0);
    REQUIRE(full.monthly.size() == static_cast<std::size_t>(full.months) * full.cells * kMonthlyVars);
    REQUIRE(full.monthly.stored_nonzeros() > 0);
    // The horizon totals the summary reads are the same, counter by counter.
    for (int v = 0; v < kMonthlyVars; ++v) {
        const auto var = static_cast<MonthlyVar>(v);
        INFO(kMonthlyVarInfo[static_cast<std::size_t>(v)].name);
        CHECK(lean.monthly_total(0, lean.months, var) == full.monthly_total(0, full.months, var));
        // and so are the totals of any stretch of months (each year here)
        for (int y = 0; y < full.years; ++y)
            CHECK(lean.monthly_total(12 * y, 12 * y + 12, var) == full.monthly_total(12 * y, 12 * y + 12, var));
    }
    CHECK(full.monthly_total(0, full.months, MonthlyVar::prevalent) > 0);
    lean.monthly = full.monthly;
    CHECK(joined(differences(full, lean)) == "(none)");
}

TEST_CASE("the --store choices parse to groups of outputs and back", "[unit][engine]") {
    CHECK(StoredOutputs::parse("all", "", "--store").names() == "monthly,annual,provider");
    CHECK(StoredOutputs::parse("annual", "", "--store").names() == "annual,provider");
    CHECK(StoredOutputs::parse("summary", "", "--store").names().empty());
    CHECK(StoredOutputs::parse("provider,monthly", "", "--store").names() == "monthly,provider");
    CHECK(StoredOutputs::parse("annual", "", "--store") == StoredOutputs{.monthly = false});
    CHECK_THROWS_WITH(
        StoredOutputs::parse("annual,weekly", "f.toml", "sweep.store"),
        Catch::Matchers::Contains("f.toml") && Catch::Matchers::Contains("'annual,weekly' is not a choice of outputs"));
    CHECK_THROWS(StoredOutputs::parse("", "", "--store"));
}
