// The explorer behind `cpcsim serve` (issue 15): requests are checked against the levers and
// the scenario's own validation, no request names a file outside the results folder, and a new
// job supersedes the waiting one and stops the running one.
#include "core/error.hpp"
#include "engine/runner.hpp"
#include "explorer/explorer.hpp"
#include "explorer/job_queue.hpp"
#include "explorer/solve_job.hpp"
#include "model/parameter_table.hpp"
#include "scenario/toml_text.hpp"

#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include <unistd.h>

using namespace cpcsim;
using namespace cpcsim::explorer;
namespace fs = std::filesystem;

namespace {

const fs::path kTwoArea = fs::path(CPCSIM_SOURCE_DIR) / "tests/data/two-area/scenario.toml";

std::string problems_of(const std::function<void()>& f) {
    try {
        f();
    } catch (const Error& e) {
        std::string all;
        for (const auto& p : e.problems()) all += p.to_string() + "\n";
        return all;
    }
    return "";
}

/// Four paired replicates in steps of two on two threads, seed 7.
Options small_options() {
    Options o;
    o.replicates = 4;
    o.batch = 2;
    o.threads = 2;
    o.seed = 7;
    return o;
}

struct TempDir {
    fs::path path =
        fs::temp_directory_path() / ("cpcsim-explorer-" + std::to_string(::getpid()) + "-" +
                                     std::to_string(std::chrono::steady_clock::now().time_since_epoch().count()));
    TempDir() { fs::create_directories(path); }
    ~TempDir() { fs::remove_all(path); }
};

}  // namespace

TEST_CASE("explorer requests become --set overrides of levers only", "[unit][explorer]") {
    const auto base = load_scenario(kTwoArea, {}, model_parameters());
    const auto ls = levers(base, model_parameters());
    REQUIRE(ls.size() == 15);  // 9 network mechanisms, 2 funding multipliers, 4 statutory by type
    CHECK(ls[11].key == "funding.statutory_by_type.hospice");
    CHECK(ls[0].key == "network.coordinator_wte");

    const auto o = lever_overrides({{"funding.statutory_multiplier", "1.5"}, {"network.rota_24_7", "true"}}, ls);
    REQUIRE(o.size() == 2);
    CHECK(o[0] == "network.rota_24_7=true");  // lever order, not request order
    CHECK(o[1] == "funding.statutory_multiplier=1.5");

    CHECK(problems_of([&] {
              (void)lever_overrides({{"population.prevalence_multiplier", "2"}}, ls);
          }).find("field population.prevalence_multiplier: not a lever") != std::string::npos);
    CHECK(problems_of([&] {
              (void)lever_overrides({{"network.rota_24_7", "1"}}, ls);
          }).find("expected true or false") != std::string::npos);
    // TOML that would smuggle another key in is not a plain number.
    for (const std::string& bad :
         std::vector<std::string>{"1\nrun.years = 1", "0x10", "nan", "inf", "1,2", "", "[1]", "\"1\""})
        CHECK(problems_of([&] {
                  (void)lever_overrides({{"network.training", bad}}, ls);
              }).find("expected a plain number") != std::string::npos);
    CHECK(problems_of([&] {
              (void)lever_overrides({{"network.training", "0.5"}, {"network.training", "0.6"}}, ls);
          }).find("given twice") != std::string::npos);
    // Every problem is reported at once.
    const auto both = problems_of([&] { (void)lever_overrides({{"x", "1"}, {"network.shared_records", "yes"}}, ls); });
    CHECK(both.find("field x") != std::string::npos);
    CHECK(both.find("field network.shared_records") != std::string::npos);
}

TEST_CASE("explorer values out of range get the scenario's own errors", "[unit][explorer]") {
    const auto base = load_scenario(kTwoArea, {}, model_parameters());
    const auto ls = levers(base, model_parameters());
    const auto e = problems_of([&] {
        (void)load_scenario(kTwoArea, lever_overrides({{"network.leadership", "2"}}, ls), model_parameters());
    });
    CHECK(e.find("network.leadership") != std::string::npos);
    CHECK(e.find("0") != std::string::npos);
}

