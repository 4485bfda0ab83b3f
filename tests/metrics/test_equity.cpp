#include "metrics/equity.hpp"

#include "core/error.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

using cpcsim::EquityInput;
using cpcsim::EquitySummary;
using cpcsim::GroupRate;

namespace {

// Groups from populations and rates (events = rate * population).
std::vector<GroupRate> groups(const std::vector<double>& population, const std::vector<double>& rate) {
    std::vector<GroupRate> out;
    for (std::size_t i = 0; i < population.size(); ++i) out.push_back({population[i], rate[i] * population[i]});
    return out;
}

std::vector<GroupRate> scaled(std::vector<GroupRate> g, double k) {
    for (GroupRate& x : g) x.events *= k;
    return g;
}

// The worked example of docs/equity.md.
EquityInput worked_example() {
    EquityInput in;
    in.quintile = {{{100, 50}, {200, 80}, {300, 90}, {200, 60}, {200, 40}}};
    in.ethnic = {{{600, 210}, {200, 50}, {100, 30}, {100, 30}}};
    in.area = {{400, 160}, {300, 90}, {200, 50}, {100, 20}};
    in.urban = {800, 272};
    in.rural = {200, 48};
    return in;
}

// Brute-force population-weighted Gini: sum_ij s_i s_j |r_i - r_j| / (2 mean).
double gini_pairwise(const std::vector<GroupRate>& areas) {
    double pop = 0, events = 0;
    for (const auto& a : areas) pop += a.population, events += a.events;
    const double mean = events / pop;
    double sum = 0;
    for (const auto& a : areas)
        for (const auto& b : areas) sum += a.population / pop * b.population / pop * std::abs(a.rate() - b.rate());
    return sum / (2 * mean);
}

// Small deterministic generator for property tests (no dependence on the library's RNG).
struct Lcg {
    std::uint64_t s;
    double next() {
        s = s * 6364136223846793005ULL + 1442695040888963407ULL;
        return static_cast<double>(s >> 11) * 0x1.0p-53;
    }
};

constexpr double kTight = 1e-12;

}  // namespace

TEST_CASE("the worked example of docs/equity.md", "[unit][equity]") {
    const EquitySummary s = cpcsim::compute_equity(worked_example());
    // Deprivation (quintiles Q1..Q5, populations 100,200,300,200,200; rates .5,.4,.3,.3,.2).
    CHECK(s.rate_overall == Approx(0.32).margin(kTight));
    CHECK(s.rate_ratio_q5_q1 == Approx(0.4).margin(kTight));
    CHECK(s.rate_difference_q5_q1 == Approx(-0.3).margin(kTight));
    CHECK(s.sii == Approx(-0.291139).margin(1e-6));  // -0.023 / 0.079
    CHECK(s.rii == Approx(0.374660).margin(1e-6));   // 0.174430 / 0.465570
    CHECK(s.rii_mean == Approx(-0.909810).margin(1e-6));
    CHECK(s.concentration_index == Approx(0.14375).margin(kTight));  // 2 * 0.023 / 0.32
    CHECK(s.erreygers_index == Approx(0.184).margin(kTight));        // 8 * 0.023
    // Areas (populations 400,300,200,100; rates .4,.3,.25,.2).
    CHECK(s.gini_areas == Approx(0.121875).margin(kTight));  // 0.039 / 0.32
    CHECK(s.theil_t_areas == Approx(0.025473).margin(1e-6));
    CHECK(s.cv_areas == Approx(0.223170).margin(1e-6));  // 0.071414 / 0.32
    CHECK(s.best_worst_ratio_areas == Approx(2.0).margin(kTight));
    CHECK(s.max_rate_areas == Approx(0.4).margin(kTight));
    CHECK(s.min_rate_areas == Approx(0.2).margin(kTight));
    // Ethnic groups (rates .35, .25, .30, .30) and rurality (urban .34, rural .24).
    CHECK(s.rate_ratio_south_asian_white == Approx(0.714286).margin(1e-6));
    CHECK(s.rate_ratio_black_white == Approx(0.857143).margin(1e-6));
    CHECK(s.rate_ratio_mixed_other_white == Approx(0.857143).margin(1e-6));
    CHECK(s.rural_urban_difference == Approx(-0.1).margin(kTight));
    CHECK(s.rural_urban_ratio == Approx(0.705882).margin(1e-6));
}

