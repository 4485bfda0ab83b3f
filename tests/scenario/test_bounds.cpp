// Impossible values and bad text in scenarios (issue 9): every number has a plausible range and a
// value outside it is a problem naming file, row and column (or line and key) and the range; text
// must be UTF-8 without NUL bytes. Each case edits one cell or line of the valid test scenario.
#include "scenario/csv.hpp"
#include "scenario_test_support.hpp"

#include "core/text.hpp"

#include <fstream>
#include <regex>

using namespace scenario_test;
namespace fs = std::filesystem;

namespace {

std::string read_text(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void write_text(const fs::path& path, const std::string& text) {
    std::ofstream(path, std::ios::binary) << text;
}

/// A copy of the minimal scenario (TOML and both tables) in a fresh folder, with `edit` applied
/// to the named file's text.
struct Copy {
    fs::path dir;
    explicit Copy(const std::string& name) : dir(fs::temp_directory_path() / ("cpcsim-bounds-" + name)) {
        fs::remove_all(dir);
        fs::create_directories(dir);
        for (const char* f : {"minimal.toml", "areas.csv", "providers.csv"}) fs::copy_file(data(f), dir / f);
    }
    ~Copy() { fs::remove_all(dir); }
    Copy& replace(const std::string& file, const std::string& from, const std::string& to) {
        std::string text = read_text(dir / file);
        const auto at = text.find(from);
        REQUIRE(at != std::string::npos);
        text.replace(at, from.size(), to);
        write_text(dir / file, text);
        return *this;
    }
    [[nodiscard]] cpcsim::Error error(const std::vector<std::string>& overrides = {}) const {
        return load_error(dir / "minimal.toml", overrides);
    }
};

// The row of martin-house in tests/scenario/data/providers.csv, to edit one cell at a time.
const std::string kMartin =
    "martin-house,Martin House,hospice,E08000035,53.9123,-1.3700,*,9,1,4,60,,1,0,1,1,0.9,0.8,"
    "1200000,5000000,";

}  // namespace

TEST_CASE("the unedited copy loads (the edits below are the only problems)", "[unit][scenario]") {
    Copy copy("valid");
    CHECK_NOTHROW(load_scenario(copy.dir / "minimal.toml", {}, registry()));
}

TEST_CASE("provider numbers above their plausible range name row, column and range", "[regression][scenario]") {
    struct Case {
        std::string edited, column, range;
    };
    const std::vector<Case> cases = {
        {"martin-house,Martin House,hospice,E08000035,53.9123,-1.3700,*,900,1,4,60,,1,0,1,1,0.9,0.8,1200000,5000000,",
         "column beds", "expected a number in [0, 40] for a hospice, got 900"},
        {"martin-house,Martin House,hospice,E08000035,53.9123,-1.3700,*,9,99,4,60,,1,0,1,1,0.9,0.8,1200000,5000000,",
         "column eol_beds", "expected a number in [0, 40] for a hospice, got 99"},
        {"martin-house,Martin House,hospice,E08000035,53.9123,-1.3700,*,9,1,1e6,60,,1,0,1,1,0.9,0.8,1200000,5000000,",
         "column home_visits_per_day", "expected a number in [0, 100], got 1e6"},
        {"martin-house,Martin House,hospice,E08000035,53.9123,-1.3700,*,9,1,4,1e9,,1,0,1,1,0.9,0.8,1200000,5000000,",
         "column staff_wte", "expected a number in [0, 500], got 1e9"},
        {"martin-house,Martin House,hospice,E08000035,53.9123,-1.3700,*,9,1,4,60,50,1,0,1,1,0.9,0.8,1200000,5000000,",
         "column contacts_per_wte_day", "expected a number in [0, 12], got 50"},
        {"martin-house,Martin House,hospice,E08000035,53.9123,-1.3700,*,9,1,4,60,,1,0,1,1,0.9,0.8,1e308,5000000,",
         "column statutory_income_gbp", "expected a number in [0, 50000000], got 1e308"},
        {"martin-house,Martin House,hospice,E08000035,53.9123,-1.3700,*,9,1,4,60,,1,0,1,1,0.9,0.8,1200000,1e308,",
         "column charitable_income_gbp", "expected a number in [0, 50000000], got 1e308"},
    };
    for (const auto& c : cases) {
        Copy copy("provider");
        copy.replace("providers.csv", kMartin, c.edited);
        const auto error = copy.error();
        CHECK(error.problems().size() == 1);
        problem_with(error, {"providers.csv", "row 2, " + c.column, c.range});
    }
    SECTION("a hospital may have more beds than a hospice, but not more than any hospital has") {
        Copy copy("hospital");
        copy.replace("providers.csv", "lgi,Leeds General Infirmary,hospital,E08000035,53.8018,-1.5530,,40,",
                     "lgi,Leeds General Infirmary,hospital,E08000035,53.8018,-1.5530,,5000,");
        problem_with(copy.error(), {"providers.csv", "row 7, column beds", "expected a number in [0, 500], got 5000"});
        Copy fine("hospital-fine");
        fine.replace("providers.csv", "lgi,Leeds General Infirmary,hospital,E08000035,53.8018,-1.5530,,40,",
                     "lgi,Leeds General Infirmary,hospital,E08000035,53.8018,-1.5530,,400,");
        CHECK_NOTHROW(load_scenario(fine.dir / "minimal.toml", {}, registry()));
    }
}

TEST_CASE("an area population of 1e12 is a problem, not silently capped", "[regression][scenario]") {
    Copy copy("population");
    copy.replace("areas.csv", "811953,200413,", "811953,1e12,");
    problem_with(copy.error(),
                 {"areas.csv", "row 3, column population_0_19", "expected a number in [0, 3000000]", "got 1e12"});
}

TEST_CASE("travel times above a day are a problem", "[regression][scenario]") {
    const fs::path dir = fs::temp_directory_path() / "cpcsim-bounds-travel";
    fs::remove_all(dir);
    fs::create_directories(dir);
    for (const char* f : {"minimal.toml", "with_travel.toml", "areas.csv", "providers.csv", "travel.csv"})
        fs::copy_file(data(f), dir / f);
    std::string travel = read_text(dir / "travel.csv");
    const std::regex first_number(R"(E08000035,\s*[0-9.]+)");
    travel = std::regex_replace(travel, first_number, "E08000035,100000", std::regex_constants::format_first_only);
    write_text(dir / "travel.csv", travel);
    const auto error = load_error(dir / "with_travel.toml");
    problem_with(error, {"travel.csv", "expected a number in [0, 1440], got 100000"});
    fs::remove_all(dir);
}

TEST_CASE("funding changes: huge multipliers and far years are problems naming line, key and range",
          "[regression][scenario]") {
    SECTION("multiplier 1e308 (gave infinite costs and NaN provider tables)") {
        Copy copy("multiplier");
        copy.replace("minimal.toml", "multiplier = 0.8", "multiplier = 1e308");
        const auto error = copy.error();
        REQUIRE(error.problems().size() == 1);
        problem_with(error, {"minimal.toml", "line 14, key funding_change.multiplier",
                             "expected a multiplier in (0, 10], got 1e+308"});
    }
    SECTION("multiplier 0 and negative stay problems") {
        Copy copy("multiplier0");
        copy.replace("minimal.toml", "multiplier = 0.8", "multiplier = 0");
        problem_with(copy.error(), {"funding_change.multiplier", "expected a multiplier in (0, 10], got 0"});
    }
    SECTION("year 1e9") {
        Copy copy("year");
        copy.replace("minimal.toml", "year = 3", "year = 1e9");
        problem_with(copy.error(),
                     {"minimal.toml", "line 11, key funding_change.year", "expected a year in [0, 60]", "got 1e+09"});
    }
    SECTION("changes multiply each other: their growth together is bounded too") {
        Copy copy("growth");
        std::string changes;
        for (int year = 1; year <= 4; ++year)
            changes += "\n[[funding_change]]\nyear = " + std::to_string(year) + "\nmultiplier = 2\n";
        copy.replace("minimal.toml", "multiplier = 0.8", "multiplier = 0.8\n" + changes);
        problem_with(copy.error(), {"minimal.toml", "multipliers above 1 multiply to 16; expected at most 10"});
    }
    SECTION("the largest plausible values load") {
        Copy copy("funding-fine");
        copy.replace("minimal.toml", "multiplier = 0.8", "multiplier = 10")
            .replace("minimal.toml", "year = 3", "year = 60");
        CHECK_NOTHROW(load_scenario(copy.dir / "minimal.toml", {}, registry()));
    }
}

TEST_CASE("text: invalid UTF-8 and NUL bytes", "[unit][text]") {
    CHECK(cpcsim::text_problem("").empty());
    CHECK(cpcsim::text_problem("Bradford \xE2\x80\x93 Airedale \xF0\x9F\x98\x80").empty());
    CHECK(cpcsim::text_problem("caf\xC3\xA9").empty());
    CHECK(cpcsim::text_problem("caf\xE9") == "invalid UTF-8 at byte 4 (files must be UTF-8 text)");
    CHECK(cpcsim::text_problem(std::string("ab\0c", 4)) == "NUL byte (\\0) at byte 3");
    CHECK_FALSE(cpcsim::text_problem("\xC0\xAF").empty());          // overlong '/'
    CHECK_FALSE(cpcsim::text_problem("\xED\xA0\x80").empty());      // surrogate U+D800
    CHECK_FALSE(cpcsim::text_problem("\xF4\x90\x80\x80").empty());  // above U+10FFFF
    CHECK_FALSE(cpcsim::text_problem("\xE2\x80").empty());          // cut short
    CHECK_FALSE(cpcsim::text_problem("\x80").empty());              // lone continuation byte
}

TEST_CASE("invalid UTF-8 in areas.csv is a problem naming file, row and column, not written through",
          "[regression][scenario]") {
    Copy copy("utf8");
    copy.replace("areas.csv", "E08000035,Leeds,",
                 "E08000035,Le\xE9"
                 "ds,");
    const auto error = copy.error();
    REQUIRE(error.problems().size() == 1);
    problem_with(error, {"areas.csv", "row 3, column name", "invalid UTF-8 at byte 3"});
}

TEST_CASE("a NUL byte in a CSV cell or comment is a problem, not a silent truncation", "[regression][scenario]") {
    SECTION("in a provider name") {
        Copy copy("nul");
        copy.replace("providers.csv", "Leeds SPPC team", std::string("Leeds\0SPPC team", 15));
        problem_with(copy.error(), {"providers.csv", "row 4, column name", "NUL byte (\\0) at byte 6"});
    }
    SECTION("in a comment line (the table's text is kept as provenance)") {
        Copy copy("nul-comment");
        copy.replace("areas.csv", "# Two areas", std::string("# Two\0areas", 11));
        problem_with(copy.error(), {"areas.csv", "row 1", "NUL byte", "comment"});
    }
}

TEST_CASE("a NUL escape in a scenario string is a problem naming line and key", "[regression][scenario]") {
    Copy copy("toml-nul");
    copy.replace("minimal.toml", R"(name = "Two areas")", R"(name = "Two\u0000areas")");
    problem_with(copy.error(), {"minimal.toml", "line 2, key scenario.name", "NUL byte"});
    Copy target("toml-nul-target");
    target.replace("minimal.toml", R"(target = "hospice")", R"(target = "hos\u0000pice")");
    problem_with(target.error(), {"minimal.toml", "key funding_change.target", "NUL byte"});
}

TEST_CASE("invalid UTF-8 in a --set override is a problem", "[regression][scenario]") {
    const auto error = load_error(data("minimal.toml"), {"run.years=5 # \xFF"});
    problem_with(error, {"--set", "invalid UTF-8 at byte 15"});
}
