// The model's parameter table (sim/model/parameter_table.cpp) and its translation into typed
// submodel parameters (ModelParams::from): every declaration is consistent, every default is
// valid, distributions are normalised, and values reach the field they are meant for.
#include "../engine/engine_test_support.hpp"

#include "core/error.hpp"
#include "model/parameter_table.hpp"

#include <cmath>
#include <set>

using namespace engine_test;

TEST_CASE("every model parameter declaration is consistent and its defaults are valid", "[unit][model]") {
    const auto& registry = model_parameters();
    const auto& specs = registry.specs();
    REQUIRE(specs.size() > 100);
    std::set<std::string> keys;
    for (std::size_t i = 0; i < specs.size(); ++i) {
        const auto& s = specs[i];
        INFO(s.key);
        CHECK(keys.insert(s.key).second);  // unique
        CHECK(registry.index(s.key) == static_cast<int>(i));
        CHECK(registry.find(s.key) == &s);
        CHECK(s.key.find('.') != std::string::npos);  // section.name
        CHECK(!s.help.empty());
        CHECK(s.min <= s.max);
        const std::size_t expected = s.is_scalar() ? 1 : s.labels.size() * (s.is_table() ? s.row_labels.size() : 1);
        CHECK(s.size() == expected);
        for (double v : s.defaults) {
            INFO("default " << v);
            CHECK(s.check(v).empty());
            CHECK(v >= s.min);
            CHECK(v <= s.max);
            if (s.kind == ParamKind::Integer) CHECK(v == std::floor(v));
            if (s.kind == ParamKind::Boolean) CHECK((v == 0 || v == 1));
        }
        // The range check rejects values outside the range.
        if (std::isfinite(s.max)) CHECK(!s.check(s.max + std::max(1.0, std::abs(s.max))).empty());
        CHECK(!s.check(s.min - std::max(1.0, std::abs(s.min))).empty());
    }
    CHECK(registry.index("no.such.key") == -1);
    CHECK(registry.find("no.such.key") == nullptr);
}

TEST_CASE("the defaults load into ModelParams with normalised distributions", "[unit][model]") {
    const ParamSet defaults(model_parameters());
    const ModelParams m = ModelParams::from(defaults);
    CHECK(m.run.years == static_cast<int>(defaults.get("run.years")));
    CHECK(m.run.max_age_years == static_cast<int>(defaults.get("run.max_age_years")));
    auto sum = [](const auto& a) {
        double s = 0;
        for (double x : a) s += x;
        return s;
    };
    for (const auto& row : m.population.diagnosis_shares) CHECK(sum(row) == Approx(1.0).epsilon(1e-12));
    for (const auto& row : m.population.category_by_diagnosis) CHECK(sum(row) == Approx(1.0).epsilon(1e-12));
    CHECK(sum(m.phase.at_birth_entry_phase) == Approx(1.0).epsilon(1e-12));
    CHECK(sum(m.eol.preference) == Approx(1.0).epsilon(1e-12));
    // The default scenario has no network: it costs nothing.
    CHECK(!m.network.any());
    CHECK(m.network.annual_cost() == 0);
    CHECK(m.phase.care_survival_effect == 0);  // MODEL.md §4.2: care does not change survival by default
    CHECK(m.population.trend_per_year == 0);   // MODEL.md §3: flat by default
}

