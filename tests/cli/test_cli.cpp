// The cpcsim command line, driven as a user would: help for every command, `check` and
// `params`, bit-identical results for any thread count, and bad input that fails cleanly
// (non-zero exit, an error naming the file and line or key and what was expected, nothing written
// at --out and an existing file there untouched).
#include "cli_test_support.hpp"

#include "io/results_file.hpp"
#include "model/parameter_table.hpp"
#include "scenario/params.hpp"

using namespace cli_test;

namespace {

/// The commands listed by `cpcsim --help` (the indented lines after "commands:").
std::vector<std::string> listed_commands(const std::string& help) {
    std::vector<std::string> names;
    std::istringstream in(help);
    std::string line;
    bool in_list = false;
    while (std::getline(in, line)) {
        if (line.rfind("commands:", 0) == 0) {
            in_list = true;
            continue;
        }
        if (!in_list || line.size() < 3 || line[0] != ' ') continue;
        std::istringstream words(line);
        std::string name;
        words >> name;
        if (!name.empty()) names.push_back(name);
    }
    return names;
}

/// Example scenarios: every *.toml under scenarios/ except sweep files (owned by the sweep tests)
/// and calibration targets files (targets.toml).
std::vector<fs::path> example_scenarios() {
    std::vector<fs::path> files;
    for (const auto& e : fs::recursive_directory_iterator(source_dir() / "scenarios"))
        if (e.is_regular_file() && e.path().extension() == ".toml" && !contains(e.path().string(), "sweep") &&
            e.path().filename() != "targets.toml")
            files.push_back(e.path());
    std::sort(files.begin(), files.end());
    return files;
}

/// A small results file written by `cpcsim run`.
fs::path small_results(const Scratch& dir, const std::string& name, const std::vector<std::string>& extra = {}) {
    std::vector<std::string> args = {
        "run", two_area().string(), "--set", "run.years=1", "--set", "run.warmup_years=0", "-r", "2", "-q", "-o", name};
    args.insert(args.end(), extra.begin(), extra.end());
    const auto r = run_cli(args, dir.path());
    INFO(r.command << "\n" << r.err);
    REQUIRE(r.status == 0);
    return dir / name;
}

/// Runs a command that must fail: non-zero exit; stderr holds every one of `expected`; the
/// working directory is exactly as before (nothing new, no temporary file, nothing changed).
void require_clean_failure(const std::vector<std::string>& args, const Scratch& dir,
                           const std::vector<std::string>& expected) {
    const auto before = snapshot(dir.path());
    const auto r = run_cli(args, dir.path());
    INFO(r.command << "\nstatus " << r.status << "\nstderr: " << r.err << "\nstdout: " << r.out);
    CHECK(r.status != 0);
    CHECK(r.status != -1);  // exited, did not crash
    for (const auto& part : expected) {
        INFO("expected in stderr: " << part);
        CHECK(contains(r.err, part));
    }
    const auto after = snapshot(dir.path());
    INFO("before:\n" << listing(before) << "after:\n" << listing(after));
    CHECK(after == before);
}

/// The same failure twice: writing to a new file (which must not appear) and over an existing
/// file (which must keep its bytes and modification time).
void require_run_fails_cleanly(std::vector<std::string> args, const std::vector<std::string>& expected) {
    Scratch dir;
    const auto existing = small_results(dir, "existing.h5");
    for (const std::string& out : std::vector<std::string>{"new.h5", "existing.h5", (dir / "abs.h5").string()}) {
        auto a = args;
        a.insert(a.end(), {"-q", "-o", out});
        require_clean_failure(a, dir, expected);
    }
    CHECK(!fs::exists(dir / "new.h5"));
    CHECK(!fs::exists(dir / "abs.h5"));
}

}  // namespace

