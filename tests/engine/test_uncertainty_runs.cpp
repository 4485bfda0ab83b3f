// Runs with parameter uncertainty (--uncertainty): each replicate's parameter draw is a pure
// function of (uncertainty seed, draw index, parameter key), so it is the same for any thread
// count or grouping of replicates and the same in both arms of a comparison; collapsing every
// distribution to a point gives the plain run bit for bit; and drawing parameters widens the
// spread of outcomes over replicates.
#include "engine_test_support.hpp"

#include "metrics/run_measures.hpp"
#include "scenario/uncertainty.hpp"

#include <algorithm>
#include <limits>

using namespace engine_test;

namespace {

Scenario with_draws(Scenario sc, std::uint64_t seed = 7, int per_draw = 1) {
    sc.draws = {.on = true, .seed = seed, .per_draw = per_draw};
    return sc;
}

std::vector<double> measure_over_runs(const Scenario& sc, const std::vector<RunOutputs>& runs, const char* name) {
    const auto& m = summary_measures();
    const auto i = static_cast<std::size_t>(
        std::find_if(m.begin(), m.end(), [&](const Measure& x) { return x.name == name; }) - m.begin());
    std::vector<double> out;
    for (const auto& r : measure_runs(sc, runs)) out.push_back(r.summary.at(i));
    return out;
}

double sd(const std::vector<double>& v) {
    double m = 0;
    for (double x : v) m += x / static_cast<double>(v.size());
    double s = 0;
    for (double x : v) s += (x - m) * (x - m);
    return std::sqrt(s / static_cast<double>(v.size() - 1));
}

}  // namespace

TEST_CASE("a parameter draw is reproducible and differs between draws", "[unit][uncertainty]") {
    const Scenario sc = with_draws(load(two_area(), short_run(1, 1)));
    REQUIRE(uncertain_parameters(sc).size() > 40);
    const auto d3 = draw_parameters(sc, 7, 3), again = draw_parameters(sc, 7, 3), d4 = draw_parameters(sc, 7, 4);
    CHECK(d3.drawn == again.drawn);
    CHECK(d3.drawn != d4.drawn);
    CHECK(draw_parameters(sc, 8, 3).drawn != d3.drawn);
    // Every drawn parameter set is valid for its declarations.
    const ParamSet p = apply_draw(sc, d3);
    for (std::size_t i : uncertain_parameters(sc))
        for (double v : p.values(i)) CHECK(sc.params.registry().specs()[i].check(v).empty());
}

TEST_CASE("runs with parameter draws are bit-identical for any thread count and grouping",
          "[regression][uncertainty]") {
    const Scenario sc = with_draws(load(two_area(), short_run(1, 1)));
    const auto one = run_replicates(sc, 11, 0, 4, 1);
    const auto two = run_replicates(sc, 11, 0, 4, 2);
    const auto tail = run_replicates(sc, 11, 2, 2, 2);  // replicates 2 and 3 on their own
    for (std::size_t i = 0; i < 4; ++i) {
        INFO("replicate " << i);
        CHECK(joined(differences(one[i], two[i])) == "(none)");
    }
    CHECK(joined(differences(one[2], tail[0])) == "(none)");
    CHECK(joined(differences(one[3], tail[1])) == "(none)");
    // The draws change the runs: replicate 0 with and without uncertainty differ.
    Scenario plain = sc;
    plain.draws.on = false;
    CHECK(joined(differences(one[0], run_replicates(plain, 11, 0, 1, 1)[0])) != "(none)");
}

TEST_CASE("both arms of a comparison share each draw; a value the arm sets wins", "[unit][uncertainty]") {
    const Scenario a = with_draws(load(two_area(), short_run(1, 1)));
    const Scenario b = with_draws(
        load(two_area(),
             short_run(1, 1, {"network.coordinator_wte=1", "network.training=1", "referral.delay_mean_days=20"})));
    const auto names_a = draw_column_names(a), names_b = draw_column_names(b);
    const auto da = draw_parameters(a, 7, 5), db = draw_parameters(b, 7, 5);
    int shared = 0;
    for (std::size_t i = 0; i < names_a.size(); ++i) {
        const auto j = std::find(names_b.begin(), names_b.end(), names_a[i]);
        if (j == names_b.end()) continue;
        ++shared;
        CHECK(da.drawn[i] == db.drawn[static_cast<std::size_t>(j - names_b.begin())]);
    }
    CHECK(shared == static_cast<int>(names_a.size()) - 1);
    // B sets referral.delay_mean_days itself: B keeps 20 in every draw, A draws it.
    CHECK(std::find(names_b.begin(), names_b.end(), "referral.delay_mean_days") == names_b.end());
    CHECK(replicate_parameters(b, 3).get("referral.delay_mean_days") == 20.0);
    CHECK(replicate_parameters(a, 3).get("referral.delay_mean_days") != 35.0);
}