TEST_CASE("named() gives every measure under its stable name, in order", "[unit][equity]") {
    const std::vector<std::string> expected{"rate_overall",
                                            "rate_ratio_q5_q1",
                                            "rate_difference_q5_q1",
                                            "sii",
                                            "rii",
                                            "rii_mean",
                                            "concentration_index",
                                            "erreygers_index",
                                            "gini_areas",
                                            "theil_t_areas",
                                            "cv_areas",
                                            "best_worst_ratio_areas",
                                            "max_rate_areas",
                                            "min_rate_areas",
                                            "rate_ratio_south_asian_white",
                                            "rate_ratio_black_white",
                                            "rate_ratio_mixed_other_white",
                                            "rural_urban_difference",
                                            "rural_urban_ratio"};
    REQUIRE(EquitySummary::names() == expected);
    const EquitySummary s = cpcsim::compute_equity(worked_example());
    const auto named = s.named();
    REQUIRE(named.size() == expected.size());
    for (std::size_t i = 0; i < named.size(); ++i) CHECK(named[i].first == expected[i]);
    CHECK(named[0].second == s.rate_overall);
    CHECK(named[3].second == s.sii);
    CHECK(named[6].second == s.concentration_index);
    CHECK(named[9].second == s.theil_t_areas);
    CHECK(named[18].second == s.rural_urban_ratio);
}

TEST_CASE("the free functions agree with compute_equity", "[unit][equity]") {
    const EquityInput in = worked_example();
    const EquitySummary s = cpcsim::compute_equity(in);
    CHECK(cpcsim::slope_index_of_inequality(in.quintile) == s.sii);
    CHECK(cpcsim::relative_index_of_inequality(in.quintile) == s.rii);
    CHECK(cpcsim::concentration_index(in.quintile) == s.concentration_index);
    CHECK(cpcsim::gini(in.area) == s.gini_areas);
    const auto ratios = cpcsim::rate_ratios_vs_reference(in.ethnic, 0);
    REQUIRE(ratios.size() == 4);
    CHECK(ratios[0] == 1.0);
    CHECK(ratios[1] == s.rate_ratio_south_asian_white);
    CHECK(ratios[3] == s.rate_ratio_mixed_other_white);
}

TEST_CASE("perfect equality gives 0 for the indices and 1 for the ratios", "[unit][equity]") {
    EquityInput in;
    const auto q = groups({100, 250, 300, 50, 300}, {0.3, 0.3, 0.3, 0.3, 0.3});
    std::copy(q.begin(), q.end(), in.quintile.begin());
    in.ethnic = {{{600, 180}, {200, 60}, {100, 30}, {100, 30}}};
    in.area = groups({120, 380, 500}, {0.3, 0.3, 0.3});
    in.urban = {700, 210};
    in.rural = {300, 90};
    const EquitySummary s = cpcsim::compute_equity(in);
    CHECK(s.rate_overall == Approx(0.3).margin(kTight));
    CHECK(s.sii == Approx(0).margin(kTight));
    CHECK(s.rii == Approx(1).margin(kTight));
    CHECK(s.rii_mean == Approx(0).margin(kTight));
    CHECK(s.concentration_index == Approx(0).margin(kTight));
    CHECK(s.erreygers_index == Approx(0).margin(kTight));
    CHECK(s.rate_ratio_q5_q1 == Approx(1).margin(kTight));
    CHECK(s.rate_difference_q5_q1 == Approx(0).margin(kTight));
    CHECK(s.gini_areas == Approx(0).margin(kTight));
    CHECK(s.theil_t_areas == Approx(0).margin(kTight));
    CHECK(s.cv_areas == Approx(0).margin(kTight));
    CHECK(s.best_worst_ratio_areas == Approx(1).margin(kTight));
    CHECK(s.rate_ratio_south_asian_white == Approx(1).margin(kTight));
    CHECK(s.rate_ratio_black_white == Approx(1).margin(kTight));
    CHECK(s.rate_ratio_mixed_other_white == Approx(1).margin(kTight));
    CHECK(s.rural_urban_difference == Approx(0).margin(kTight));
    CHECK(s.rural_urban_ratio == Approx(1).margin(kTight));
}

