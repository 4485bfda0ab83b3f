#include "io/results_file.hpp"

#include "core/error.hpp"
#include "io/atomic_file.hpp"
#include "io_test_util.hpp"

#include <catch2/catch.hpp>

#include <cstdio>
#include <cstdlib>
#include <limits>
#include <regex>
#include <string>
#include <vector>

using namespace cpcsim::io;
using Catch::Matchers::Contains;
using Catch::Matchers::StartsWith;
using cpcsim::Error;
using cpcsim::io::test::read_file;
using cpcsim::io::test::TempDir;
using cpcsim::io::test::write_file;

namespace {

Provenance sample_provenance() {
    Provenance p;
    p.kind = "run";
    p.program_version = "0.1.0";
    p.git_commit = "abc123def456";
    p.command_line = "cpcsim run wales.toml --replicates 2 --seed 18446744073709551615";
    p.created_utc = "2024-05-01T12:00:00Z";
    p.scenario_name = "Wales baseline";
    p.scenario_toml = "[scenario]\nname = \"Wales baseline\"\n";
    p.areas_csv = "area,children\nYnys Môn,120\nCardiff,900\n";
    p.providers_csv = "provider,beds\nTŷ Hafan,10\n";
    p.seed = std::numeric_limits<std::uint64_t>::max();
    p.replicates = 2;
    return p;
}

/// Writes a small but complete results file and returns nothing; `path` is committed.
void write_sample(const std::filesystem::path& path) {
    AtomicOutput out(path);
    {
        File f = File::create(out.temp_path());
        write_provenance(f, sample_provenance());
        DatasetOptions o;
        o.dims = {"replicate", "area", "quintile"};
        o.units = "children";
        f.write_dataset("outcomes/deaths", std::vector<std::int64_t>{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}, {2, 2, 3},
                        o);
        std::vector<double> big(3 * 5000);
        for (std::size_t i = 0; i < big.size(); ++i) big[i] = static_cast<double>(i) * 0.5;
        f.write_dataset("outcomes/wait_days", big, {3, 5000}, DatasetOptions{.dims = {"replicate", "child"}});
        f.write_strings("labels/area", {"Ynys Môn", "Cardiff"}, DatasetOptions{.dims = {"area"}});
        f.close();
    }
    out.commit();
}

std::string run_command(const std::string& cmd, int& status) {
    std::string out;
    std::FILE* p = ::popen(cmd.c_str(), "r");
    if (p == nullptr) {
        status = -1;
        return out;
    }
    char buf[4096];
    std::size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
    status = ::pclose(p);
    return out;
}

}  // namespace

TEST_CASE("provenance round-trips with the documented attribute names", "[unit][io]") {
    TempDir dir;
    const auto path = dir / "run.h5";
    write_sample(path);
    const File f = open_results(path);
    CHECK(f.string_attr("format") == "cpcsim-results");
    CHECK(f.int_attr("schema_version") == kSchemaVersion);
    for (const char* name : {"format", "schema_version", "kind", "program_version", "git_commit", "command_line",
                             "created_utc", "scenario_name", "seed", "replicates"})
        CHECK(f.has_attr(name));
    const Provenance want = sample_provenance();
    const Provenance got = read_provenance(f);
    CHECK(got.kind == want.kind);
    CHECK(got.program_version == want.program_version);
    CHECK(got.git_commit == want.git_commit);
    CHECK(got.command_line == want.command_line);
    CHECK(got.created_utc == want.created_utc);
    CHECK(got.scenario_name == want.scenario_name);
    CHECK(got.scenario_toml == want.scenario_toml);
    CHECK(got.areas_csv == want.areas_csv);
    CHECK(got.providers_csv == want.providers_csv);
    CHECK(got.seed == want.seed);
    CHECK(got.replicates == want.replicates);
    CHECK(f.read_string("/scenario/scenario_toml") == want.scenario_toml);
    CHECK(f.open_group("/scenario").string_attr("scenario_name") == "Wales baseline");
}

