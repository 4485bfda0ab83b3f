// Local levers (issue 10 item 5): network levers for an ICB or a list of areas ([[local_network]]),
// new posts in WTE ([[funding_change]] wte), their effects where they apply and nowhere else,
// their costs, and the errors of bad blocks.
#include "../scenario/scenario_test_support.hpp"
#include "engine/state.hpp"
#include "engine_test_support.hpp"
#include "metrics/icb_costs.hpp"
#include "metrics/run_measures.hpp"
#include "model/staff_time.hpp"

#include <set>

using namespace engine_test;

namespace {

std::filesystem::path local_data(const std::string& name) {
    return source_dir() / "tests" / "data" / "local-network" / name;
}

std::set<std::size_t> areas_of_icb(const Scenario& sc, const std::string& icb) {
    std::set<std::size_t> out;
    for (std::size_t a = 0; a < sc.areas.size(); ++a)
        if (sc.areas[a].icb == icb) out.insert(a);
    return out;
}

int provider_index(const Scenario& sc, const std::string& id) {
    for (std::size_t p = 0; p < sc.providers.size(); ++p)
        if (sc.providers[p].id == id) return static_cast<int>(p);
    FAIL("no provider " << id);
    return -1;
}

double cover_days(const RunOutputs& r, std::size_t area) {
    double s = 0;
    for (int y = 0; y < r.years; ++y)
        s += r.area_cover_days[static_cast<std::size_t>(y) * static_cast<std::size_t>(r.areas) + area];
    return s;
}

double sum(const std::vector<double>& v) {
    return std::accumulate(v.begin(), v.end(), 0.0);
}

}  // namespace

TEST_CASE("a [[local_network]] block resolves its ICB to the ICB's areas and keeps its levers", "[unit]") {
    const auto sc = load(yh("rota-one-icb.toml"));
    REQUIRE(sc.local_networks.size() == 1);
    const auto& block = sc.local_networks[0];
    CHECK(block.icb == "Humber and North Yorkshire");
    const auto hny = areas_of_icb(sc, "Humber and North Yorkshire");
    CHECK(std::set<std::size_t>(block.areas.begin(), block.areas.end()) == hny);
    CHECK(hny.size() == 6);
    REQUIRE(block.values.size() == 2);
    CHECK(sc.params.registry().specs()[static_cast<std::size_t>(block.values[0].first)].key == "network.rota_24_7");
    CHECK(block.values[0].second == 1.0);
    // The resolved scenario (written into results files) loads back to the same block.
    CHECK(sc.resolved_toml().find("[[local_network]]\nicb = \"Humber and North Yorkshire\"\nrota_24_7 = true\n"
                                  "leadership = 0.4") != std::string::npos);
}

TEST_CASE("every lever a [[local_network]] block may set is one the engine applies", "[unit]") {
    int levers = 0;
    NetworkParams n = ModelParams::from(ParamSet(model_parameters())).network;
    for (const auto& spec : model_parameters().specs()) {
        if (!spec.local) continue;
        ++levers;
        CHECK(spec.key.starts_with("network."));
        CHECK(n.set_lever(spec.key, 1.0));
    }
    CHECK(levers == 8);
    CHECK(n.rota_24_7);
    CHECK(n.coordinator_wte == 1.0);
    CHECK_FALSE(n.set_lever("network.engagement_rise_per_year", 1.0));
    const NetworkParams off = n.levers_off();
    CHECK_FALSE(off.any());
    CHECK(off.strongest(n).coordinator_wte == 1.0);
    CHECK(off.strongest(n).rota_24_7);
}