TEST_CASE("scaling every rate by k keeps the relative measures and multiplies SII by k", "[unit][equity]") {
    const auto q = groups({100, 200, 300, 200, 200}, {0.5, 0.4, 0.3, 0.3, 0.2});
    const auto areas = groups({400, 300, 200, 100, 50}, {0.4, 0.3, 0.25, 0.2, 0.0});
    for (const double k : {0.1, 0.5, 1.7}) {
        const auto qk = scaled(q, k);
        const auto ak = scaled(areas, k);
        CHECK(cpcsim::relative_index_of_inequality(qk) ==
              Approx(cpcsim::relative_index_of_inequality(q)).epsilon(1e-12));
        CHECK(cpcsim::relative_index_of_inequality_mean(qk) ==
              Approx(cpcsim::relative_index_of_inequality_mean(q)).epsilon(1e-12));
        CHECK(cpcsim::concentration_index(qk) == Approx(cpcsim::concentration_index(q)).epsilon(1e-12));
        CHECK(cpcsim::slope_index_of_inequality(qk) == Approx(k * cpcsim::slope_index_of_inequality(q)).epsilon(1e-12));
        CHECK(cpcsim::erreygers_index(qk) == Approx(k * cpcsim::erreygers_index(q)).epsilon(1e-12));
        CHECK(cpcsim::gini(ak) == Approx(cpcsim::gini(areas)).epsilon(1e-12));
        CHECK(cpcsim::theil_t(ak) == Approx(cpcsim::theil_t(areas)).epsilon(1e-12));
        CHECK(cpcsim::coefficient_of_variation(ak) == Approx(cpcsim::coefficient_of_variation(areas)).epsilon(1e-12));
    }
}

TEST_CASE("area measures do not depend on the order of areas", "[unit][equity]") {
    Lcg rng{12345};
    std::vector<GroupRate> areas;
    for (int i = 0; i < 40; ++i) {
        const double pop = std::floor(1 + 500 * rng.next());
        // Some tied rates (every fifth area shares 0.25) to exercise the sort's tie handling.
        const double rate = (i % 5 == 0) ? 0.25 : std::floor(100 * rng.next()) / 100;
        areas.push_back({pop, std::round(rate * pop)});
    }
    const double g = cpcsim::gini(areas), t = cpcsim::theil_t(areas), cv = cpcsim::coefficient_of_variation(areas);
    const double bw = cpcsim::best_worst_ratio(areas);
    CHECK(g == Approx(gini_pairwise(areas)).epsilon(1e-12));
    auto shuffled = areas;
    std::reverse(shuffled.begin(), shuffled.end());
    for (int round = 0; round < 5; ++round) {
        for (std::size_t i = shuffled.size() - 1; i > 0; --i) {
            const auto j = static_cast<std::size_t>(rng.next() * static_cast<double>(i + 1));
            std::swap(shuffled[i], shuffled[j]);
        }
        CHECK(cpcsim::gini(shuffled) == Approx(g).epsilon(1e-12));
        CHECK(cpcsim::theil_t(shuffled) == Approx(t).epsilon(1e-12));
        CHECK(cpcsim::coefficient_of_variation(shuffled) == Approx(cv).epsilon(1e-12));
        CHECK(cpcsim::best_worst_ratio(shuffled) == bw);
    }
}

TEST_CASE("two areas of equal population with rates 0.2 and 0.6", "[unit][equity]") {
    const auto areas = groups({500, 500}, {0.2, 0.6});
    // Mean 0.4; Gini = (1/4 * 0.4 * 2) / (2 * 0.4) = 0.25.
    CHECK(cpcsim::gini(areas) == Approx(0.25).margin(kTight));
    // Theil = 1/2 (0.5 ln 0.5 + 1.5 ln 1.5) = 0.75 ln 1.5 - 0.25 ln 2 = 0.130812.
    CHECK(cpcsim::theil_t(areas) == Approx(0.75 * std::log(1.5) - 0.25 * std::log(2.0)).margin(kTight));
    CHECK(cpcsim::theil_t(areas) == Approx(0.130812).margin(1e-6));
    // SD 0.2, CV 0.5; best/worst 3.
    CHECK(cpcsim::coefficient_of_variation(areas) == Approx(0.5).margin(kTight));
    CHECK(cpcsim::best_worst_ratio(areas) == Approx(3.0).margin(kTight));
}