TEST_CASE("a compare file keeps both arms' scenarios", "[unit][io]") {
    TempDir dir;
    const auto path = dir / "compare.h5";
    {
        File f = File::create(path);
        Provenance a = sample_provenance();
        a.kind = "compare";
        Provenance b = a;
        b.scenario_name = "More beds";
        b.providers_csv = "provider,beds\nTŷ Hafan,20\n";
        write_provenance(f, a, "/arms/A/scenario");
        write_scenario_inputs(f, "/arms/B/scenario", b);
        f.close();
    }
    const File f = open_results(path);
    CHECK(f.string_attr("kind") == "compare");
    CHECK(read_provenance(f, "/arms/A/scenario").providers_csv == "provider,beds\nTŷ Hafan,10\n");
    CHECK(read_provenance(f, "/arms/B/scenario").providers_csv == "provider,beds\nTŷ Hafan,20\n");
    CHECK(f.open_group("/arms/B/scenario").string_attr("scenario_name") == "More beds");
    CHECK(f.open_group("/arms").children() == std::vector<std::string>{"A", "B"});
    CHECK(read_provenance(f).scenario_toml.empty());  // no /scenario in a compare file

    File g = File::create(dir / "bad.h5");
    Provenance bad = sample_provenance();
    bad.kind = "walk";
    CHECK_THROWS_WITH(write_provenance(g, bad), Contains("expected \"run\", \"compare\" or \"sweep\""));
}

TEST_CASE("open_results rejects files it cannot read, with clear errors", "[unit][io]") {
    TempDir dir;
    const auto missing = dir / "missing.h5";
    CHECK_THROWS_WITH(open_results(missing), missing.string() + ": no such file");

    const auto text = dir / "notes.h5";
    write_file(text, "this is not HDF5 at all, just some bytes\n");
    CHECK_THROWS_WITH(open_results(text), text.string() + ": not an HDF5 file");

    const auto good = dir / "good.h5";
    write_sample(good);
    CHECK_NOTHROW(open_results(good));
    const std::string bytes = read_file(good);
    const auto truncated = dir / "truncated.h5";
    write_file(truncated, bytes.substr(0, bytes.size() * 2 / 3));
    CHECK_THROWS_WITH(open_results(truncated),
                      StartsWith(truncated.string() + ": ") && Contains("truncated or corrupt") && Contains("HDF5: "));

    const auto foreign = dir / "foreign.h5";
    {
        File f = File::create(foreign);
        f.write_dataset("positions", std::vector<double>{1, 2}, {2});
        f.close();
    }
    CHECK_THROWS_WITH(open_results(foreign),
                      foreign.string() + ": not a cpcsim results file (no 'format' attribute on the root group)");

    const auto other = dir / "other.h5";
    {
        File f = File::create(other);
        f.set_string_attr("format", "absim-output");
        f.close();
    }
    CHECK_THROWS_WITH(
        open_results(other),
        StartsWith(other.string() + ": not a cpcsim results file (no 'format' attribute") && Contains("absim-output"));

    const auto newer = dir / "newer.h5";
    {
        File f = File::create(newer);
        write_provenance(f, sample_provenance());
        f.set_int_attr("schema_version", kSchemaVersion + 1);
        f.close();
    }
    CHECK_THROWS_WITH(open_results(newer), Contains("schema version 2, newer than this program") &&
                                               Contains("supports schema versions 1 to 1"));
}