TEST_CASE("explorer file names stay inside the results folder", "[unit][explorer]") {
    const fs::path dir = "/results";
    CHECK(file_in(dir, "my-plan_2.toml", ".toml", "name") == fs::path("/results/my-plan_2.toml"));
    for (const std::string& bad :
         std::vector<std::string>{"../x.toml", "a/b.toml", "/etc/x.toml", ".hidden.toml", ".toml", "x.h5", "x.toml/",
                                  "x y.toml", "x\n.toml", "..", "", std::string(120, 'a') + ".toml"})
        CHECK(problems_of([&] { (void)file_in(dir, bad, ".toml", "name"); }).find("expected a plain file name") !=
              std::string::npos);
}

TEST_CASE("explorer JSON strings are escaped", "[unit][explorer]") {
    CHECK(json_string("a\"b\\c\nd\x01") == "\"a\\\"b\\\\c\\nd\\u0001\"");
}

TEST_CASE("a new explorer job supersedes the waiting one and stops the running one", "[unit][explorer]") {
    JobQueue q;
    std::atomic<bool> first_started{false}, second_ran{false}, third_ran{false};
    std::atomic<int> first_batches{0};
    const auto a = q.submit([&](std::int64_t, const std::atomic<bool>& cancelled) {
        first_started = true;
        while (!cancelled) {  // a long run, in batches, checking between them
            ++first_batches;
            std::this_thread::sleep_for(std::chrono::milliseconds(2));
        }
    });
    while (!first_started) std::this_thread::yield();
    CHECK(q.state(a) == JobState::Running);
    const auto b = q.submit([&](std::int64_t, const std::atomic<bool>&) { second_ran = true; });
    const auto c = q.submit([&](std::int64_t id, const std::atomic<bool>&) { third_ran = id == 3; });
    q.wait_idle();
    CHECK(q.state(a) == JobState::Cancelled);
    CHECK(q.state(b) == JobState::Superseded);
    CHECK(q.state(c) == JobState::Done);
    CHECK_FALSE(second_ran);
    CHECK(third_ran);
    CHECK(q.state(99) == JobState::Unknown);
    // A job that throws is marked failed and the queue carries on.
    const auto d = q.submit([](std::int64_t, const std::atomic<bool>&) { throw Error("x", "y", "z"); });
    q.wait_idle();
    CHECK(q.state(d) == JobState::Failed);
    const auto e = q.submit([](std::int64_t, const std::atomic<bool>&) {});
    q.wait_idle();
    CHECK(q.state(e) == JobState::Done);
}

TEST_CASE("explorer runs a changed scenario against its cached baseline and saves it", "[regression][explorer]") {
    TempDir dir;
    Explorer ex(kTwoArea, dir.path, small_options());
    CHECK(ex.status_json(0).find("\"done\":0") != std::string::npos);
    CHECK(problems_of([&] {
              (void)ex.submit({{"network.leadership", "2"}});
          }).find("network.leadership") != std::string::npos);
    const auto id = ex.submit({{"network.rota_24_7", "true"}, {"funding.statutory_multiplier", "1.5"}});
    ex.wait_idle();
    const auto json = ex.status_json(id);
    INFO(json.substr(0, 400));
    CHECK(json.find("\"state\":\"done\"") != std::string::npos);
    CHECK(json.find("\"done\":4") != std::string::npos);
    CHECK(json.find("\"name\":\"access_rate\"") != std::string::npos);
    CHECK(json.find("\"areas\":[") != std::string::npos);
    CHECK(ex.results_csv().find("\naccess_rate,\"all\",") != std::string::npos);

    CHECK(problems_of([&] { (void)ex.save_scenario("../escape.toml"); }).find("plain file name") != std::string::npos);
    CHECK_FALSE(fs::exists(dir.path.parent_path() / "escape.toml"));
    const auto saved = ex.save_scenario("plan.toml");
    CHECK(saved == dir.path / "plan.toml");
    const auto back = load_scenario(saved, {}, model_parameters());
    CHECK(back.params.get("funding.statutory_multiplier") == 1.5);
    CHECK(back.params.flag("network.rota_24_7"));
    const auto h5 = ex.save_results_h5("plan.h5");
    CHECK(fs::file_size(h5) > 0);
}