TEST_CASE("an area with rate 0 contributes 0 to Theil; best/worst is NaN, min_rate tells why", "[unit][equity]") {
    const auto areas = groups({300, 300}, {0.0, 0.4});
    // Mean 0.2: T = 1/2 * 2 ln 2 + 0 = ln 2; Gini = 1/4 * 0.4 * 2 / 0.4 = 0.5; CV = 0.2 / 0.2 = 1.
    CHECK(cpcsim::theil_t(areas) == Approx(std::log(2.0)).margin(kTight));
    CHECK(cpcsim::gini(areas) == Approx(0.5).margin(kTight));
    CHECK(cpcsim::coefficient_of_variation(areas) == Approx(1.0).margin(kTight));
    CHECK(std::isnan(cpcsim::best_worst_ratio(areas)));
    CHECK(cpcsim::min_rate(areas) == 0.0);
    CHECK(cpcsim::max_rate(areas) == Approx(0.4).margin(kTight));
}

TEST_CASE("a single populated area has no dispersion", "[unit][equity]") {
    const std::vector<GroupRate> areas{{0, 0}, {250, 40}, {0, 0}};
    CHECK(cpcsim::gini(areas) == 0.0);
    CHECK(cpcsim::theil_t(areas) == 0.0);
    CHECK(cpcsim::coefficient_of_variation(areas) == 0.0);
    CHECK(cpcsim::best_worst_ratio(areas) == 1.0);
    CHECK(cpcsim::max_rate(areas) == Approx(0.16).margin(kTight));
}

TEST_CASE("zero-population groups are ignored", "[unit][equity]") {
    const auto q = groups({100, 200, 300, 200}, {0.5, 0.4, 0.3, 0.2});
    std::vector<GroupRate> with_empty = q;
    with_empty.insert(with_empty.begin() + 2, GroupRate{0, 0});
    with_empty.push_back({0, 0});
    CHECK(cpcsim::slope_index_of_inequality(with_empty) ==
          Approx(cpcsim::slope_index_of_inequality(q)).epsilon(kTight));
    CHECK(cpcsim::relative_index_of_inequality(with_empty) ==
          Approx(cpcsim::relative_index_of_inequality(q)).epsilon(kTight));
    CHECK(cpcsim::concentration_index(with_empty) == Approx(cpcsim::concentration_index(q)).epsilon(kTight));
    CHECK(cpcsim::erreygers_index(with_empty) == Approx(cpcsim::erreygers_index(q)).epsilon(kTight));
    CHECK(cpcsim::gini(with_empty) == Approx(cpcsim::gini(q)).epsilon(kTight));
    CHECK(cpcsim::theil_t(with_empty) == Approx(cpcsim::theil_t(q)).epsilon(kTight));
    CHECK(cpcsim::coefficient_of_variation(with_empty) == Approx(cpcsim::coefficient_of_variation(q)).epsilon(kTight));
    CHECK(cpcsim::best_worst_ratio(with_empty) == Approx(cpcsim::best_worst_ratio(q)).epsilon(kTight));
    CHECK(cpcsim::min_rate(with_empty) == Approx(0.2).margin(kTight));
}

