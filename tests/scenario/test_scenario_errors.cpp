// Bad scenarios: every class of problem is reported with its file, line or row, key or column and
// what was expected, and many problems are reported by one failed load.
#include "scenario_test_support.hpp"

using namespace scenario_test;

TEST_CASE("a TOML syntax error names file, line and column", "[unit][scenario]") {
    const auto error = load_error(data("bad_syntax.toml"));
    REQUIRE(error.problems().size() == 1);
    const auto problem = problem_with(error, {"bad_syntax.toml", "line 3, column", "TOML syntax error"});
    CHECK(problem.message.size() > std::string("TOML syntax error: ").size());
}

TEST_CASE("bad parameter values are all reported at once with line, key and expectation", "[unit][scenario]") {
    const auto error = load_error(data("bad_params.toml"));
    CHECK(error.problems().size() == 9);
    CHECK(std::string(error.what()).find("9 problems") != std::string::npos);
    // non-integer for an integer parameter
    problem_with(error, {"bad_params.toml", "line 6, key run.years", "expected a whole number in [1, 100], got 2.5"});
    // out of range
    problem_with(error, {"line 7, key run.warmup_years", "expected a value in [0, 50]", "got 500"});
    // unknown keys, with suggestions
    problem_with(error, {"line 8", "unknown key 'run.yeers'", "did you mean run.years?"});
    problem_with(error, {"line 11", "unknown key 'netwrk.shared_records'", "did you mean network.shared_records"});
    // bad boolean
    problem_with(error, {"line 14, key network.shared_records", "expected true or false (or 0/1), got a string"});
    // wrong type
    problem_with(error, {"line 15, key network.coordinator_wte", "expected a number, got a string"});
    // wrong array length
    problem_with(error, {"line 18, key population.ethnicity_rate_ratio",
                         "expected 4 values (White, South Asian, Black, Mixed/Other), got 3"});
    // unknown labels
    problem_with(error, {"line 21, key population.category_by_diagnosis", "row congenital: unknown label 'cat5'",
                         "labels are cat1, cat2, cat3, cat4"});
    problem_with(error, {"line 22, key population.category_by_diagnosis", "unknown row label 'neurological'",
                         "rows are congenital, oncology"});
}

TEST_CASE("bad --set overrides name the override as their location", "[unit][scenario]") {
    const auto error = load_error(
        data("minimal.toml"),
        {"run.years", "=5", "run.years=abc", "network.sharedrecords=true", "run.years=2.5", "network.shared_records=2",
         "run.years=true", "population.ethnicity_rate_ratio={Asian=2}", "population.ethnicity_rate_ratio.Asian=2"});
    CHECK(error.problems().size() == 9);
    problem_with(error, {"--set run.years:", "expected key=value"});
    problem_with(error, {"--set =5:", "expected key=value"});
    problem_with(error, {"--set run.years=abc:", "is not valid TOML", "strings need quotes"});
    problem_with(error, {"--set network.sharedrecords=true:", "unknown key 'network.sharedrecords'",
                         "did you mean network.shared_records?"});
    problem_with(error, {"--set run.years=2.5:", "expected a whole number in [1, 100], got 2.5"});
    problem_with(error, {"--set network.shared_records=2:", "expected true or false, got 2"});
    problem_with(error, {"--set run.years=true:", "expected a whole number, got a boolean"});
    problem_with(error, {"--set population.ethnicity_rate_ratio={Asian=2}:", "unknown label 'Asian'"});
    problem_with(error, {"--set population.ethnicity_rate_ratio.Asian=2:", "unknown key"});
    for (const auto& problem : error.problems()) CHECK(problem.file.empty());
}

TEST_CASE("missing files are named with the line that names them", "[unit][scenario]") {
    SECTION("the scenario file itself") {
        const auto error = load_error(data("no_such_scenario.toml"));
        problem_with(error, {"scenario file not found", "no_such_scenario.toml"});
    }
    SECTION("CSV tables") {
        const auto error = load_error(data("missing_files.toml"));
        CHECK(error.problems().size() == 2);
        problem_with(error,
                     {"missing_files.toml", "line 2, key scenario.areas", "file not found", "no_such_areas.csv"});
        problem_with(error, {"line 3, key scenario.providers", "no_such_providers.csv"});
    }
    SECTION("a base scenario") {
        const auto error = load_error(data("missing_base.toml"));
        REQUIRE(error.problems().size() == 1);  // no "no areas table" on top of it
        problem_with(error, {"missing_base.toml", "line 2, key scenario.extends", "base scenario file not found",
                             "no_such_base.toml"});
    }
    SECTION("no tables named anywhere in the chain") {
        const auto error = load_error(data("no_tables.toml"));
        problem_with(error, {"no_tables.toml", "no areas table"});
        problem_with(error, {"no_tables.toml", "no providers table"});
    }
}

