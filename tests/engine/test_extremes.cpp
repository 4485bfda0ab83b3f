// Zero and extreme parameters: the engine must run to the end without exceptions, NaN counters
// or infinite summaries, and the extreme settings must have their exact, predictable effects.
#include "engine_test_support.hpp"

#include <algorithm>
#include <sstream>

using namespace engine_test;

namespace {

/// Summaries of every run: no exception, and every value finite or NaN (undefined), never inf.
std::vector<std::vector<double>> summaries_of(const Scenario& sc, const std::vector<RunOutputs>& runs) {
    std::vector<std::vector<double>> out;
    const ModelParams mp = ModelParams::from(sc.params);
    for (const auto& r : runs) {
        std::vector<double> s;
        REQUIRE_NOTHROW(s = summarise(sc, mp, r));
        REQUIRE(s.size() == summary_measures().size());
        for (std::size_t i = 0; i < s.size(); ++i) {
            INFO(summary_measures()[i].name << " = " << s[i]);
            CHECK(!std::isinf(s[i]));
        }
        out.push_back(std::move(s));
    }
    return out;
}

bool all_zero(const std::vector<std::int32_t>& v) {
    return std::all_of(v.begin(), v.end(), [](std::int32_t x) { return x == 0; });
}

Scenario with_network_at(const std::filesystem::path& file, const std::vector<std::string>& run_opts,
                         const std::vector<std::string>& extra) {
    // Every network parameter at the top of its declared range (booleans on)...
    std::vector<std::string> o = run_opts;
    for (const auto& spec : model_parameters().specs())
        if (spec.key.rfind("network.", 0) == 0) {
            std::ostringstream v;
            if (spec.kind == ParamKind::Boolean) {
                v << "true";
            } else if (spec.is_scalar()) {
                v << spec.max;
            } else {
                v << "[";
                for (std::size_t k = 0; k < spec.size(); ++k) v << (k ? "," : "") << spec.max;
                v << "]";
            }
            o.push_back(spec.key + "=" + v.str());
        }
    // ...then the test's own settings.
    o.insert(o.end(), extra.begin(), extra.end());
    return load(file, o);
}

}  // namespace

TEST_CASE("zero entry rates give no children and no crash", "[regression][engine]") {
    SECTION("entry rates 0") {
        const auto sc = load(yh("no-network.toml"), short_run(2, 1, {"population.entry_rate_per_10000=[0,0,0,0,0]"}));
        const auto runs = run(sc, 1, 2);
        for (const auto& r : runs) {
            CHECK(r.children_simulated == 0);
            CHECK(r.child_days == 0);
            CHECK(all_zero(r.monthly.dense()));
            CHECK(all_zero(r.annual));
            CHECK(all_zero(r.children_by_age));
            CHECK(all_zero(r.deaths_by_age));
        }
        const auto s = summaries_of(sc, runs);
        CHECK(s[0][measure("children_per_year")] == 0);
        CHECK(s[0][measure("deaths_per_year")] == 0);
        CHECK(std::isnan(s[0][measure("access_rate")]));
        CHECK(std::isnan(s[0][measure("death_home_share")]));
        // Providers are still funded and cost money, with nobody to care for.
        CHECK(s[0][measure("cost_total_per_year")] > 0);
    }
    SECTION("prevalence multiplier 0 (below the declared range, set directly)") {
        auto sc = load(two_area(), short_run(1, 1));
        sc.params.set("population.prevalence_multiplier", {0.0});
        std::vector<RunOutputs> runs;
        REQUIRE_NOTHROW(runs = run(sc, 1, 2));
        for (const auto& r : runs) {
            CHECK(r.children_simulated == 0);
            CHECK(all_zero(r.monthly.dense()));
            CHECK(all_zero(r.annual));
        }
        summaries_of(sc, runs);
    }
}

TEST_CASE("every network mechanism at its maximum runs and keeps the identities", "[regression][engine]") {
    const auto sc = with_network_at(two_area(), short_run(2, 1), {});
    const auto runs = run(sc, 2, 2);
    for (const auto& r : runs) {
        CHECK(r.children_simulated > 0);
        for (double v : r.provider) CHECK(std::isfinite(v));
        for (int y = 0; y < r.years; ++y) {
            CHECK(r.annual_total(y, AnnualVar::known) <= r.annual_total(y, AnnualVar::children));
            CHECK(r.network_cost[static_cast<std::size_t>(y)] > 0);
        }
    }
    summaries_of(sc, runs);
}