TEST_CASE("describe_results lists provenance, datasets with shapes, and the file size", "[unit][io]") {
    TempDir dir;
    const auto path = dir / "run.h5";
    write_sample(path);
    const std::string d = describe_results(path);
    INFO(d);
    CHECK_THAT(d, Contains("cpcsim results file " + path.string()));
    CHECK(std::regex_search(d, std::regex("\n  format +cpcsim-results\n")));
    CHECK(std::regex_search(d, std::regex("\n  schema_version +1\n")));
    CHECK(std::regex_search(d, std::regex("\n  kind +run\n")));
    CHECK(std::regex_search(d, std::regex("\n  seed +18446744073709551615\n")));
    CHECK(std::regex_search(d, std::regex("\n  scenario_name +Wales baseline\n")));
    CHECK(std::regex_search(d, std::regex("\n  outcomes/ +group\n")));
    CHECK(std::regex_search(
        d,
        std::regex(R"(\n    deaths +int64 \[2 x 2 x 3\] \(replicate, area, quintile\); compact; 96 bytes stored\n)")));
    CHECK(std::regex_search(
        d,
        std::regex(
            R"(\n    wait_days +float64 \[3 x 5000\] \(replicate, child\); chunked \[3 x 5000\], shuffle\+deflate\(4\)\+fletcher32; [0-9,]+ bytes stored\n)")));
    CHECK(std::regex_search(
        d, std::regex(R"(\n    area +string \(variable-length, UTF-8\) \[2\] \(area\); contiguous; )")));
    CHECK(std::regex_search(d,
                            std::regex(R"(\n    scenario_toml +string \(variable-length, UTF-8\) \[\] \(scalar\); )")));
    CHECK_THAT(d, Contains("File size: "));
    CHECK_THROWS_AS(describe_results(dir / "missing.h5"), Error);
}

TEST_CASE("the same inputs give byte-identical files (no time stamps)", "[unit][io]") {
    TempDir dir;
    write_sample(dir / "a.h5");
    write_sample(dir / "b.h5");
    const std::string a = read_file(dir / "a.h5");
    CHECK(a.size() > 1000);
    CHECK(a == read_file(dir / "b.h5"));
}

TEST_CASE("utc_now_iso8601 gives an ISO 8601 UTC time", "[unit][io]") {
    CHECK(std::regex_match(utc_now_iso8601(),
                           std::regex(R"(20[0-9]{2}-[01][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-6][0-9]Z)")));
}

TEST_CASE("h5py reads a cpcsim results file", "[unit][io]") {
    int status = 0;
    (void)run_command("/usr/bin/python3 -c \"import h5py\" 2>/dev/null", status);
    if (status != 0) {
        WARN("/usr/bin/python3 has no h5py; h5py interoperability not checked");
        return;
    }
    TempDir dir;
    const auto path = dir / "run.h5";
    write_sample(path);
    const auto script = dir / "read.py";
    write_file(script, R"PY(
import sys, h5py
f = h5py.File(sys.argv[1], "r")
d = f["outcomes/deaths"]
print("shape", d.shape, d.dtype)
print("values", d[...].ravel().tolist())
print("dims", [str(x) for x in d.attrs["dims"]])
print("units", d.attrs["units"])
print("root", f.attrs["format"], int(f.attrs["schema_version"]), f.attrs["kind"], int(f.attrs["seed"]),
      int(f.attrs["replicates"]), f.attrs["scenario_name"])
w = f["outcomes/wait_days"]
print("wait", w.shape, w.compression, w.shuffle, float(w[...].sum()), float(w[2, 4999]))
print("areas", f["labels/area"].asstr()[...].tolist())
print("toml", repr(f["scenario/scenario_toml"].asstr()[()]))
)PY");
    const std::string out = run_command(
        "PYTHONIOENCODING=utf-8 /usr/bin/python3 '" + script.string() + "' '" + path.string() + "' 2>&1", status);
    INFO(out);
    REQUIRE(status == 0);
    double sum = 0;
    for (int i = 0; i < 15000; ++i) sum += i * 0.5;
    const std::string expected =
        "shape (2, 2, 3) int64\n"
        "values [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]\n"
        "dims ['replicate', 'area', 'quintile']\n"
        "units children\n"
        "root cpcsim-results 1 run 18446744073709551615 2 Wales baseline\n"
        "wait (3, 5000) gzip True " +
        std::to_string(static_cast<long long>(sum)) +
        ".0 7499.5\n"
        "areas ['Ynys Môn', 'Cardiff']\n"
        "toml '[scenario]\\nname = \"Wales baseline\"\\n'\n";
    CHECK(out == expected);
}