TEST_CASE("an extends cycle is a problem", "[unit][scenario]") {
    const auto error = load_error(data("cycle_a.toml"));
    REQUIRE(error.problems().size() == 1);
    problem_with(error, {"cycle_b.toml", "line 2, key scenario.extends",
                         "extends cycle: cycle_a.toml -> cycle_b.toml -> cycle_a.toml"});
}

TEST_CASE("a base with a syntax error does not hide the child's own problems", "[unit][scenario]") {
    const auto error = load_error(data("bad_base_child.toml"));
    CHECK(error.problems().size() == 2);
    problem_with(error, {"bad_syntax.toml", "line 3", "TOML syntax error"});
    problem_with(error, {"bad_base_child.toml", "line 6, key run.years", "expected a value in [1, 100]", "got 0"});
}

TEST_CASE("areas table: missing and unknown columns", "[unit][scenario]") {
    const auto error = load_error(data("bad_areas_columns.toml"));
    problem_with(error, {"areas_bad_columns.csv", "row 1 (header)", "missing required column 'pct_rural'"});
    const auto unknown = problem_with(error, {"areas_bad_columns.csv", "unknown column 'pct_purple'"});
    CHECK(unknown.message.find("expected columns: la_code, name") != std::string::npos);
    CHECK(unknown.message.find("pct_rural") != std::string::npos);
}

TEST_CASE("areas table: bad cells name row and column", "[unit][scenario]") {
    const auto error = load_error(data("bad_areas_cells.toml"));
    CHECK(error.problems().size() == 4);
    problem_with(error, {"areas_bad_cells.csv", "row 2, column population_0_19", "'lots' is not a number"});
    problem_with(error, {"row 3, column share_q1..share_q5", "sum to 1.5", "expected 1 (within 0.01)"});
    problem_with(error, {"row 5, column la_code", "duplicate area code 'E08000019' (first on row 3)"});
    problem_with(error, {"row 5, column lat", "expected a number in [49, 61], got 63.4"});
}

TEST_CASE("providers table: ids, types, codes, flags and coverage", "[unit][scenario]") {
    const auto error = load_error(data("bad_providers.toml"));
    problem_with(error,
                 {"providers_bad.csv", "row 3, column id", "duplicate provider id 'martin-house' (first on row 2)"});
    problem_with(error, {"row 4, column catchment", "unknown area code 'E09999999'"});
    problem_with(error, {"row 5, column type", "expected hospice, sppc, ccn or hospital, got 'nurses'"});
    problem_with(error, {"row 5, column out_of_hours", "expected 0 or 1, got '2'"});
    problem_with(error, {"row 5, column accept_cat1", "expected a number in [0, 1], got 1.5"});
    problem_with(error, {"providers_bad.csv", "area E08000019 (Sheffield) is in the catchment of no sppc provider"});
}

TEST_CASE("bad funding changes: target, income, multiplier, keys", "[unit][scenario]") {
    const auto error = load_error(data("bad_funding.toml"));
    CHECK(error.problems().size() == 5);
    problem_with(error, {"bad_funding.toml", "line 5", "target 'nowhere-hospice' is not 'all', a provider type"});
    problem_with(error,
                 {"line 14, key funding_change.income", "expected income statutory, charitable or all, got 'grants'"});
    problem_with(error, {"line 15, key funding_change.multiplier", "expected a multiplier in (0, 10], got 0"});
    problem_with(error, {"line 20, key funding_change.amount", "unknown key 'amount'"});
    problem_with(error, {"line 17", "[[funding_change]] needs a year"});
}

TEST_CASE("travel matrix: unknown and missing providers and areas, bad values", "[unit][scenario]") {
    const auto error = load_error(data("bad_travel.toml"));
    CHECK(error.problems().size() == 5);
    problem_with(error, {"travel_bad.csv", "row 1 (header)", "unknown provider id 'st-elsewhere'"});
    problem_with(error, {"travel_bad.csv", "no column for provider 'ccn-sheffield'"});
    problem_with(error, {"row 2, column leeds-sppc", "expected a number in [0, 1440], got -10"});
    problem_with(error, {"row 3, column area", "unknown area code 'E08000099'"});
    problem_with(error, {"no row for area 'E08000019'"});
}