TEST_CASE("known analytic cases of the gradient measures", "[unit][equity]") {
    SECTION("rates exactly linear in ridit are fitted exactly") {
        // Populations 100, 300, 600: ridits 0.05, 0.25, 0.7; rate = 0.1 + 0.4 * ridit.
        const auto q = groups({100, 300, 600}, {0.12, 0.2, 0.38});
        CHECK(cpcsim::slope_index_of_inequality(q) == Approx(0.4).margin(kTight));
        CHECK(cpcsim::relative_index_of_inequality(q) == Approx(0.5 / 0.1).margin(1e-10));
        // Overall rate = 0.1 + 0.4 * 0.5 = 0.3.
        CHECK(cpcsim::relative_index_of_inequality_mean(q) == Approx(0.4 / 0.3).margin(1e-10));
    }
    SECTION("two equal groups: C = -(y_most - y_least) / (4 mean), E = y_least - y_most") {
        const auto q = groups({400, 400}, {0.6, 0.2});
        CHECK(cpcsim::concentration_index(q) == Approx(0.4 / (4 * 0.4)).margin(kTight));
        CHECK(cpcsim::erreygers_index(q) == Approx(0.4).margin(kTight));
        // Ridits 0.25, 0.75: SII = -0.4 / 0.5 = -0.8; fitted ends 0.8 and 0.0 -> RII = 0.
        CHECK(cpcsim::slope_index_of_inequality(q) == Approx(-0.8).margin(kTight));
        CHECK(cpcsim::relative_index_of_inequality(q) == Approx(0.0).margin(kTight));
    }
    SECTION("C = -2 var(ridit) SII / mean and E = 4 mean C") {
        const auto q = groups({100, 200, 300, 200, 200}, {0.5, 0.4, 0.3, 0.3, 0.2});
        const double var_ridit = (1 - (0.001 + 0.008 + 0.027 + 0.008 + 0.008)) / 12;  // (1 - sum f^3) / 12
        CHECK(var_ridit == Approx(0.079).margin(kTight));
        const double sii = cpcsim::slope_index_of_inequality(q);
        const double c = cpcsim::concentration_index(q);
        CHECK(c == Approx(-2 * var_ridit * sii / 0.32).margin(kTight));
        CHECK(cpcsim::erreygers_index(q) == Approx(4 * 0.32 * c).margin(kTight));
    }
    SECTION("mirror property: E of the complementary rate (not reached) is -E; C is not symmetric") {
        const auto q = groups({100, 200, 300, 200, 200}, {0.5, 0.4, 0.3, 0.3, 0.2});
        std::vector<GroupRate> complement;
        for (const auto& g : q) complement.push_back({g.population, g.population - g.events});
        CHECK(cpcsim::erreygers_index(complement) == Approx(-cpcsim::erreygers_index(q)).margin(kTight));
        // C of the complement is -C * mean / (1 - mean): -0.14375 * 0.32 / 0.68.
        CHECK(cpcsim::concentration_index(complement) == Approx(-0.14375 * 0.32 / 0.68).margin(kTight));
    }
    SECTION("direction: a rate rising with deprivation gives SII > 0, RII > 1, C < 0, E < 0") {
        const auto q = groups({200, 200, 200, 200, 200}, {0.2, 0.25, 0.3, 0.35, 0.4});
        CHECK(cpcsim::slope_index_of_inequality(q) > 0);
        CHECK(cpcsim::relative_index_of_inequality(q) > 1);
        CHECK(cpcsim::relative_index_of_inequality_mean(q) > 0);
        CHECK(cpcsim::concentration_index(q) < 0);
        CHECK(cpcsim::erreygers_index(q) < 0);
        CHECK(cpcsim::rate_ratio(q[4], q[0]) == Approx(2.0).margin(kTight));
        CHECK(cpcsim::rate_difference(q[4], q[0]) == Approx(0.2).margin(kTight));
    }
}