namespace {

/// The scenario a request gives: its fields through parse_request, then load_scenario with them.
Scenario load_request(const Fields& fields) {
    const auto base = load_scenario(kTwoArea, {}, model_parameters());
    const auto r = parse_request(fields, levers(base, model_parameters()), model_parameters());
    return load_scenario(kTwoArea, r.overrides, model_parameters(), AddedLayer{"request", r.layer});
}

/// The messages (without file and line) of the problems `f` throws.
std::vector<std::string> messages_of(const std::function<void()>& f) {
    try {
        f();
    } catch (const Error& e) {
        std::vector<std::string> out;
        for (const auto& p : e.problems()) out.push_back(p.message);
        return out;
    }
    return {};
}

/// A child of the two-area scenario with `tables` appended, as a file would give them.
fs::path child_file(const TempDir& dir, const std::string& tables) {
    const auto path = dir.path / "child.toml";
    std::ofstream(path) << "[scenario]\nextends = " << toml_quoted(kTwoArea.string()) << "\n" << tables;
    return path;
}

}  // namespace

TEST_CASE("explorer lever sets for a place and new posts are checked field by field", "[unit][explorer]") {
    const auto base = load_scenario(kTwoArea, {}, model_parameters());
    const auto ls = levers(base, model_parameters());
    const auto& reg = model_parameters();
    const auto r = parse_request({{"local.1.icb", "Test ICB"},
                                  {"local.1.rota_24_7", "true"},
                                  {"post.1.provider", "hospice-north"},
                                  {"post.1.wte", "2"},
                                  {"network.training", "0.5"}},
                                 ls, reg);
    CHECK(r.overrides == std::vector<std::string>{"network.training=0.5"});
    CHECK(r.layer.find("[[local_network]]") != std::string::npos);
    CHECK(r.layer.find("icb = \"Test ICB\"") != std::string::npos);
    CHECK(r.layer.find("target = \"hospice-north\"") != std::string::npos);
    CHECK(r.layer.find("year = 0.0") != std::string::npos);  // from the start unless a year is given
    CHECK(r.summary.size() == 2);

    const auto p = [&](const Fields& f) { return problems_of([&] { (void)parse_request(f, ls, reg); }); };
    CHECK(p({{"local.1.icb", "A"}, {"local.1.icb", "B"}}).find("field local.1.icb: given twice") != std::string::npos);
    CHECK(p({{"local.9.icb", "A"}}).find("K from 1 to 8") != std::string::npos);
    CHECK(p({{"local.x.icb", "A"}}).find("K from 1 to 8") != std::string::npos);
    CHECK(p({{"local.1", "A"}}).find("K from 1 to 8") != std::string::npos);
    CHECK(p({{"local.1.pooling_max_travel_minutes", "30"}}).find("not a lever that can be set for a place") !=
          std::string::npos);
    CHECK(p({{"local.1.rota_24_7", "1"}}).find("expected true or false") != std::string::npos);
    CHECK(p({{"local.1.training", "1\n[[local_network]]"}}).find("plain number") != std::string::npos);
    CHECK(p({{"local.1.icb", "A\"\n[x]"}}).find("expected the name of an ICB") != std::string::npos);
    CHECK(p({{"post.1.wte", "2"}}).find("field post.1.provider: missing") != std::string::npos);
    CHECK(p({{"post.1.provider", "hospice"}, {"post.1.wte", "1"}}).find("id of one provider") != std::string::npos);
    CHECK(p({{"post.1.provider", "all"}, {"post.1.wte", "1"}}).find("id of one provider") != std::string::npos);
    CHECK(p({{"post.1.provider", "x"}, {"post.1.income", "all"}}).find("statutory or charitable") != std::string::npos);
    CHECK(p({{"post.1.provider", "x"}, {"post.1.beds", "2"}}).find("not a field of a funding change") !=
          std::string::npos);
    // A selection by ICB and/or provider type instead of one provider, never both.
    const auto sel = parse_request(
        {{"post.1.icb", "Test ICB"}, {"post.1.provider_type", "ccn"}, {"post.1.multiplier", "0.8"}}, ls, reg);
    CHECK(sel.layer.find("icb = \"Test ICB\"") != std::string::npos);
    CHECK(sel.layer.find("provider_type = \"ccn\"") != std::string::npos);
    CHECK(sel.layer.find("multiplier = 0.8") != std::string::npos);
    CHECK(sel.layer.find("target") == std::string::npos);
    CHECK(p({{"post.1.provider", "x"}, {"post.1.icb", "Test ICB"}, {"post.1.wte", "1"}}).find("not both") !=
          std::string::npos);
    CHECK(p({{"post.1.provider_type", "hospital"}, {"post.1.wte", "1"}}).find("expected hospice, sppc or ccn") !=
          std::string::npos);
    CHECK(p({{"post.1.icb", "A\"\n[x]"}, {"post.1.wte", "1"}}).find("expected the name of an ICB") !=
          std::string::npos);
    CHECK(parse_request({{"uncertainty", "prior"}}, ls, reg).uncertainty == 1);
    CHECK(parse_request({}, ls, reg).uncertainty == -1);
    CHECK(p({{"uncertainty", "maybe"}}).find("field uncertainty: expected none or prior") != std::string::npos);
    CHECK(p({{"uncertainty", "none"}, {"uncertainty", "prior"}}).find("given twice") != std::string::npos);
    // Every problem at once, region-wide levers included.
    const auto all = p({{"x", "1"}, {"local.1.bogus", "1"}, {"post.2.wte", "1"}});
    CHECK(all.find("field x") != std::string::npos);
    CHECK(all.find("field local.1.bogus") != std::string::npos);
    CHECK(all.find("field post.2.provider") != std::string::npos);
}