TEST_CASE("bad [[local_network]] blocks and funding changes name file, block, key and what was expected", "[unit]") {
    const auto error = scenario_test::load_error(local_data("bad.toml"), {}, model_parameters());  // model's levers
    using scenario_test::problem_with;
    CHECK(error.problems().size() == 9);
    problem_with(error, {"bad.toml", "line 5", "[[local_network]] block 1 names both icb and areas",
                         "expected exactly one of them"});
    problem_with(error, {"bad.toml", "line 10", "[[local_network]] block 2 names neither icb nor areas"});
    problem_with(error, {"line 13", "key local_network.icb", "block 3: unknown ICB 'Mid Yorkshire'", "West Yorkshire",
                         "Humber and North Yorkshire"});
    problem_with(error, {"line 17", "key local_network.areas", "block 4: unknown area code 'E09999999'"});
    problem_with(error, {"line 19, key network.coordinator_wte", "[[local_network]] block 4",
                         "expected a number, got a string"});
    problem_with(error, {"line 23, key local_network.engagement_rise_per_year",
                         "block 5: 'engagement_rise_per_year' is not a network lever", "coordinator_wte", "rota_24_7"});
    problem_with(error,
                 {"line 25", "[[funding_change]] needs exactly one of multiplier, amount_gbp, wte or out_of_hours"});
    problem_with(error, {"line 34, key funding_change.out_of_hours", "expected out_of_hours = true", "got false"});
    problem_with(error, {"line 36", "target 'york'", "out_of_hours needs a hospice, SPPC or CCN provider"});
}

TEST_CASE("one [[local_network]] block over every area is the region-wide network, bit for bit", "[regression]") {
    const auto region = load(yh("full-network.toml"), short_run(2, 1));
    const auto local = load(local_data("all-areas.toml"), short_run(2, 1));
    const auto a = run(region, 77, 2);
    const auto b = run(local, 77, 2);
    for (std::size_t i = 0; i < a.size(); ++i) {
        INFO("replicate " << i);
        CHECK(joined(differences(a[i], b[i])) == "(none)");
    }
    CHECK(sum(a[0].network_cost) > 0);
}

TEST_CASE("a 24/7 rota in one ICB raises cover only in that ICB's areas, as the regional rota would there",
          "[regression]") {
    const auto base = load(yh("no-network.toml"), short_run(2, 1));
    const auto local = load(yh("rota-one-icb.toml"), short_run(2, 1));
    // The same levers region-wide: one rota over the whole region, for the costs.
    const auto region =
        load(yh("no-network.toml"), short_run(2, 1, {"network.rota_24_7=true", "network.leadership=0.4"}));
    const auto hny = areas_of_icb(base, "Humber and North Yorkshire");
    const auto rb = run(base, 11, 2), rl = run(local, 11, 2), rr = run(region, 11, 2);
    for (std::size_t i = 0; i < rb.size(); ++i) {
        double gain_in = 0;
        for (std::size_t a = 0; a < base.areas.size(); ++a) {
            INFO("replicate " << i << ", area " << base.areas[a].name);
            if (hny.count(a)) {
                CHECK(cover_days(rl[i], a) >= cover_days(rb[i], a));
                // The teams serving the ICB staff it with the same people as a regional rota.
                CHECK(cover_days(rl[i], a) == cover_days(rr[i], a));
                gain_in += cover_days(rl[i], a) - cover_days(rb[i], a);
            } else {
                CHECK(cover_days(rl[i], a) == cover_days(rb[i], a));  // outside the ICB: exactly as before
            }
        }
        CHECK(gain_in > 0);
        CHECK(sum(rb[i].network_cost) == 0);
        CHECK(sum(rl[i].network_cost) > 0);
        // Both SPPC teams serve the ICB, so the same people are on call as on a regional rota, paid
        // once, with the network's running cost once: the same cost for fewer areas covered.
        CHECK(sum(rl[i].network_cost) == Approx(sum(rr[i].network_cost)).epsilon(1e-12));
    }
}