TEST_CASE("cpcsim --help lists the commands and every command has --help", "[regression][cli]") {
    Scratch dir;
    const auto help = run_cli({"--help"}, dir.path());
    REQUIRE(help.status == 0);
    CHECK(contains(help.out, "usage: cpcsim COMMAND"));
    const auto commands = listed_commands(help.out);
    INFO(help.out);
    REQUIRE(commands.size() >= 4);
    for (const char* expected : {"run", "check", "info", "params"})
        CHECK(std::find(commands.begin(), commands.end(), expected) != commands.end());
    for (const auto& c : commands) {
        for (const std::string flag : {"--help", "-h"}) {
            const auto r = run_cli({c, flag}, dir.path());
            INFO(r.command << "\n" << r.out << r.err);
            CHECK(r.status == 0);
            CHECK(contains(r.out, "usage: cpcsim " + c));
            CHECK(contains(r.out, "--help"));
        }
    }
    // -h and help are the same as --help.
    CHECK(run_cli({"-h"}, dir.path()).out == help.out);
    CHECK(run_cli({"help"}, dir.path()).out == help.out);
    const auto version = run_cli({"--version"}, dir.path());
    CHECK(version.status == 0);
    CHECK(contains(version.out, "cpcsim "));
    CHECK(snapshot(dir.path()).empty());  // help writes nothing
}

TEST_CASE("cpcsim without a command, or with an unknown one, prints usage and fails", "[regression][cli]") {
    Scratch dir;
    const auto none = run_cli({}, dir.path());
    CHECK(none.status == 2);
    CHECK(contains(none.err, "usage: cpcsim COMMAND"));
    const auto unknown = run_cli({"frobnicate"}, dir.path());
    CHECK(unknown.status == 2);
    CHECK(contains(unknown.err, "unknown command 'frobnicate'"));
    CHECK(contains(unknown.err, "usage: cpcsim COMMAND"));
    const auto bad_option = run_cli({"run", two_area().string(), "--replicates", "many"}, dir.path());
    CHECK(bad_option.status == 2);
    CHECK(contains(bad_option.err, "replicates"));
    CHECK(snapshot(dir.path()).empty());
}

TEST_CASE("cpcsim check prints OK for every example scenario", "[regression][cli]") {
    Scratch dir;
    const auto files = example_scenarios();
    REQUIRE(files.size() >= 7);
    for (const auto& f : files) {
        const auto r = run_cli({"check", f.string()}, dir.path());
        INFO(r.command << "\n" << r.out << r.err);
        CHECK(r.status == 0);
        CHECK(contains(r.out, f.string() + ": OK"));
        CHECK(r.err.empty());
    }
    // --print gives a resolved scenario that checks OK again and has every parameter.
    const auto printed = run_cli(
        {"check", (source_dir() / "scenarios/yorkshire-humber/full-network.toml").string(), "--print"}, dir.path());
    REQUIRE(printed.status == 0);
    write_file(dir / "resolved.toml", printed.out);
    const auto again = run_cli({"check", "resolved.toml"}, dir.path());
    INFO(again.err);
    CHECK(again.status == 0);
    CHECK(contains(again.out, "resolved.toml: OK"));
}

TEST_CASE("cpcsim params --markdown lists every model parameter", "[regression][cli]") {
    Scratch dir;
    const auto md = run_cli({"params", "--markdown"}, dir.path());
    REQUIRE(md.status == 0);
    const auto& specs = cpcsim::model_parameters().specs();
    REQUIRE(!specs.empty());
    int rows = 0;
    std::istringstream in(md.out);
    std::string line;
    while (std::getline(in, line))
        if (line.rfind("| `", 0) == 0) ++rows;
    CHECK(rows == static_cast<int>(specs.size()));
    for (const auto& s : specs) {
        INFO(s.key);
        CHECK(contains(md.out, "| `" + s.key + "` |"));
    }
    CHECK(contains(md.out, "| key | default | unit | range | tag | meaning | source |"));
    // The plain listing names every key too.
    const auto plain = run_cli({"params"}, dir.path());
    REQUIRE(plain.status == 0);
    for (const auto& s : specs) {
        INFO(s.key);
        CHECK(contains(plain.out, s.key + " = "));
    }
}