TEST_CASE("with every distribution collapsed to a point, results equal a plain run bit for bit",
          "[regression][uncertainty]") {
    const Scenario plain = load(two_area(), short_run(2, 1));
    Scenario collapsed = with_draws(plain);
    for (std::size_t i : uncertain_parameters(collapsed)) {
        Distribution& d = collapsed.uncertainty[i];
        if (d.family == Family::Dirichlet) {
            d.a = std::numeric_limits<double>::infinity();  // no spread: the scenario's shares
            continue;
        }
        const auto& values = plain.params.values(i);
        const double centre =
            d.applies == Applies::Value ? values.at(d.element < 0 ? 0 : static_cast<std::size_t>(d.element)) : 1.0;
        Distribution point = prior::triangular(centre, centre, centre, "point");
        point.applies = d.applies;
        point.element = d.element;
        d = point;
    }
    REQUIRE(uncertain_parameters(collapsed).size() > 40);
    const auto a = run_replicates(plain, 5, 0, 3, 2), b = run_replicates(collapsed, 5, 0, 3, 2);
    for (std::size_t i = 0; i < a.size(); ++i) {
        INFO("replicate " << i);
        CHECK(joined(differences(a[i], b[i])) == "(none)");
    }
    const auto ma = measure_runs(plain, a), mb = measure_runs(collapsed, b);
    for (std::size_t i = 0; i < ma.size(); ++i) {
        for (std::size_t m = 0; m < ma[i].summary.size(); ++m) {
            const double x = ma[i].summary[m], y = mb[i].summary[m];
            CHECK((x == y || (std::isnan(x) && std::isnan(y))));
        }
    }
}

TEST_CASE("drawing parameters widens the spread of outcomes over replicates", "[validation][uncertainty]") {
    const Scenario plain = load(two_area(), short_run(2, 1));
    const Scenario drawn = with_draws(plain);
    const int n = 10;
    for (const char* name : {"unplanned_admissions_per_year", "referrals_per_year", "bed_days_per_year"}) {
        INFO(name);
        const double s_plain = sd(measure_over_runs(plain, run_replicates(plain, 3, 0, n, 2), name));
        const double s_drawn = sd(measure_over_runs(drawn, run_replicates(drawn, 3, 0, n, 2), name));
        CHECK(s_drawn >= s_plain);
    }
}

