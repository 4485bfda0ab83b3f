// Loading valid scenarios: the minimal case, extends chains, --set overrides, travel times and
// the resolved TOML round trip.
#include "scenario_test_support.hpp"

#include <cmath>
#include <fstream>
#include <vector>

using namespace scenario_test;
using Catch::Matchers::Contains;

namespace {
std::vector<double> as_vector(std::span<const double> values) {
    return {values.begin(), values.end()};
}
}  // namespace

TEST_CASE("a minimal scenario loads with its areas, providers and funding changes", "[unit][scenario]") {
    const auto s = load("minimal.toml");
    CHECK(s.name == "Two areas");
    CHECK(s.description == "Leeds and Sheffield, for tests");
    REQUIRE(s.chain.size() == 1);
    CHECK(s.params.get("run.years") == 5);
    CHECK(s.params.get("run.warmup_years") == 3);  // default

    REQUIRE(s.areas.size() == 2);
    const auto& leeds = s.areas[0];
    CHECK(leeds.code == "E08000035");
    CHECK(leeds.name == "Leeds");
    CHECK(leeds.icb == "West Yorkshire");
    CHECK(leeds.population_0_19 == 200413);
    CHECK(leeds.rural_share == Approx(0.051));
    CHECK(leeds.lat == 53.8254);
    CHECK(leeds.lon == -1.5051);
    double quintile_sum = 0, ethnic_sum = 0;
    for (double share : leeds.quintile_share) quintile_sum += share;
    for (double share : leeds.ethnic_share) ethnic_sum += share;
    CHECK(quintile_sum == Approx(1.0).epsilon(1e-12));
    CHECK(ethnic_sum == Approx(1.0).epsilon(1e-12));
    CHECK(leeds.ethnic_share[1] == Approx(9.67 / 100.0).epsilon(1e-3));
    CHECK(s.areas[1].name == "Sheffield");  // quoted field

    REQUIRE(s.providers.size() == 6);
    const auto& martin = s.providers[0];
    CHECK(martin.id == "martin-house");
    CHECK(martin.type == cpcsim::ProviderType::Hospice);
    CHECK(martin.catchment == std::vector<std::string>{"E08000035", "E08000019"});  // "*"
    CHECK(martin.beds == 9);
    CHECK_FALSE(martin.contacts_per_wte_day);  // blank: from staff time
    CHECK(martin.out_of_hours);
    CHECK_FALSE(martin.picu);
    CHECK(martin.accept == std::array<double, 4>{1, 1, 0.9, 0.8});
    CHECK(martin.charitable_income_gbp == 5000000);
    CHECK(martin.source == "Annual report \"2023\", p. 4");
    CHECK(s.providers[1].accept == std::array<double, 4>{1, 1, 1, 1});  // blank = 1
    CHECK(s.providers[2].catchment == std::vector<std::string>{"E08000035", "E08000019"});
    CHECK(s.providers[2].type == cpcsim::ProviderType::Sppc);
    CHECK(s.providers[5].type == cpcsim::ProviderType::Hospital);
    CHECK(s.providers[5].picu);
    CHECK(s.providers[5].catchment.empty());

    REQUIRE(s.funding_changes.size() == 1);
    CHECK(s.funding_changes[0].year == 3);
    CHECK(s.funding_changes[0].target == "hospice");
    CHECK(s.funding_changes[0].income == "statutory");
    CHECK(s.funding_changes[0].multiplier == 0.8);

    CHECK_THAT(s.areas_csv, Contains("E08000035,Leeds"));
    CHECK_THAT(s.providers_csv, Contains("martin-house"));
    CHECK(s.travel_minutes.size() == 2 * 6);
}

TEST_CASE("provider type names", "[unit][scenario]") {
    CHECK(cpcsim::provider_type_name(cpcsim::ProviderType::Hospice) == "hospice");
    CHECK(cpcsim::provider_type_name(cpcsim::ProviderType::Sppc) == "sppc");
    CHECK(cpcsim::provider_type_name(cpcsim::ProviderType::Ccn) == "ccn");
    CHECK(cpcsim::provider_type_name(cpcsim::ProviderType::Hospital) == "hospital");
}

TEST_CASE("a child scenario overrides its base per key, partly for label tables", "[unit][scenario]") {
    const auto s = load("child/child.toml");
    REQUIRE(s.chain.size() == 2);
    CHECK(s.chain[0].filename() == "child.toml");
    CHECK(s.chain[1].filename() == "base.toml");
    CHECK(s.name == "Child");
    CHECK(s.description == "Base of the extends tests");    // inherited
    CHECK(s.areas.size() == 2);                             // base's CSV, relative to the base
    CHECK(s.params.get("run.years") == 4);                  // scalar override
    CHECK(s.params.get("run.warmup_years") == 2);           // inherited
    CHECK(s.params.get("network.coordinator_wte") == 2.5);  // inherited
    CHECK(s.params.flag("network.shared_records"));         // 1 accepted for true
    CHECK(as_vector(s.params.array("population.ethnicity_rate_ratio")) == std::vector<double>{1.0, 1.9, 1.55, 1.15});
    CHECK(as_vector(s.params.row("population.category_by_diagnosis", 0)) == std::vector<double>{0.2, 0.1, 0.3, 0.4});
    CHECK(as_vector(s.params.row("population.category_by_diagnosis", 1)) == std::vector<double>{0.9, 0.25, 0.05, 0.05});
    REQUIRE(s.funding_changes.size() == 1);  // the child's list replaces the base's two
    CHECK(s.funding_changes[0].target == "sppc");
    CHECK(s.funding_changes[0].multiplier == 0.75);

    const auto base = load("base.toml");
    REQUIRE(base.funding_changes.size() == 2);
    CHECK(base.funding_changes[1].target == "martin-house");  // a provider id
}