TEST_CASE("explorer places and posts get the scenario's own messages, as a file would", "[unit][explorer]") {
    TempDir dir;
    // The same mistakes in a request and in a file: the same messages.
    const std::vector<std::pair<Fields, std::string>> cases = {
        {{{"local.1.icb", "Nowhere ICB"}, {"local.1.rota_24_7", "true"}},
         "[[local_network]]\nicb = \"Nowhere ICB\"\nrota_24_7 = true\n"},
        {{{"local.1.areas", "T00000001,E99999999"}}, "[[local_network]]\nareas = [\"T00000001\", \"E99999999\"]\n"},
        {{{"local.1.icb", "Test ICB"}, {"local.1.leadership", "2"}},
         "[[local_network]]\nicb = \"Test ICB\"\nleadership = 2\n"},
        {{{"local.1.icb", "Test ICB"}, {"local.1.areas", "T00000001"}},
         "[[local_network]]\nicb = \"Test ICB\"\nareas = [\"T00000001\"]\n"},
        {{{"post.1.provider", "no-such-hospice"}, {"post.1.wte", "2"}},
         "[[funding_change]]\ntarget = \"no-such-hospice\"\nwte = 2\nyear = 0\n"},
        {{{"post.1.provider", "hospice-north"}, {"post.1.wte", "5000"}},
         "[[funding_change]]\ntarget = \"hospice-north\"\nwte = 5000\nyear = 0\n"},
        {{{"post.1.provider", "hospice-north"}, {"post.1.wte", "1"}, {"post.1.amount_gbp", "1000"}},
         "[[funding_change]]\ntarget = \"hospice-north\"\nwte = 1\namount_gbp = 1000\nyear = 0\n"},
        {{{"post.1.provider", "hospice-north"}, {"post.1.amount_gbp", "1000"}, {"post.1.year", "61"}},
         "[[funding_change]]\ntarget = \"hospice-north\"\namount_gbp = 1000\nyear = 61\n"},
        {{{"post.1.icb", "Nowhere ICB"}, {"post.1.multiplier", "0.8"}},
         "[[funding_change]]\nicb = \"Nowhere ICB\"\nmultiplier = 0.8\nyear = 0\n"},
        {{{"post.1.icb", "Test ICB"}, {"post.1.provider_type", "sppc"}, {"post.1.multiplier", "0"}},
         "[[funding_change]]\nicb = \"Test ICB\"\nprovider_type = \"sppc\"\nmultiplier = 0\nyear = 0\n"},
    };
    for (const auto& one : cases) {
        const auto& fields = one.first;  // not a structured binding: clang before 16 cannot capture one
        const auto& tables = one.second;
        INFO(tables);
        const auto from_request = messages_of([&] { (void)load_request(fields); });
        const auto from_file =
            messages_of([&] { (void)load_scenario(child_file(dir, tables), {}, model_parameters()); });
        REQUIRE_FALSE(from_request.empty());
        CHECK(from_request == from_file);
    }
    // The added layer's own checks: no [scenario] or [uncertainty] table; a syntax error is one.
    const auto layer = [](const std::string& toml) {
        return problems_of([&] { (void)load_scenario(kTwoArea, {}, model_parameters(), AddedLayer{"request", toml}); });
    };
    CHECK(layer("[scenario]\nname = \"x\"\n").find("request: line 1: 'scenario' cannot be set here") !=
          std::string::npos);
    CHECK(layer("[[local_network]\n").find("request: line 1: TOML syntax error") != std::string::npos);
    // The messages name the problem in the scenario's words.
    const auto icb = problems_of([&] { (void)load_request({{"local.1.icb", "Nowhere ICB"}}); });
    CHECK(icb.find("request: line") == 0);
    CHECK(icb.find("unknown ICB 'Nowhere ICB'; expected one of Test ICB") != std::string::npos);
    CHECK(problems_of([&] {
              (void)load_request({{"post.1.provider", "hospice-north"}, {"post.1.wte", "5000"}});
          }).find("expected posts in WTE added") != std::string::npos);
}