TEST_CASE("full engagement with every mechanism has exact effects", "[regression][engine]") {
    // Engagement starts at 1 and cannot decay, so: no referral is lost (shared records and the
    // register), every referral takes exactly the minimum delay (the coordinator and the records
    // remove the rest), nobody is refused under common standards of 1, and a rota needing nobody,
    // with out-of-hours nursing commissioned across areas, gives every area 24/7 cover every day.
    // (No caseload limits: a referral waiting for a place would be refused after the longest wait.)
    std::vector<std::string> settings = {
        "network.initial_engagement=1",      "network.coordinator_delay_reduction=1",  "network.rota_min_consultants=0",
        "network.rota_min_nurses=0",         "referral.standard_acceptance=[1,1,1,1]", "referral.min_delay_days=2",
        "referral.caseload_per_unit=[0,0,0]"};
    for (const auto& spec : model_parameters().specs())  // whatever makes engagement fall: off
        if (spec.key.rfind("network.", 0) == 0 &&
            (spec.key.find("decay") != std::string::npos || spec.key.find("churn") != std::string::npos))
            settings.push_back(spec.key + "=0");
    const auto sc = with_network_at(two_area(), short_run(2, 1), settings);
    for (const auto& r : run(sc, 3, 2)) {
        const double referrals = total(r, MonthlyVar::referrals);
        REQUIRE(referrals > 0);
        CHECK(total(r, MonthlyVar::referrals_lost) == 0);
        CHECK(total(r, MonthlyVar::referrals_refused) == 0);
        CHECK(total(r, MonthlyVar::referral_delay_days) == 2 * referrals);
        for (std::size_t k = 0; k < r.area_cover_days.size(); ++k) CHECK(r.area_cover_days[k] == 365);
        for (int y = 0; y < r.years; ++y)
            for (int p = 0; p < r.providers; ++p) CHECK(provider(r, y, p, ProviderVar::engagement) == Approx(1.0));
    }
}

TEST_CASE("no money: no hospice, CCN or SPPC capacity, no care received, beds closed", "[regression][engine]") {
    const auto sc = load(yh("no-network.toml"),
                         short_run(2, 1, {"funding.statutory_multiplier=0", "funding.charitable_multiplier=0"}));
    const auto runs = run(sc, 4, 2);
    for (const auto& r : runs) {
        REQUIRE(total(r, AnnualVar::children) > 0);
        for (MonthlyVar v : {MonthlyVar::respite_nights_received, MonthlyVar::symptom_nights_received,
                             MonthlyVar::eol_hospice_nights_received, MonthlyVar::ccn_visits_received,
                             MonthlyVar::sppc_contacts_received, MonthlyVar::hospice_home_visits_received,
                             MonthlyVar::pooled_services}) {
            INFO(name_of(v));
            CHECK(total(r, v) == 0);
        }
        CHECK(total(r, AnnualVar::reached) == 0);
        CHECK(total(r, AnnualVar::deaths_hospice) == 0);
        // The need is still there, and unmet.
        CHECK(total(r, MonthlyVar::ccn_visits_needed) > 0);
        CHECK(total(r, MonthlyVar::unmet_days_ccn) > 0);
        CHECK(total(r, MonthlyVar::unmet_nights_respite) > 0);
        for (int y = 0; y < r.years; ++y)
            for (int p = 0; p < r.providers; ++p) {
                const auto type = sc.providers[static_cast<std::size_t>(p)].type;
                if (type == ProviderType::Hospital) continue;
                INFO(sc.providers[static_cast<std::size_t>(p)].id << ", year " << y);
                CHECK(provider(r, y, p, ProviderVar::capacity_per_day) == 0);
                CHECK(provider(r, y, p, ProviderVar::home_capacity_per_day) == 0);
                CHECK(provider(r, y, p, ProviderVar::budget_gbp) == 0);
                CHECK(provider(r, y, p, ProviderVar::units_given) == 0);
                if (type == ProviderType::Hospice) CHECK(provider(r, y, p, ProviderVar::closed_days) == 365);
            }
    }
    const auto s = summaries_of(sc, runs);
    CHECK(s[0][measure("access_rate")] == 0);
    CHECK(std::isnan(s[0][measure("hospice_statutory_share")]));
}