TEST_CASE("a coordinator for one ICB engages the providers serving its areas and no others", "[regression]") {
    const auto sc = load(yh("coordinator-one-icb.toml"), short_run(2, 1));
    const auto wy = areas_of_icb(sc, "West Yorkshire");
    const auto runs = run(sc, 5, 1);
    int engaged = 0, untouched = 0;
    for (std::size_t p = 0; p < sc.providers.size(); ++p) {
        bool serves_wy = false;
        for (std::size_t a : wy) serves_wy = serves_wy || cpcsim::catchment_holds(sc.providers[p], sc.areas[a]);
        const double e = provider(runs[0], 1, static_cast<int>(p), ProviderVar::engagement);
        INFO(sc.providers[p].id);
        if (serves_wy) {
            CHECK(e > 0.2);  // above the initial engagement: the coordinator drives it up
            ++engaged;
        } else {
            CHECK(e == 0);
            ++untouched;
        }
    }
    CHECK(engaged >= 8);  // Martin House, Forget Me Not, Leeds SPPC, five CCN teams (and hospitals)
    CHECK(untouched >= 8);
    CHECK(sum(runs[0].network_cost) > 0);
}

TEST_CASE("+2 WTE of SPPC posts add staff, capacity, caseload places and their cost at that team only",
          "[regression]") {
    const auto base = load(yh("no-network.toml"), short_run(2, 1));
    const auto more = load(yh("sppc-plus-2-wte-one-icb.toml"), short_run(2, 1));
    const int sheffield = provider_index(base, "sppc-sheffield"), leeds = provider_index(base, "sppc-leeds");
    const auto rb = run(base, 3, 1), rm = run(more, 3, 1);
    const double post_cost = ModelParams::from(more.params).funding.post_cost[1];
    const double vacancy = ModelParams::from(more.params).funding.vacancy_rate[1];
    for (int y = 0; y < rb[0].years; ++y) {
        INFO("year " << y);
        auto at = [&](const std::vector<RunOutputs>& r, int p, ProviderVar v) { return provider(r[0], y, p, v); };
        // Effective WTE (after vacancies) rises by the posts less the same vacancy rate, on average.
        CHECK(at(rm, sheffield, ProviderVar::effective_wte) - at(rb, sheffield, ProviderVar::effective_wte) ==
              Approx(2 * (1 - vacancy)).epsilon(0.1));
        CHECK(at(rm, sheffield, ProviderVar::capacity_per_day) > at(rb, sheffield, ProviderVar::capacity_per_day));
        CHECK(at(rm, sheffield, ProviderVar::statutory_gbp) - at(rb, sheffield, ProviderVar::statutory_gbp) ==
              Approx(2 * post_cost).epsilon(1e-9));
        CHECK(at(rm, leeds, ProviderVar::effective_wte) == at(rb, leeds, ProviderVar::effective_wte));
        CHECK(at(rm, leeds, ProviderVar::statutory_gbp) == at(rb, leeds, ProviderVar::statutory_gbp));
    }
    // Contacts a day rise by the posts (WTE, vacancies as at baseline) times contacts per WTE-day.
    const double per_wte =
        staff_time_capacity(more, ModelParams::from(more.params), static_cast<std::size_t>(sheffield))
            .contacts_per_wte_day;
    for (int y = 0; y < rb[0].years; ++y)
        CHECK(provider(rm[0], y, sheffield, ProviderVar::capacity_per_day) -
                  provider(rb[0], y, sheffield, ProviderVar::capacity_per_day) ==
              Approx(2 * per_wte).epsilon(0.1));  // capacity is before vacancies, relative to baseline
}