TEST_CASE("cpcsim run gives identical datasets for 1, 2 and 8 threads", "[regression][cli]") {
    Scratch dir;
    const std::vector<std::string> opts = {"--set", "run.years=2",
                                           "--set", "run.warmup_years=1",
                                           "--set", "network.leadership=0.5",
                                           "--set", "network.pooled_capacity=true",
                                           "-r",    "4",
                                           "-q"};
    for (const std::string t : {"1", "2", "8"}) {
        std::vector<std::string> args = {"run", two_area().string(), "--threads", t,
                                         "-o",  "t" + t + ".h5",     "--seed",    "4242"};
        args.insert(args.end(), opts.begin(), opts.end());
        const auto r = run_cli(args, dir.path());
        INFO(r.command << "\n" << r.err);
        REQUIRE(r.status == 0);
    }
    const std::vector<std::string> provenance_only = {"/@command_line", "/@created_utc"};
    CHECK(joined_diff(file_differences(dir / "t1.h5", dir / "t2.h5", provenance_only)) == "");
    CHECK(joined_diff(file_differences(dir / "t1.h5", dir / "t8.h5", provenance_only)) == "");
    // The comparison can fail: another seed changes the runs (and the seed attribute).
    std::vector<std::string> other = {"run", two_area().string(), "--threads", "2", "-o", "seed.h5"};
    other.insert(other.end(), opts.begin(), opts.end());
    other.insert(other.end(), {"--seed", "4243"});
    REQUIRE(run_cli(other, dir.path()).status == 0);
    const auto diff = file_differences(dir / "t1.h5", dir / "seed.h5", provenance_only);
    CHECK(std::find(diff.begin(), diff.end(), "/runs/monthly") != diff.end());
    CHECK(std::find(diff.begin(), diff.end(), "/@seed") != diff.end());
    // And the provenance attributes that were ignored are really there.
    const auto dump = dump_file(dir / "t1.h5");
    CHECK(dump.contains("/@command_line"));
    CHECK(dump.contains("/@created_utc"));
}

TEST_CASE("cpcsim run and info on a small region", "[regression][cli]") {
    Scratch dir;
    const auto file = small_results(dir, "small.h5");
    const auto before = snapshot(dir.path());
    const auto info = run_cli({"info", "small.h5"}, dir.path());
    INFO(info.err);
    CHECK(info.status == 0);
    CHECK(contains(info.out, "cpcsim results file"));
    CHECK(contains(info.out, "monthly"));
    CHECK(contains(info.out, "Two-area test region"));
    CHECK(snapshot(dir.path()) == before);  // info only reads
    // No temporary file is left next to the output.
    for (const auto& e : fs::directory_iterator(dir.path())) CHECK(e.path().filename().string().rfind(".", 0) != 0);
}

TEST_CASE("cpcsim run with no children at all succeeds and reports n/a", "[regression][cli]") {
    Scratch dir;
    const auto r = run_cli({"run", two_area().string(), "--set", "population.entry_rate_per_10000=[0,0,0,0,0]", "--set",
                            "run.years=1", "--set", "run.warmup_years=0", "-r", "2", "-q", "-o", "empty.h5"},
                           dir.path());
    INFO(r.out << r.err);
    CHECK(r.status == 0);
    CHECK(fs::exists(dir / "empty.h5"));
    CHECK(contains(r.out, "n/a"));
    CHECK(run_cli({"info", "empty.h5"}, dir.path()).status == 0);
}

TEST_CASE("a malformed scenario fails cleanly", "[regression][cli]") {
    require_run_fails_cleanly({"run", cli_data("bad_syntax.toml").string()},
                              {"bad_syntax.toml", "line 4", "TOML syntax error"});
}

TEST_CASE("a missing scenario file fails cleanly", "[regression][cli]") {
    require_run_fails_cleanly({"run", (source_dir() / "tests/data/cli/no_such_scenario.toml").string()},
                              {"no_such_scenario.toml", "not found"});
}

TEST_CASE("an impossible value fails cleanly", "[regression][cli]") {
    SECTION("on the command line") {
        require_run_fails_cleanly({"run", two_area().string(), "--set", "phase.dying_days=-3"},
                                  {"--set phase.dying_days=-3", "expected a value in [1, 90]", "got -3"});
    }
    SECTION("in the scenario file") {
        require_run_fails_cleanly(
            {"run", cli_data("bad_value.toml").string()},
            {"bad_value.toml", "line 5, key phase.dying_days", "expected a value in [1, 90]", "got -3"});
    }
    SECTION("in a providers table") {
        require_run_fails_cleanly({"run", cli_data("bad_provider.toml").string()},
                                  {"providers_bad_type.csv", "row 9, column type",
                                   "expected hospice, sppc, ccn or hospital", "got 'nurses'"});
    }
}