TEST_CASE("undefined measures are NaN", "[unit][equity]") {
    const GroupRate empty{0, 0}, zero{100, 0}, some{100, 30};
    CHECK(std::isnan(cpcsim::rate_ratio(some, empty)));
    CHECK(std::isnan(cpcsim::rate_ratio(empty, some)));
    CHECK(std::isnan(cpcsim::rate_ratio(some, zero)));
    CHECK(std::isnan(cpcsim::rate_ratio(zero, zero)));
    CHECK(cpcsim::rate_ratio(zero, some) == 0.0);
    CHECK(std::isnan(cpcsim::rate_difference(some, empty)));
    CHECK(std::isnan(cpcsim::overall_rate(std::vector<GroupRate>{empty, empty})));

    // Fewer than two populated groups: no gradient can be observed.
    const std::vector<GroupRate> one{empty, some, empty};
    CHECK(std::isnan(cpcsim::slope_index_of_inequality(one)));
    CHECK(std::isnan(cpcsim::relative_index_of_inequality(one)));
    CHECK(std::isnan(cpcsim::relative_index_of_inequality_mean(one)));
    CHECK(std::isnan(cpcsim::concentration_index(one)));
    CHECK(std::isnan(cpcsim::erreygers_index(one)));

    // All rates 0: relative measures undefined, absolute ones 0.
    const std::vector<GroupRate> zeros{zero, zero, {50, 0}};
    CHECK(cpcsim::slope_index_of_inequality(zeros) == 0.0);
    CHECK(cpcsim::erreygers_index(zeros) == 0.0);
    CHECK(std::isnan(cpcsim::relative_index_of_inequality(zeros)));
    CHECK(std::isnan(cpcsim::relative_index_of_inequality_mean(zeros)));
    CHECK(std::isnan(cpcsim::concentration_index(zeros)));
    CHECK(std::isnan(cpcsim::gini(zeros)));
    CHECK(std::isnan(cpcsim::theil_t(zeros)));
    CHECK(std::isnan(cpcsim::coefficient_of_variation(zeros)));
    CHECK(std::isnan(cpcsim::best_worst_ratio(zeros)));

    // No populated area at all.
    const std::vector<GroupRate> none{empty};
    CHECK(std::isnan(cpcsim::gini(none)));
    CHECK(std::isnan(cpcsim::max_rate(none)));
    CHECK(std::isnan(cpcsim::min_rate(none)));
    CHECK(std::isnan(cpcsim::gini(std::vector<GroupRate>{})));

    // A fitted line below zero at the least deprived end: RII has no meaning.
    const auto steep = groups({500, 500}, {0.0, 0.1});  // ends -0.05 and 0.15
    CHECK(cpcsim::slope_index_of_inequality(steep) == Approx(0.2).margin(kTight));
    CHECK(std::isnan(cpcsim::relative_index_of_inequality(steep)));
    CHECK(cpcsim::relative_index_of_inequality_mean(steep) == Approx(4.0).margin(kTight));

    // compute_equity with nothing recorded: every measure is NaN.
    const EquitySummary s = cpcsim::compute_equity(EquityInput{});
    for (const auto& [name, value] : s.named()) {
        INFO(name);
        CHECK(std::isnan(value));
    }
}

TEST_CASE("invalid counts throw cpcsim::Error listing every problem", "[unit][equity]") {
    const std::vector<GroupRate> bad{{100, 120}, {-5, 0}, {100, 10}, {std::nan(""), 1}};
    try {
        (void)cpcsim::gini(bad);
        FAIL("expected cpcsim::Error");
    } catch (const cpcsim::Error& e) {
        CHECK(e.problems().size() == 3);
    }
    CHECK_THROWS_AS(cpcsim::rate_ratio({10, 11}, {10, 5}), cpcsim::Error);
    CHECK_THROWS_AS(cpcsim::rate_ratios_vs_reference(std::vector<GroupRate>{{10, 5}}, 1), cpcsim::Error);

    EquityInput in = worked_example();
    in.quintile[2].events = 400;  // more events than children
    in.area.back().population = -1;
    try {
        (void)cpcsim::compute_equity(in);
        FAIL("expected cpcsim::Error");
    } catch (const cpcsim::Error& e) {
        REQUIRE(e.problems().size() == 2);
        CHECK(e.problems()[0].where == "quintile Q3");
        CHECK(e.problems()[1].where == "area 3");
    }
}

TEST_CASE("compute_equity rejects breakdowns that do not partition the same children", "[unit][equity]") {
    EquityInput in = worked_example();
    in.area.push_back({10, 1});
    in.rural.events += 1;
    try {
        (void)cpcsim::compute_equity(in);
        FAIL("expected cpcsim::Error");
    } catch (const cpcsim::Error& e) {
        REQUIRE(e.problems().size() == 2);
        CHECK(e.problems()[0].where == "areas");
        CHECK(e.problems()[1].where == "urban + rural");
    }
    // A breakdown left empty counts as not recorded: its measures are NaN, the rest computed.
    EquityInput partial = worked_example();
    partial.area.clear();
    partial.urban = {};
    partial.rural = {};
    const EquitySummary s = cpcsim::compute_equity(partial);
    CHECK(std::isnan(s.gini_areas));
    CHECK(std::isnan(s.rural_urban_ratio));
    CHECK(s.sii == Approx(-0.291139).margin(1e-6));
}