TEST_CASE("an advice-only service takes no referrals and keeps no caseload, but gives advice out of hours",
          "[regression]") {
    const auto base = load(yh("no-network.toml"), short_run(2, 1));
    const auto with = load(local_data("advice-line.toml"), short_run(2, 1));
    const int line = provider_index(with, "advice-line-wy");
    REQUIRE(with.providers[static_cast<std::size_t>(line)].advice_only);
    const auto rb = run(base, 9, 1), rw = run(with, 9, 1);
    for (int y = 0; y < rw[0].years; ++y) {
        CHECK(provider(rw[0], y, line, ProviderVar::units_given) == 0);
        CHECK(provider(rw[0], y, line, ProviderVar::caseload) == 0);
        CHECK(provider(rw[0], y, line, ProviderVar::budget_gbp) > 0);  // it still costs its budget
    }
    // Same referrals as without it (it is never a destination; what follows them may differ, since
    // its night cover changes admissions).
    CHECK(total(rw[0], MonthlyVar::referrals) == total(rb[0], MonthlyVar::referrals));
    // Its out-of-hours advice adds cover only in West Yorkshire, whose CCN teams all nurse out of hours.
    const auto wy = areas_of_icb(with, "West Yorkshire");
    double gain = 0;
    for (std::size_t a = 0; a < with.areas.size(); ++a) {
        INFO(with.areas[a].name);
        if (wy.count(a))
            gain += cover_days(rw[0], a) - cover_days(rb[0], a);
        else
            CHECK(cover_days(rw[0], a) == cover_days(rb[0], a));
    }
    CHECK(gain > 0);
}

TEST_CASE("costs per ICB add up to the region's costs and fall where the care and the levers are", "[regression]") {
    const auto sc = load(yh("rota-one-icb.toml"), short_run(2, 1));
    const auto P = ModelParams::from(sc.params);
    const auto runs = run(sc, 5, 1);
    const auto& r = runs[0];
    const auto m = measure_run(sc, P, r);
    const auto icbs = icb_names(sc);
    REQUIRE(icbs == std::vector<std::string>{"South Yorkshire", "West Yorkshire", "Humber and North Yorkshire"});
    const std::size_t ni = icbs.size();
    REQUIRE(m.icb_costs.size() == static_cast<std::size_t>(r.years) * ni * kIcbCostVars);
    auto icb = [&](int y, std::size_t i, IcbCostVar v) {
        return m.icb_costs[(static_cast<std::size_t>(y) * ni + i) * kIcbCostVars + static_cast<std::size_t>(v)];
    };
    auto over_icbs = [&](int y, IcbCostVar v) {
        double s = 0;
        for (std::size_t i = 0; i < ni; ++i) s += icb(y, i, v);
        return s;
    };
    double care = 0, total = 0;
    for (int y = 0; y < r.years; ++y) {
        INFO("year " << y);
        double stat = 0, charity = 0;
        for (int p = 0; p < r.providers; ++p) {
            stat += provider(r, y, p, ProviderVar::statutory_gbp);
            charity += provider(r, y, p, ProviderVar::charitable_gbp);
        }
        CHECK(over_icbs(y, IcbCostVar::provider_statutory) == Approx(stat).epsilon(1e-12));
        CHECK(over_icbs(y, IcbCostVar::provider_charitable) == Approx(charity).epsilon(1e-12));
        CHECK(over_icbs(y, IcbCostVar::network) == Approx(r.network_cost[static_cast<std::size_t>(y)]).epsilon(1e-12));
        // The rota and the block's running cost are paid for Humber and North Yorkshire only.
        CHECK(r.network_cost[static_cast<std::size_t>(y)] > 0);
        CHECK(icb(y, 0, IcbCostVar::network) == 0);
        CHECK(icb(y, 1, IcbCostVar::network) == 0);
        // A community nursing team serves its own area: its budget goes to that area's ICB.
        CHECK(icb(y, 1, IcbCostVar::provider_statutory) >=
              provider(r, y, provider_index(sc, "ccn-leeds"), ProviderVar::statutory_gbp));
        for (std::size_t i = 0; i < ni; ++i) {
            CHECK(icb(y, i, IcbCostVar::total) ==
                  Approx(icb(y, i, IcbCostVar::provider_statutory) + icb(y, i, IcbCostVar::provider_charitable) +
                         icb(y, i, IcbCostVar::hospital) + icb(y, i, IcbCostVar::network)));
            CHECK(icb(y, i, IcbCostVar::hospital) > 0);
            CHECK(icb(y, i, IcbCostVar::care_given_marginal) > 0);
            total += icb(y, i, IcbCostVar::total);
            care += icb(y, i, IcbCostVar::care_given_marginal);
        }
    }
    // Over the horizon the ICBs' totals are the run's cost_total_per_year and care given (exact to rounding).
    const auto& names = summary_measures();
    auto measure = [&](const std::string& name) {
        for (std::size_t k = 0; k < names.size(); ++k)
            if (names[k].name == name) return m.summary[k];
        FAIL("no measure " << name);
        return 0.0;
    };
    CHECK(total / r.years == Approx(measure("cost_total_per_year")).epsilon(1e-12));
    CHECK(care / r.years == Approx(measure("cost_care_given_per_year")).epsilon(1e-12));
    CHECK(over_icbs(0, IcbCostVar::hospital) > 0);
}

