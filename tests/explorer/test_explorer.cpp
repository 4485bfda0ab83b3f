// The explorer behind `cpcsim serve` (issue 15): requests are checked against the levers and
// the scenario's own validation, no request names a file outside the results folder, and a new
// job supersedes the waiting one and stops the running one.
#include "core/error.hpp"
#include "explorer/explorer.hpp"
#include "explorer/job_queue.hpp"
#include "explorer/solve_job.hpp"
#include "model/parameter_table.hpp"

#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <filesystem>
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
    REQUIRE(ls.size() == 11);
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
    Options o;
    o.replicates = 4;
    o.batch = 2;
    o.threads = 2;
    o.seed = 7;
    Explorer ex(kTwoArea, dir.path, o);
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
        Explorer ex(kTwoArea, results, Options{7, 2, 2, 1});
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
