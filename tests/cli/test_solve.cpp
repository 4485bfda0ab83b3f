// cpcsim solve (issue 15 item 3): with one lever, bisection brackets the smallest lever value at
// which the target is met in the required share of replicates, on common random numbers; with
// two levers on the default region, the search's settings, runs and file agree; bad options
// are refused before anything runs. The search itself is tested on synthetic responses in
// tests/solve/test_search.cpp.
#include "cli_test_support.hpp"

#include <regex>

using namespace cli_test;

TEST_CASE("solve brackets the threshold of a monotone lever", "[regression][cli][solve]") {
    Scratch dir;
    const auto r = run_cli({"solve", two_area().string(), "--target", "cost_total_per_year >= 6500000", "--lever",
                            "funding.statutory_multiplier=0.5:2", "-r", "4", "-q", "--tolerance", "0.02"},
                           dir.path());
    INFO(r.out << r.err);
    REQUIRE(r.status == 0);
    std::smatch m;
    REQUIRE(std::regex_search(r.out, m, std::regex(R"(threshold lies in \[([0-9.]+), ([0-9.]+)\])")));
    const double lo = std::stod(m[1]), hi = std::stod(m[2]);
    CHECK(lo < hi);
    CHECK(hi - lo <= 0.02 * 1.5 + 1e-9);
    // The curve: every value at or above the answer meets the target in at least 80% of
    // replicates, every value at or below the bracket's low end does not.
    const std::regex row(R"(\n  ([0-9.]+) +[0-9]+ \[[0-9]+, [0-9]+\] +([0-9]+)%)");
    int rows = 0;
    for (auto it = std::sregex_iterator(r.out.begin(), r.out.end(), row); it != std::sregex_iterator(); ++it, ++rows) {
        const double x = std::stod((*it)[1]), share = std::stod((*it)[2]);
        if (x >= hi - 1e-6) CHECK(share >= 80);
        if (x <= lo + 1e-6) CHECK(share < 80);
    }
    CHECK(rows >= 4);
}

TEST_CASE("solve says when the target is out of reach and refuses bad targets", "[regression][cli][solve]") {
    Scratch dir;
    const auto none = run_cli({"solve", two_area().string(), "--target", "cost_total_per_year >= 1e12", "--lever",
                               "funding.statutory_multiplier=0.5:2", "-r", "2", "-q"},
                              dir.path());
    CHECK(none.status == 1);
    CHECK(none.out.find("answer: none") != std::string::npos);
    const auto bad = run_cli({"solve", two_area().string(), "--target", "nope >= 1", "--lever",
                              "funding.statutory_multiplier=0.5:2", "-r", "2", "-q"},
                             dir.path());
    CHECK(bad.status == 2);
    CHECK(bad.err.find("'nope' is not a summary measure") != std::string::npos);
    const auto lever = run_cli({"solve", two_area().string(), "--target", "access_rate >= 0.2", "--lever",
                                "network.rota_24_7=0:1", "-r", "2", "-q"},
                               dir.path());
    CHECK(lever.status == 2);
    CHECK(lever.err.find("not a numeric scalar parameter") != std::string::npos);
}

TEST_CASE("solve searches two levers on the default region and writes what it tried", "[regression][cli][solve]") {
    // Short horizons and few replicates: a test of the machinery, not of the answer's precision.
    Scratch dir;
    const auto r = run_cli({"solve",
                            (source_dir() / "scenarios/yorkshire-humber/no-network.toml").string(),
                            "--target",
                            "diff access_rate >= 0.01",
                            "--lever",
                            "funding.statutory_multiplier=1:3",
                            "--lever",
                            "network.coordinator_wte=0:3",
                            "--minimise",
                            "cost_total_per_year",
                            "-r",
                            "3",
                            "--set",
                            "run.years=1",
                            "--set",
                            "run.warmup_years=1",
                            "--design-points",
                            "6",
                            "--refine-points",
                            "3",
                            "--verify-replicates",
                            "4",
                            "-q",
                            "--out",
                            "solve.json"},
                           dir.path());
    INFO(r.out << r.err);
    REQUIRE((r.status == 0 || r.status == 1));
    std::smatch m;
    REQUIRE(std::regex_search(r.out, m, std::regex(R"(settings tried \(([0-9]+), ([0-9]+) runs\))")));
    const int settings = std::stoi(m[1]), runs = std::stoi(m[2]);
    const std::string json = read_file(dir.path() / "solve.json");
    // Every setting is in the file's points, each with its stage; the runs are the settings'
    // replicates plus the baseline's, once per replicate index (3 search, 4 verification).
    const auto from = json.find("\"points\":["), to = json.find("],\"answer\":");
    REQUIRE(from != std::string::npos);
    REQUIRE(to != std::string::npos);
    const std::string points = json.substr(from, to - from);
    std::map<std::string, int> stages;
    const std::regex stage(R"x("stage":"([a-z]+)")x");
    for (auto it = std::sregex_iterator(points.begin(), points.end(), stage); it != std::sregex_iterator(); ++it)
        ++stages[(*it)[1]];
    const bool verified = r.status == 0;
    CHECK(stages["design"] == 6);
    CHECK(stages["refine"] == 4);  // the surrogate's best candidate and 3 around it
    CHECK(stages["verify"] == (verified ? 1 : 0));
    CHECK(stages["design"] + stages["refine"] + stages["bisect"] + stages["verify"] == settings);
    CHECK(runs == (settings - (verified ? 1 : 0)) * 3 + (verified ? 4 : 0) + 3 + (verified ? 4 : 0));
    if (verified) {
        CHECK(r.out.find("verified on 4 fresh replicates (3-6)") != std::string::npos);
        CHECK(json.find("\"verification\":{\"stage\":\"verify\"") != std::string::npos);
    }
}

TEST_CASE("solve refuses bad options before running anything", "[regression][cli][solve]") {
    Scratch dir;
    const auto base = std::vector<std::string>{"solve",    two_area().string(),
                                               "--target", "access_rate >= 0.1",
                                               "--lever",  "funding.statutory_multiplier=0.5:2",
                                               "-r",       "2",
                                               "-q"};
    const auto with = [&](std::vector<std::string> extra) {
        auto a = base;
        a.insert(a.end(), extra.begin(), extra.end());
        return run_cli(a, dir.path());
    };
    const auto out = with({"--out", "answer.txt"});
    CHECK(out.status == 2);
    CHECK(out.err.find("expected a .json or .csv file") != std::string::npos);
    const auto baseline = with({"--baseline", two_area().string()});
    CHECK(baseline.status == 2);
    CHECK(baseline.err.find("--baseline is for a target on a difference") != std::string::npos);
    const auto twice = with({"--lever", "funding.statutory_multiplier=1:3"});
    CHECK(twice.status == 2);
    CHECK(twice.err.find("given twice") != std::string::npos);
    const auto minimise = with({"--minimise", "nope"});
    CHECK(minimise.status == 2);
    CHECK(minimise.err.find("'nope' is not a summary measure") != std::string::npos);
    const auto range = with({"--lever", "funding.charitable_multiplier=-1:2"});
    CHECK(range.status == 2);
    CHECK(range.err.find("valid range") != std::string::npos);
    CHECK(std::distance(fs::directory_iterator(dir.path()), fs::directory_iterator()) == 0);
}