TEST_CASE("a funding change for an ICB and a provider type splits money by budgets and posts by WTE", "[regression]") {
    const auto base = load(yh("no-network.toml"), short_run(1, 1));
    const auto sel = load(local_data("selection.toml"), short_run(1, 1));
    REQUIRE(sel.funding_changes.size() == 2);
    const auto& money = sel.funding_changes[0];
    const auto& posts = sel.funding_changes[1];
    // West Yorkshire's five community nursing teams, by where they stand; SPPC teams region-wide.
    CHECK(money.selection.size() == 5);
    CHECK(posts.selection.size() == 2);
    double budgets = 0, wtes = 0;
    for (std::size_t p : money.selection) {
        CHECK(sel.providers[p].type == ProviderType::Ccn);
        budgets += sel.providers[p].statutory_income_gbp + sel.providers[p].charitable_income_gbp;
    }
    for (std::size_t p : posts.selection) wtes += sel.providers[p].staff_wte;
    const auto rb = run(base, 3, 1), rs = run(sel, 3, 1);
    const auto mp = ModelParams::from(sel.params);
    double added = 0;
    for (std::size_t p = 0; p < sel.providers.size(); ++p) {
        const auto& pr = sel.providers[p];
        INFO(pr.id);
        const int pi = static_cast<int>(p);
        const double extra =
            provider(rs[0], 0, pi, ProviderVar::statutory_gbp) - provider(rb[0], 0, pi, ProviderVar::statutory_gbp);
        const bool in_money = std::find(money.selection.begin(), money.selection.end(), p) != money.selection.end();
        if (in_money) {
            CHECK(extra == Approx(1e6 * (pr.statutory_income_gbp + pr.charitable_income_gbp) / budgets).epsilon(1e-9));
            added += extra;
        } else if (pr.type == ProviderType::Sppc) {  // 3 posts shared by baseline WTE, at the SPPC post cost
            CHECK(extra == Approx(3 * pr.staff_wte / wtes * mp.funding.post_cost[1]).epsilon(1e-9));
        } else {
            CHECK(extra == 0);
        }
    }
    CHECK(added == Approx(1e6).epsilon(1e-9));  // the whole amount, once
    // The resolved scenario writes the selection back and loads to the same shares.
    CHECK_THAT(sel.resolved_toml(), Catch::Matchers::Contains("icb = \"West Yorkshire\"") &&
                                        Catch::Matchers::Contains("provider_type = \"ccn\""));
}

TEST_CASE("bad funding selections name the file, the change, the key and what was expected", "[unit]") {
    const auto error = scenario_test::load_error(local_data("bad-selection.toml"), {}, model_parameters());
    using scenario_test::problem_with;
    CHECK(error.problems().size() == 4);
    problem_with(error, {"bad-selection.toml", "line 5, key funding_change.icb", "unknown ICB 'Mid Yorkshire'",
                         "West Yorkshire"});
    problem_with(error, {"line 12", "expected provider_type hospice, sppc or ccn, got 'hospital'"});
    problem_with(error, {"line 15", "names a target and icb or provider_type", "ambiguous"});
    problem_with(error, {"line 21", "selects no sppc standing in ICB 'Humber and North Yorkshire'"});
}