TEST_CASE("explorer lever sets for a place and new posts reproduce the same file bit for bit",
          "[regression][explorer]") {
    TempDir dir;
    const auto from_request = load_request({{"local.1.areas", "T00000002"},
                                            {"local.1.rota_24_7", "true"},
                                            {"local.1.training", "0.5"},
                                            {"local.2.icb", "Test ICB"},
                                            {"local.2.leadership", "0.25"},
                                            {"post.1.provider", "hospice-north"},
                                            {"post.1.wte", "2"},
                                            {"post.1.year", "1"},
                                            {"post.2.provider", "ccn-south"},
                                            {"post.2.amount_gbp", "150000"},
                                            {"post.2.income", "charitable"},
                                            {"post.3.icb", "Test ICB"},
                                            {"post.3.provider_type", "sppc"},
                                            {"post.3.multiplier", "0.7"},
                                            {"post.3.year", "1"},
                                            {"funding.statutory_by_type.ccn", "1.4"}});
    const auto from_file =
        load_scenario(child_file(dir,
                                 "[funding]\nstatutory_by_type.ccn = 1.4\n"
                                 "[[local_network]]\nareas = [\"T00000002\"]\nrota_24_7 = true\n"
                                 "training = 0.5\n"
                                 "[[local_network]]\nicb = \"Test ICB\"\nleadership = 0.25\n"
                                 "[[funding_change]]\nyear = 1\ntarget = \"hospice-north\"\nwte = 2\n"
                                 "[[funding_change]]\nyear = 0\ntarget = \"ccn-south\"\n"
                                 "income = \"charitable\"\namount_gbp = 150000\n"
                                 "[[funding_change]]\nyear = 1\nicb = \"Test ICB\"\nprovider_type = \"sppc\"\n"
                                 "multiplier = 0.7\n"),
                      {}, model_parameters());
    REQUIRE(from_request.local_networks.size() == 2);
    REQUIRE(from_request.funding_changes.size() == 3);
    const auto a = run_replicates(from_request, 11, 0, 2, 1);
    const auto b = run_replicates(from_file, 11, 0, 2, 1);
    const auto base = run_replicates(load_scenario(kTwoArea, {}, model_parameters()), 11, 0, 2, 1);
    for (std::size_t i = 0; i < a.size(); ++i) {
        CHECK(a[i].annual == b[i].annual);
        CHECK(a[i].monthly == b[i].monthly);
        CHECK(a[i].provider == b[i].provider);
        CHECK(a[i].network_cost == b[i].network_cost);
        CHECK(a[i].annual != base[i].annual);  // the levers did something
    }
}

