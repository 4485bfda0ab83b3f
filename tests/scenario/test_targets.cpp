// The targets-file reader: what a valid file gives, and that each kind of mistake is reported
// with the file, line and key, and what was expected.
#include "core/error.hpp"
#include "scenario/targets.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using namespace cpcsim;

namespace {

const TargetVocabulary kVocabulary{{"deaths_per_year", "prevalence_q1", "prevalence_q2"},
                                   {"children", "deaths", "deaths_home"},
                                   {"referrals", "referrals_lost"}};

const std::string kValues = R"(observed = 200
range = [180, 270]
observation_sd = 22.5
discrepancy_sd = 11.25
source = "NCMD"
)";

std::string target(const std::string& name, const std::string& how, const std::string& values = kValues) {
    return "[[target]]\nid = \"C6\"\nname = \"" + name + "\"\ndescription = \"deaths\"\n" + how + "\n" + values;
}

/// Every problem of a failed parse, one per line.
std::string problems_of(const std::string& text) {
    try {
        (void)parse_targets(text, "targets.toml", kVocabulary);
    } catch (const Error& e) {
        std::string out;
        for (const auto& p : e.problems()) out += p.to_string() + "\n";
        return out;
    }
    FAIL("no error for:\n" << text);
    return "";
}

}  // namespace

TEST_CASE("a targets file gives measure, ratio and order targets", "[unit][scenario]") {
    const auto set = parse_targets(
        "description = \"test\"\n" + target("deaths", "measure = \"deaths_per_year\"") +
            target("home",
                   "ratio = { numerator = \"annual.deaths_home\", denominator = \"annual.deaths\", scale = 2 }") +
            target("shape", "order = [\"prevalence_q1 > prevalence_q2\", \"summary.prevalence_q2 <= prevalence_q1\"]",
                   "source = \"x\"\n"),
        "targets.toml", kVocabulary);
    REQUIRE(set.targets.size() == 3);
    const auto& d = set.targets[0];
    CHECK(d.kind == CalibrationTarget::Kind::Measure);
    CHECK(d.measure.table == OutputRef::Table::Summary);
    CHECK(d.measure.index == 0);
    CHECK(d.observed == 200);
    CHECK(d.low == 180);
    CHECK(d.high == 270);
    CHECK(d.observation_sd == 22.5);
    CHECK(d.discrepancy_sd == 11.25);
    CHECK(d.line == 2);
    const auto& h = set.targets[1];
    CHECK(h.kind == CalibrationTarget::Kind::Ratio);
    CHECK(h.numerator.table == OutputRef::Table::Annual);
    CHECK(h.numerator.index == 2);
    CHECK(h.denominator.index == 1);
    CHECK(h.scale == 2);
    const auto& s = set.targets[2];
    REQUIRE(s.order.size() == 2);
    CHECK(s.order[0].text == "prevalence_q2 < prevalence_q1");  // > is turned round
    CHECK(s.order[0].left.index == 2);
    CHECK(!s.order[0].or_equal);
    CHECK(s.order[1].or_equal);
}

TEST_CASE("mistakes in a targets file name the file, line and key", "[unit][scenario]") {
    CHECK_THAT(problems_of("[[target]\n"), Catch::Contains("targets.toml: line 1") && Catch::Contains("TOML syntax"));
    CHECK_THAT(problems_of("description = \"x\"\n"), Catch::Contains("no [[target]] tables"));
    CHECK_THAT(problems_of("targets = 1\n" + target("d", "measure = \"deaths_per_year\"")),
               Catch::Contains("line 1, key targets: unknown key"));
    CHECK_THAT(problems_of(target("d", "measure = \"death_per_year\"")),
               Catch::Contains("line 5, key target[1].measure: unknown summary output 'death_per_year'; expected "
                               "one of: deaths_per_year, prevalence_q1, prevalence_q2"));
    CHECK_THAT(problems_of(target("d", "ratio = { numerator = \"annual.deaths\", denominator = \"yearly.x\" }")),
               Catch::Contains("key target[1].ratio.denominator: unknown output table 'yearly'"));
    CHECK_THAT(problems_of(target("d", "ratio = { numerator = \"annual.deaths\" }")),
               Catch::Contains("key target[1].ratio: missing 'denominator'"));
    CHECK_THAT(problems_of(target("d",
                                  "measure = \"deaths_per_year\"\nratio = { numerator = \"annual.deaths\", "
                                  "denominator = \"annual.deaths\" }")),
               Catch::Contains("expected exactly one of 'measure'"));
    CHECK_THAT(problems_of(target("d", "order = [\"prevalence_q1 =< prevalence_q2\"]", "source = \"x\"\n")),
               Catch::Contains("key target[1].order[1]: expected a comparison of two outputs"));
    CHECK_THAT(problems_of(target("d", "order = [\"prevalence_q1 < prevalence_q2\"]")),
               Catch::Contains("key target[1].observed: an order target (a shape) has no 'observed'"));
    CHECK_THAT(problems_of(target("d", "measure = \"deaths_per_year\"",
                                  "observed = 200\nrange = [270, 180]\nobservation_sd = 1\ndiscrepancy_sd = 0\n"
                                  "source = \"x\"\n")),
               Catch::Contains("line 7, key target[1].range: expected low <= high, got [270, 180]"));
    CHECK_THAT(problems_of(target("d", "measure = \"deaths_per_year\"",
                                  "observed = 100\nrange = [180, 270]\nobservation_sd = 1\ndiscrepancy_sd = 0\n"
                                  "source = \"x\"\n")),
               Catch::Contains("observed value 100 lies outside the range [180, 270]"));
    CHECK_THAT(problems_of(target("d", "measure = \"deaths_per_year\"",
                                  "observed = 200\nrange = [180, 270]\nobservation_sd = -1\nsource = \"x\"\n")),
               Catch::Contains("key target[1].observation_sd: expected a number >= 0, got -1") &&
                   Catch::Contains("line 1, target[1].discrepancy_sd: missing key 'discrepancy_sd'"));
    CHECK_THAT(problems_of(target("d", "measure = \"deaths_per_year\"") + target("d", "measure = \"deaths_per_year\"")),
               Catch::Contains("line 13, key target[2].name: target name 'd' is used twice"));
    CHECK_THAT(problems_of(target("a b", "measure = \"deaths_per_year\"")),
               Catch::Contains("key target[1].name: expected letters, digits and _ only"));
    CHECK_THAT(problems_of(target("d", "measure = \"deaths_per_year\"\nunits = \"x\"")),
               Catch::Contains("key target[1].units: unknown key; expected one of: id, name"));
    // Every problem at once: two targets, two mistakes.
    const auto both = problems_of(target("a", "measure = \"x\"") + target("b", "measure = \"y\""));
    CHECK_THAT(both, Catch::Contains("target[1].measure") && Catch::Contains("target[2].measure"));
}

TEST_CASE("a missing targets file is named", "[unit][scenario]") {
    CHECK_THROWS_WITH(load_targets("/nonexistent/targets.toml", kVocabulary),
                      Catch::Contains("/nonexistent/targets.toml") && Catch::Contains("targets file not found"));
}