TEST_CASE("extends chains: a grandchild inherits the whole chain", "[unit][scenario]") {
    const auto s = load("child/grandchild.toml");
    REQUIRE(s.chain.size() == 3);
    CHECK(s.chain[2].filename() == "base.toml");
    CHECK(s.name == "Child");
    CHECK(s.params.get("run.years") == 4);
    CHECK(as_vector(s.params.array("population.ethnicity_rate_ratio")) == std::vector<double>{1.0, 1.9, 1.6, 1.15});
    CHECK(s.funding_changes.size() == 1);  // no list of its own: the child's stays
    CHECK(s.travel(0, 5) == 8.5);          // matrix named by the grandchild
}

TEST_CASE("set overrides (--set) of each kind are applied in order after the files", "[unit][scenario]") {
    const auto s = load("child/child.toml", {
                                                "run.years=7",
                                                "network.coordinator_wte = 1",
                                                "network.shared_records=false",
                                                "population.ethnicity_rate_ratio=[1,2,1.5,1.1]",
                                                "population.ethnicity_rate_ratio={\"Black\"=1.7}",
                                                "population.category_by_diagnosis={congenital={cat4=0.35}}",
                                                "population.category_by_diagnosis.oncology=[0.5,0.2,0.2,0.1]",
                                                "population.ethnicity_rate_ratio.White=1.05",
                                                "run.years=8",
                                                "network={coordinator_wte=1.5}",
                                            });
    CHECK(s.params.get("run.years") == 8);                  // the later override wins
    CHECK(s.params.get("network.coordinator_wte") == 1.5);  // set twice, the section form last
    CHECK_FALSE(s.params.flag("network.shared_records"));
    CHECK(as_vector(s.params.array("population.ethnicity_rate_ratio")) == std::vector<double>{1.05, 2, 1.7, 1.1});
    CHECK(as_vector(s.params.row("population.category_by_diagnosis", 0)) == std::vector<double>{0.2, 0.1, 0.3, 0.35});
    CHECK(as_vector(s.params.row("population.category_by_diagnosis", 1)) == std::vector<double>{0.5, 0.2, 0.2, 0.1});
    CHECK(s.overrides.size() == 10);
}

TEST_CASE("a travel matrix CSV supplies every area-provider pair", "[unit][scenario]") {
    const auto s = load("with_travel.toml");
    REQUIRE(s.travel_minutes.size() == 12);
    CHECK(s.travel(0, 0) == 30);
    CHECK(s.travel(0, 5) == 8.5);
    CHECK(s.travel(1, 1) == 20);
    CHECK(s.travel(1, 4) == 12);
    CHECK(s.travel_minutes_file.filename() == "travel.csv");
}

TEST_CASE("the resolved TOML loads back to identical values", "[unit][scenario]") {
    const auto original = load("child/grandchild.toml", {"network.coordinator_wte=0.1",
                                                         "population.ethnicity_rate_ratio.White=1.0000000000000002"});
    const std::string text = original.resolved_toml();
    CHECK_THAT(text, Contains("[scenario]"));
    CHECK_THAT(text, Contains("base.toml"));                 // chain, as a comment
    CHECK_THAT(text, Contains("shared_records = true"));     // boolean
    CHECK_THAT(text, Contains("years = 4  # unit"));         // integer without decimals, unit as comment
    CHECK_THAT(text, Contains("coordinator_wte = 0.1  #"));  // shortest exact double
    CHECK_THAT(text, Contains("[population.category_by_diagnosis]"));
    CHECK_THAT(text, Contains("[[funding_change]]"));

    // CSV paths are absolute, so the file loads back from anywhere.
    const auto folder = std::filesystem::temp_directory_path() / "cpcsim-scenario-test-resolved";
    std::filesystem::create_directories(folder);
    const auto file = folder / "resolved.toml";
    std::ofstream(file) << text;
    const auto reloaded = cpcsim::load_scenario(file, {}, registry());

    const auto& specs = registry().specs();
    for (std::size_t i = 0; i < specs.size(); ++i) {
        INFO(specs[i].key);
        CHECK(reloaded.params.values(i) == original.params.values(i));  // exact, not approximate
    }
    CHECK(reloaded.name == original.name);
    CHECK(reloaded.description == original.description);
    CHECK(reloaded.areas_csv == original.areas_csv);
    CHECK(reloaded.providers_csv == original.providers_csv);
    CHECK(reloaded.travel_minutes == original.travel_minutes);
    REQUIRE(reloaded.funding_changes.size() == original.funding_changes.size());
    for (std::size_t i = 0; i < original.funding_changes.size(); ++i) {
        CHECK(reloaded.funding_changes[i].year == original.funding_changes[i].year);
        CHECK(reloaded.funding_changes[i].target == original.funding_changes[i].target);
        CHECK(reloaded.funding_changes[i].income == original.funding_changes[i].income);
        CHECK(reloaded.funding_changes[i].multiplier == original.funding_changes[i].multiplier);
    }
    CHECK(reloaded.resolved_toml().substr(reloaded.resolved_toml().find("[scenario]")) ==
          text.substr(text.find("[scenario]")));  // same document apart from the chain comment
    std::filesystem::remove_all(folder);
}