TEST_CASE("Dirichlet draws of share vectors and tables sum to 1, have the declared mean, and are reproducible",
          "[unit][uncertainty]") {
    const Scenario sc = with_draws(load(two_area(), short_run(1, 1)));
    const auto& reg = sc.params.registry();
    // Every share vector or table with a prior is drawn as a whole (the model's weights).
    const std::vector<std::string> keys = {"eol.preference", "phase.at_birth_entry_phase",
                                           "population.diagnosis_shares", "population.category_by_diagnosis"};
    for (const auto& key : keys) {
        INFO(key);
        const auto i = static_cast<std::size_t>(reg.index(key));
        REQUIRE(sc.uncertainty[i].family == Family::Dirichlet);
        CHECK(reg.specs()[i].weights);
        CHECK(sc.uncertainty[i].why.rfind("[A]", 0) == 0);  // every concentration says why
    }
    const auto names = draw_column_names(sc);
    REQUIRE(names.size() == draw_parameters(sc, 7, 0).drawn.size());
    REQUIRE(draw_column_distributions(sc).size() == names.size());
    CHECK(std::count_if(names.begin(), names.end(), [](const std::string& n) {
              return n.rfind("eol.preference[", 0) == 0;
          }) == 2);  // 3 places: 2 free shares

    // Over many draws: every row of every drawn vector or table sums to 1, and the drawn column
    // shares average to their declared centre (the vector's shares; a table's mean normalised
    // row) within 5 standard errors, sd(w) = sqrt(s (1 - s) / (c + 1)).
    const int n = 200;
    std::vector<std::vector<double>> mean(keys.size());
    for (int k = 0; k < n; ++k) {
        const auto d = draw_parameters(sc, 7, static_cast<std::uint32_t>(k));
        const ParamSet p = apply_draw(sc, d);
        for (std::size_t q = 0; q < keys.size(); ++q) {
            const ParamSpec& spec = *reg.find(keys[q]);
            const auto& v = p.array(keys[q]);
            const std::size_t width = spec.labels.size(), rows = v.size() / width;
            for (std::size_t r = 0; r < rows; ++r) {
                double sum = 0;
                for (std::size_t j = 0; j < width; ++j) {
                    CHECK(v[r * width + j] >= 0.0);
                    sum += v[r * width + j];
                }
                CHECK(sum == Approx(1.0).margin(1e-12));
            }
            mean[q].resize(width);
            double rest = 1.0;
            for (std::size_t j = 0; j + 1 < width; ++j) {
                const auto col = std::find(names.begin(), names.end(), keys[q] + "[" + spec.labels[j] + "] (share)");
                REQUIRE(col != names.end());
                const double w = d.drawn[static_cast<std::size_t>(col - names.begin())];
                mean[q][j] += w / n;
                rest -= w;
            }
            mean[q][width - 1] += rest / n;
            if (rows == 1)  // a vector is its draw
                for (std::size_t j = 0; j < width; ++j) {
                    const double w =
                        j + 1 < width
                            ? d.drawn[static_cast<std::size_t>(
                                  std::find(names.begin(), names.end(), keys[q] + "[" + spec.labels[j] + "] (share)") -
                                  names.begin())]
                            : rest;
                    CHECK(v[j] == Approx(w).margin(1e-12));
                }
        }
    }
    for (std::size_t q = 0; q < keys.size(); ++q) {
        const ParamSpec& spec = *reg.find(keys[q]);
        const auto& declared = sc.params.array(keys[q]);
        const double c = sc.uncertainty[static_cast<std::size_t>(reg.index(keys[q]))].a;
        const std::size_t width = spec.labels.size(), rows = declared.size() / width;
        for (std::size_t j = 0; j < width; ++j) {
            double share = 0;  // the declared centre: the mean normalised row
            for (std::size_t r = 0; r < rows; ++r) {
                double total = 0;
                for (std::size_t x = 0; x < width; ++x) total += declared[r * width + x];
                share += declared[r * width + j] / total / static_cast<double>(rows);
            }
            const double se = std::sqrt(share * (1 - share) / (c + 1) / n);
            INFO(keys[q] << " column " << spec.labels[j]);
            CHECK(mean[q][j] == Approx(share).margin(5 * se + 1e-12));
        }
    }
    // Reproducible, different between draws, and independent of other parameters' settings.
    const auto d3 = draw_parameters(sc, 7, 3).drawn;
    CHECK(d3 == draw_parameters(sc, 7, 3).drawn);
    const Scenario other = with_draws(load(two_area(), short_run(1, 1, {"referral.delay_mean_days=20"})));
    const auto other_names = draw_column_names(other);
    const auto o3 = draw_parameters(other, 7, 3).drawn;
    int compared = 0;
    for (std::size_t c = 0; c < names.size(); ++c) {
        if (names[c].find("(share)") == std::string::npos) continue;
        const auto j = std::find(other_names.begin(), other_names.end(), names[c]);
        REQUIRE(j != other_names.end());
        CHECK(d3[c] == o3[static_cast<std::size_t>(j - other_names.begin())]);
        ++compared;
    }
    CHECK(compared == static_cast<int>(std::count_if(names.begin(), names.end(), [](const std::string& x) {
              return x.find("(share)") != std::string::npos;
          })));
    const auto as_vector = [](std::span<const double> v) { return std::vector<double>(v.begin(), v.end()); };
    CHECK(as_vector(apply_draw(sc, draw_parameters(sc, 7, 4)).array("eol.preference")) !=
          as_vector(apply_draw(sc, draw_parameters(sc, 7, 3)).array("eol.preference")));
    // A scenario that sets its own shares keeps them (the scenario's value wins).
    const Scenario set = with_draws(load(two_area(), short_run(1, 1, {"eol.preference=[0.6, 0.3, 0.1]"})));
    CHECK(as_vector(replicate_parameters(set, 2).array("eol.preference")) == std::vector<double>{0.6, 0.3, 0.1});
}