TEST_CASE("explorer with parameter uncertainty: both arms of a pair take the same draw", "[regression][explorer]") {
    TempDir dir;
    Explorer ex(kTwoArea, dir.path, small_options());
    const auto mean_of = [](const std::string& json, const std::string& measure, const std::string& arm) {
        const auto at = json.find("{\"name\":\"" + measure + "\"");
        const auto m = json.find("\"" + arm + "\":{\"mean\":", at);
        return std::stod(json.substr(m + arm.size() + 11));
    };
    // No lever moved: with the same draw in both arms every difference is exactly 0.
    const auto same = ex.submit({{"uncertainty", "prior"}});
    ex.wait_idle();
    const auto json = ex.status_json(same);
    INFO(json.substr(0, 300));
    CHECK(json.find("\"uncertainty\":\"prior\"") != std::string::npos);
    CHECK(json.find("the same draw in both arms") != std::string::npos);
    CHECK(mean_of(json, "access_rate", "diff") == 0);
    CHECK(mean_of(json, "cost_total_per_year", "diff") == 0);
    // The draws change the baseline itself.
    const auto point = ex.submit({{"uncertainty", "none"}});
    ex.wait_idle();
    const auto json0 = ex.status_json(point);
    CHECK(json0.find("\"uncertainty\":\"none\"") != std::string::npos);
    CHECK(mean_of(json, "cost_total_per_year", "a") != mean_of(json0, "cost_total_per_year", "a"));
    // A lever with draws: a change, and the results file holds both arms' draws tables.
    const auto moved = ex.submit({{"uncertainty", "prior"}, {"network.rota_24_7", "true"}});
    ex.wait_idle();
    CHECK(mean_of(ex.status_json(moved), "cost_total_per_year", "diff") != 0);
    CHECK(fs::file_size(ex.save_results_h5("draws.h5")) > 0);
    const auto saved = ex.save_scenario("draws.toml");
    std::ifstream f(saved);
    const std::string text((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
    CHECK(text.find("--uncertainty prior --replicates-per-draw 2") != std::string::npos);
}

// The explorer's solves (POST /api/solve): fields checked like /api/run's, every problem at
// once; a solve runs as a queued job on the baseline and publishes the settings tried and its answer.
TEST_CASE("solve requests take the explorer's numeric levers and plain numbers only", "[unit][explorer][solve]") {
    const auto base = load_scenario(kTwoArea, {}, model_parameters());
    const auto ls = levers(base, model_parameters());
    const auto r = parse_solve_request({{"target", "diff access_rate >= 0.01"},
                                        {"low.funding.statutory_multiplier", "1"},
                                        {"high.funding.statutory_multiplier", "3"},
                                        {"low.network.coordinator_wte", "0"},
                                        {"high.network.coordinator_wte", "2"},
                                        {"confidence", "0.9"},
                                        {"minimise", "cost_total_per_year"},
                                        {"replicates", "4"}},
                                       ls, 20);
    CHECK(r.target.difference);
    REQUIRE(r.levers.size() == 2);
    CHECK(r.levers[0].key == "network.coordinator_wte");  // lever order
    CHECK(r.levers[1].high == 3.0);
    CHECK(r.confidence == 0.9);
    REQUIRE(r.objective);
    CHECK(r.objective_name == "cost_total_per_year");
    CHECK(r.replicates == 4);

    // Every problem at once, each naming its field.
    const auto all = problems_of([&] {
        (void)parse_solve_request({{"target", "access_rate > 1"},
                                   {"low.population.prevalence_multiplier", "1"},
                                   {"high.population.prevalence_multiplier", "2"},
                                   {"low.funding.statutory_multiplier", "1; rm"},
                                   {"high.funding.statutory_multiplier", "2"},
                                   {"low.network.rota_24_7", "0"},
                                   {"high.network.rota_24_7", "1"},
                                   {"confidence", "1.5"},
                                   {"minimise", "nope"},
                                   {"replicates", "500"},
                                   {"colour", "red"}},
                                  ls, 20);
    });
    INFO(all);
    CHECK(all.find("field target: expected MEASURE >= VALUE") != std::string::npos);
    CHECK(all.find("field target: missing") == std::string::npos);  // given, if badly
    CHECK(all.find("field low.network.rota_24_7: a switch") != std::string::npos);
    CHECK(all.find("field population.prevalence_multiplier: not a lever") != std::string::npos);
    CHECK(all.find("field funding.statutory_multiplier: expected a plain number") != std::string::npos);
    CHECK(all.find("field confidence: expected a plain number in (0, 1]") != std::string::npos);
    CHECK(all.find("field minimise: 'nope' is not a summary measure") != std::string::npos);
    CHECK(all.find("field replicates: expected a whole number from 2 to 20") != std::string::npos);
    CHECK(all.find("field colour: not a field of a solve") != std::string::npos);
    CHECK(problems_of([&] {
              (void)parse_solve_request({{"target", "access_rate >= 0.1"},
                                         {"low.network.rota_24_7", "false"},
                                         {"high.network.rota_24_7", "true"}},
                                        ls, 20);
          }).find("field low.network.rota_24_7: a switch (on or off), not a numeric lever") != std::string::npos);
    CHECK(problems_of([&] {
              (void)parse_solve_request({{"target", "access_rate >= 0.1"}, {"low.funding.statutory_multiplier", "2"}},
                                        ls, 20);
          }).find("give both low.funding.statutory_multiplier and high.") != std::string::npos);
    CHECK(problems_of([&] {
              (void)parse_solve_request({{"target", "access_rate >= 0.1"}}, ls, 20);
          }).find("no lever") != std::string::npos);
}

TEST_CASE("a solve runs as a job on the baseline and publishes its answer", "[regression][explorer][solve]") {
    const auto results = fs::temp_directory_path() / ("cpcsim-explorer-solve-" + std::to_string(::getpid()));
    fs::create_directories(results);
    {
        Options o;
        o.seed = 7;
        o.replicates = 2;
        o.batch = 2;
        o.threads = 1;
        Explorer ex(kTwoArea, results, o);
        const auto id = ex.submit_solve({{"target", "cost_total_per_year >= 6000000"},
                                         {"low.funding.statutory_multiplier", "0.5"},
                                         {"high.funding.statutory_multiplier", "2"},
                                         {"replicates", "2"}});
        CHECK(id == 1);
        ex.solves().wait_idle();
        const auto json = ex.solves().status_json(0);
        INFO(json);
        CHECK(json.find("{\"job\":1,\"state\":\"done\",\"result\":{\"target\":{\"measure\":\"cost_total_per_year\"") ==
              0);
        CHECK(json.find("\"answer\":{\"stage\":\"bisect\"") != std::string::npos);
        CHECK(json.find("\"replicates\":2") != std::string::npos);
        CHECK(json.back() == '}');
    }
    fs::remove_all(results);
}