TEST_CASE("a 1-year horizon with no warm-up", "[regression][engine]") {
    const auto sc = load(yh("no-network.toml"), short_run(1, 0));
    const auto runs = run(sc, 5, 2);
    for (const auto& r : runs) {
        CHECK(r.years == 1);
        CHECK(r.months == 12);
        CHECK(r.annual.size() == r.cells * kAnnualVars);
        CHECK(r.monthly.size() == 12 * r.cells * kMonthlyVars);
        CHECK(r.network_cost.size() == 1);
        CHECK(total(r, AnnualVar::children) > 0);
        CHECK(total(r, MonthlyVar::prevalent, 11, 12) > 0);
        CHECK(total(r, MonthlyVar::deaths) > 0);
    }
    const auto s = summaries_of(sc, runs);
    for (const char* m : {"children_per_year", "prevalence_per_10000", "deaths_per_year", "access_rate"}) {
        INFO(m);
        CHECK(std::isfinite(s[0][measure(m)]));
        CHECK(s[0][measure(m)] > 0);
    }
}

TEST_CASE("parameters at the ends of their ranges run", "[regression][engine]") {
    // Not a calibration check: each setting must simply run, keep counters non-negative and give
    // summaries without infinities.
    const std::vector<std::vector<std::string>> settings = {
        {"phase.dying_days=1"},
        {"phase.dying_days=90"},
        {"run.max_age_years=16"},
        {"run.max_age_years=30"},
        {"population.trend_per_year=-0.1"},
        {"population.trend_per_year=0.2"},
        {"population.prevalence_multiplier=5"},
        {"referral.loss_prob=1"},
        {"referral.delay_mean_days=0", "referral.min_delay_days=0"},
        {"care.respite_nights_per_year=0"},
        {"care.respite_nights_per_year=60", "care.respite_stay_nights=1"},
        {"admission.rate_per_year=[0,0,0,0]"},
        {"funding.vacancy_rate=[0.9,0.9,0.9,0.9]", "funding.vacancy_monthly_sd=0.5"},
        {"funding.charitable_volatility=1"},
        {"identification.rate_per_year=[0,0,0,0]", "identification.at_admission_prob=0"},
    };
    for (const auto& extra : settings) {
        INFO(joined(extra));
        const auto sc = load(two_area(), short_run(1, 1, extra));
        std::vector<RunOutputs> runs;
        REQUIRE_NOTHROW(runs = run(sc, 6, 1));
        const auto& r = runs.front();
        {
            const auto m = r.monthly.dense();
            CHECK(std::all_of(m.begin(), m.end(), [](std::int32_t x) { return x >= 0; }));
        }
        CHECK(std::all_of(r.provider.begin(), r.provider.end(), [](double x) { return std::isfinite(x) && x >= 0; }));
        summaries_of(sc, runs);
    }
}

TEST_CASE("no identification means nobody known, referred or reached", "[regression][engine]") {
    // Every route to being known is shut: identification in the community, at an admission, and an
    // SPPC team's consult of a dying inpatient (which makes the child known, docs/model.md).
    const auto sc =
        load(two_area(), short_run(1, 1,
                                   {"identification.rate_per_year=[0,0,0,0]", "identification.at_admission_prob=0",
                                    "eol.inpatient_sppc_consult_prob=0"}));
    for (const auto& r : run(sc, 7, 2)) {
        REQUIRE(total(r, AnnualVar::children) > 0);
        CHECK(total(r, AnnualVar::known) == 0);
        CHECK(total(r, AnnualVar::reached) == 0);
        CHECK(total(r, MonthlyVar::referrals) == 0);
        CHECK(total(r, MonthlyVar::identified) == 0);
        CHECK(total(r, MonthlyVar::ccn_visits_needed) == 0);
    }
}