TEST_CASE("scenario values reach the submodel fields they name", "[unit][model]") {
    // Distinct values for parameters of every submodel, then read back from ModelParams: a value
    // wired to the wrong field, or a row or label read in the wrong order, shows here.
    const auto sc = load(two_area(), {"run.years=7",
                                      "run.warmup_years=2",
                                      "run.max_age_years=25",
                                      "population.entry_rate_per_10000=[100,1,2,3,4]",
                                      "population.prevalence_multiplier=1.5",
                                      "population.trend_per_year=0.02",
                                      "population.ethnicity_rate_ratio.Black=2.5",
                                      "population.cure_rate_per_year=[1,0.5,0.25,0.125,0.0625]",
                                      "phase.stable_to_unstable_per_year=0.3",
                                      "phase.unstable_mean_days=11",
                                      "phase.deteriorating_mean_days=44",
                                      "phase.dying_days=21",
                                      "phase.deteriorating_to_dying=[0.9,0.8,0.7,0.6,0.5]",
                                      "identification.rate_per_year=[0.1,0.2,0.3,0.4]",
                                      "identification.at_admission_prob=0.6",
                                      "referral.loss_prob=0.05",
                                      "referral.delay_mean_days=12",
                                      "referral.min_delay_days=3",
                                      "referral.need_by_phase.dying=[0.11,0.22,0.33]",
                                      "care.respite_nights_per_year=20",
                                      "care.ccn_visit_interval_days=[40,4,3,2]",
                                      "care.sppc_contact_interval_days=[100,10,9,8]",
                                      "admission.rate_per_year=[0.5,5,6,7]",
                                      "admission.rr_specialist=0.7",
                                      "eol.preference=[0.2,0.3,0.5]",
                                      "eol.rapid_transfer_prob=0.4",
                                      "network.coordinator_wte=2",
                                      "network.shared_records=true",
                                      "network.rota_min_consultants=9",
                                      "funding.statutory_multiplier=1.3",
                                      "funding.vacancy_rate=[0.1,0.2,0.3,0.4]",
                                      "funding.closure_threshold=0.5",
                                      "cost.picu_bed_day_gbp=4000"});
    const ModelParams m = ModelParams::from(sc.params);
    CHECK(m.run.years == 7);
    CHECK(m.run.warmup_years == 2);
    CHECK(m.run.max_age_years == 25);
    CHECK(m.population.entry_rate_per_10000[0] == 100);
    CHECK(m.population.entry_rate_per_10000[4] == 4);
    CHECK(m.population.prevalence_multiplier == 1.5);
    CHECK(m.population.trend_per_year == 0.02);
    CHECK(m.population.ethnicity_rate_ratio[2] == 2.5);
    CHECK(m.population.ethnicity_rate_ratio[0] == 1.0);
    CHECK(m.population.cure_rate_per_year[3] == 0.125);
    CHECK(m.phase.stable_to_unstable_per_year == 0.3);
    CHECK(m.phase.unstable_mean_days == 11);
    CHECK(m.phase.deteriorating_mean_days == 44);
    CHECK(m.phase.dying_days == 21);
    CHECK(m.phase.deteriorating_to_dying[1] == 0.8);
    CHECK(m.identification.rate_per_year[3] == 0.4);
    CHECK(m.identification.at_admission_prob == 0.6);
    CHECK(m.referral.loss_prob == 0.05);
    CHECK(m.referral.delay_mean_days == 12);
    CHECK(m.referral.min_delay_days == 3);
    CHECK(m.referral.need_by_phase[3][0] == 0.11);
    CHECK(m.referral.need_by_phase[3][2] == 0.33);
    CHECK(m.care.respite_nights_per_year == 20);
    CHECK(m.care.ccn_interval[0] == 40);
    CHECK(m.care.ccn_interval[3] == 2);
    CHECK(m.care.sppc_interval[1] == 10);
    CHECK(m.admission.rate_per_year[2] == 6);
    CHECK(m.admission.rr_specialist == 0.7);
    CHECK(m.eol.preference[2] == Approx(0.5));
    CHECK(m.eol.rapid_transfer_prob == 0.4);
    CHECK(m.network.coordinator_wte == 2);
    CHECK(m.network.shared_records);
    CHECK(!m.network.pooled_capacity);
    CHECK(m.network.rota_min_consultants == 9);
    CHECK(m.funding.statutory_multiplier == 1.3);
    CHECK(m.funding.vacancy_rate[static_cast<int>(ProviderType::Ccn)] == 0.3);
    CHECK(m.funding.closure_threshold == 0.5);
    CHECK(m.cost.picu_bed_day == 4000);
    // Network cost follows the mechanisms switched on.
    CHECK(m.network.any());
    CHECK(m.network.annual_cost() ==
          Approx(2 * m.network.coordinator_cost + m.network.running_cost + m.network.records_cost));
}

TEST_CASE("a distribution whose weights are all zero is rejected", "[regression][model]") {
    // eol.preference, phase.at_birth_entry_phase and the rows of population.diagnosis_shares and
    // population.category_by_diagnosis are weights "normalised" by ModelParams::from(). A row of
    // zeros cannot be normalised, yet the loader accepts it and Draws::categorical() then returns
    // index 0 for every draw: e.g. eol.preference = [0,0,0] silently makes every family prefer
    // home, and a zero category row makes every such child category 1. The loader should report
    // the key and that the weights must not all be zero.
    const std::vector<std::pair<std::string, std::string>> zero_rows = {
        {"eol.preference=[0,0,0]", "eol.preference"},
        {"phase.at_birth_entry_phase=[0,0,0,0]", "phase.at_birth_entry_phase"},
        {"population.category_by_diagnosis.oncology=[0,0,0,0]", "population.category_by_diagnosis"},
        {"population.diagnosis_shares.infant=[0,0,0,0,0,0,0,0,0,0,0]", "population.diagnosis_shares"},
    };
    for (const auto& [setting, key] : zero_rows) {
        INFO(setting);
        std::string message;
        try {
            (void)load(two_area(), {setting});
        } catch (const Error& e) {
            message = e.what();
        }
        CHECK(message.find(key) != std::string::npos);
    }
}