TEST_CASE("an unknown key fails cleanly", "[regression][cli]") {
    SECTION("in the scenario file") {
        require_run_fails_cleanly(
            {"run", cli_data("unknown_key.toml").string()},
            {"unknown_key.toml", "line 5", "unknown key 'phase.dyingdays'", "did you mean phase.dying_days"});
    }
    SECTION("on the command line") {
        require_run_fails_cleanly(
            {"run", two_area().string(), "--set", "phase.dyingdays=3"},
            {"--set phase.dyingdays=3", "unknown key 'phase.dyingdays'", "did you mean phase.dying_days"});
    }
}

TEST_CASE("cpcsim check reports the same problems without writing anything", "[regression][cli]") {
    Scratch dir;
    for (const auto& [file, part] :
         std::vector<std::pair<std::string, std::string>>{{"bad_syntax.toml", "TOML syntax error"},
                                                          {"unknown_key.toml", "unknown key"},
                                                          {"bad_value.toml", "expected"}}) {
        require_clean_failure({"check", cli_data(file).string()}, dir, {file, part});
    }
}

TEST_CASE("an output directory that does not exist fails before simulating", "[regression][cli]") {
    Scratch dir;
    require_clean_failure({"run", two_area().string(), "-q", "-o", "no/such/dir/out.h5"}, dir, {"no/such/dir"});
    CHECK(!fs::exists(dir / "no"));
}

TEST_CASE("compare with a bad second scenario writes nothing", "[regression][cli]") {
    Scratch dir;
    const auto existing = small_results(dir, "existing.h5");
    for (const std::string out : {"cmp.h5", "existing.h5"})
        require_clean_failure({"compare", two_area().string(), cli_data("unknown_key.toml").string(), "-q", "-o", out},
                              dir, {"unknown_key.toml", "unknown key 'phase.dyingdays'"});
}

TEST_CASE("cpcsim info refuses files that are not readable cpcsim results", "[regression][cli]") {
    Scratch dir;
    const auto good = small_results(dir, "good.h5");
    const std::string bytes = read_file(good);
    REQUIRE(bytes.size() > 4096);
    // Truncated: a real results file cut short.
    write_file(dir / "truncated.h5", bytes.substr(0, bytes.size() / 2));
    // Corrupt: the HDF5 signature followed by garbage.
    std::string garbage = bytes.substr(0, 8);
    for (int i = 0; i < 4000; ++i) garbage += static_cast<char>((i * 37 + 11) % 251);
    write_file(dir / "corrupt.h5", garbage);
    // Foreign: a valid HDF5 file that is not a cpcsim results file.
    {
        auto f = cpcsim::io::File::create(dir / "foreign.h5");
        f.write_dataset("temperature", std::vector<double>{20.5, 21.0, 19.8}, {3});
        f.set_string_attr("format", "someone-else");
        f.close();
    }
    {
        auto f = cpcsim::io::File::create(dir / "no_format.h5");
        f.write_dataset("x", std::vector<std::int32_t>{1, 2}, {2});
        f.close();
    }
    // Not HDF5 at all.
    write_file(dir / "notes.h5", "These are my notes, not an HDF5 file.\n");
    write_file(dir / "empty.h5", "");

    require_clean_failure({"info", "truncated.h5"}, dir, {"truncated.h5", "truncated or corrupt"});
    require_clean_failure({"info", "corrupt.h5"}, dir, {"corrupt.h5"});
    require_clean_failure({"info", "foreign.h5"}, dir, {"foreign.h5", "not a cpcsim results file"});
    require_clean_failure({"info", "no_format.h5"}, dir, {"no_format.h5", "not a cpcsim results file"});
    require_clean_failure({"info", "notes.h5"}, dir, {"notes.h5", "not an HDF5 file"});
    require_clean_failure({"info", "empty.h5"}, dir, {"empty.h5"});
    require_clean_failure({"info", "missing.h5"}, dir, {"missing.h5"});
    // The good file still reads.
    CHECK(run_cli({"info", "good.h5"}, dir.path()).status == 0);
}
