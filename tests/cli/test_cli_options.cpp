// Numeric command-line options (issue 9): "--seed -1" used to wrap to 18446744073709551615.
// Every command taking --seed applies the rule of sweep files (a whole number >= 0 that a TOML
// integer can hold), and counts take whole numbers in their range; a bad value fails before
// anything is simulated or written, naming the option, the rule and the text given.
#include "cli_test_support.hpp"

using namespace cli_test;

namespace {
void require_usage_error(const std::vector<std::string>& args, const std::vector<std::string>& expected) {
    Scratch dir;
    const auto r = run_cli(args, dir.path());
    INFO(r.command << "\nstatus " << r.status << "\nstderr: " << r.err);
    CHECK(r.status != 0);
    CHECK(r.status != -1);
    for (const auto& part : expected) {
        INFO("expected in stderr: " << part);
        CHECK(r.err.find(part) != std::string::npos);
    }
    CHECK(fs::is_empty(dir.path()));
}
}  // namespace

TEST_CASE("negative and garbage seeds are rejected by every command taking --seed", "[regression][cli]") {
    const std::string rule = "expected a whole number >= 0 (at most 9223372036854775807, as in sweep files)";
    for (const std::string command : {"run", "compare", "calibration", "bench"}) {
        std::vector<std::string> args = {command, two_area().string()};
        if (command == "compare") args.push_back(two_area().string());
        for (const std::string seed : {"-1", "abc", "1.5", "18446744073709551615", "9223372036854775808", ""}) {
            auto a = args;
            a.insert(a.end(), {"--seed", seed, "-q", "-r", "1"});
            if (command == "bench") a = {command, two_area().string(), "--seed", seed};
            require_usage_error(a, {"--seed: " + rule, "got '" + seed + "'"});
        }
    }
}

TEST_CASE("solve, which writes no results file, does not take --store", "[regression][cli]") {
    // It used to accept --store and ignore it. (calibration keeps it: the runs it checks then
    // skip the monthly table.)
    require_usage_error({"solve", two_area().string(), "--target", "access_rate >= 0.1", "--lever",
                         "funding.statutory_multiplier=0.5:1.5", "--store", "annual"},
                        {"store"});
}

TEST_CASE("the largest seed a sweep file can hold is accepted", "[regression][cli]") {
    Scratch dir;
    const auto r = run_cli({"run", two_area().string(), "--seed", "9223372036854775807", "-q", "-r", "1", "--set",
                            "run.years=1", "--set", "run.warmup_years=0", "-o", "big-seed.h5"},
                           dir.path());
    INFO(r.err);
    CHECK(r.status == 0);
    CHECK(fs::exists(dir / "big-seed.h5"));
}

TEST_CASE("counts on the command line take whole numbers in their range", "[regression][cli]") {
    const std::string scenario = two_area().string();
    require_usage_error({"run", scenario, "-r", "-1"},
                        {"--replicates: expected a whole number in [1, 100000]", "'-1'"});
    require_usage_error({"run", scenario, "-r", "2x"}, {"--replicates", "got '2x'"});
    require_usage_error({"run", scenario, "-r", "1e3"}, {"--replicates", "got '1e3'"});
    require_usage_error({"run", scenario, "-t", "-2"}, {"--threads: expected a whole number in [0, "});
    require_usage_error({"compare", scenario, scenario, "-r", "0"}, {"--replicates", "got '0'"});
    require_usage_error({"bench", scenario, "--repeat", "-5"}, {"--repeat: expected a whole number in [1, 1000]"});
    require_usage_error({"sweep", "run", "x.toml", "-o", "x.h5", "--task", "-1", "--tasks", "2"},
                        {"--task: expected a whole number in [0, "});
    require_usage_error({"sweep", "run", "x.toml", "-o", "x.h5", "--task", "0", "--tasks", "two"},
                        {"--tasks: expected a whole number in [1, ", "got 'two'"});
}

TEST_CASE("calibration reads the scenario's targets file or --targets, and names a bad one", "[regression][cli]") {
    // The two-area test scenario has no targets.toml next to it.
    require_usage_error({"calibration", two_area().string(), "-q", "-r", "2"},
                        {"no targets file next to the scenario", "targets.toml", "--targets FILE"});
    Scratch files;
    const fs::path bad = files.path() / "bad.toml", good = files.path() / "good.toml";
    write_file(bad,
               "[[target]]\nid = \"X\"\nname = \"x\"\ndescription = \"x\"\nsource = \"x\"\n"
               "measure = \"no_such_measure\"\nobserved = 1\nrange = [0, 2]\nobservation_sd = 1\n"
               "discrepancy_sd = 0\n");
    require_usage_error({"calibration", two_area().string(), "-q", "-r", "2", "--targets", bad.string()},
                        {bad.string(), "line 6, key target[1].measure: unknown summary output 'no_such_measure'"});
    write_file(good,
               "[[target]]\nid = \"X\"\nname = \"deaths\"\ndescription = \"deaths a year\"\nsource = \"x\"\n"
               "measure = \"deaths_per_year\"\nobserved = 1000\nrange = [999, 1001]\nobservation_sd = 1\n"
               "discrepancy_sd = 0\n");
    Scratch dir;
    const auto r =
        run_cli({"calibration", two_area().string(), "-q", "-r", "2", "--targets", good.string()}, dir.path());
    INFO(r.command << "\n" << r.out << r.err);
    CHECK(r.status == 1);  // the two-area region has far fewer deaths: the target fails
    CHECK(contains(r.out, "FAIL"));
    CHECK(contains(r.out, "; implausibility "));
    CHECK(contains(r.out, "0 passed, 1 failed"));
}

TEST_CASE("a targets file given as a scenario is named for what it is", "[regression][cli]") {
    const auto targets = (source_dir() / "scenarios" / "yorkshire-humber" / "targets.toml").string();
    for (const std::vector<std::string> args : {std::vector<std::string>{"check", targets},
                                                {"run", targets, "-q", "-r", "1"},
                                                {"calibration", targets, "-q", "-r", "1"}})
        require_usage_error(args, {"is a calibration targets file, not a scenario", "--targets"});
}
