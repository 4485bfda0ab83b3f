// The last check before a run's outputs are written (issue 9): measuring a run (which every
// writer does first) refuses a non-finite money, staff or capacity value, or an infinite derived
// measure, naming the dataset, the measure, the provider and the replicate.
#include "core/error.hpp"
#include "engine/replicate.hpp"
#include "metrics/run_measures.hpp"
#include "model/model_params.hpp"
#include "model/parameter_table.hpp"

#include <catch2/catch.hpp>

#include <limits>

namespace {
const cpcsim::Scenario& two_areas() {
    static const cpcsim::Scenario sc =
        cpcsim::load_scenario(std::filesystem::path(CPCSIM_SOURCE_DIR) / "tests/data/two-area/scenario.toml",
                              {"run.years=1"}, cpcsim::model_parameters());
    return sc;
}

std::string write_error(const std::vector<cpcsim::RunOutputs>& runs) {
    try {
        (void)cpcsim::measure_runs(two_areas(), runs, 7);
    } catch (const cpcsim::Error& e) {
        return e.what();
    }
    return "";
}
}  // namespace

TEST_CASE("non-finite outputs are an error naming the measure, not written", "[regression][metrics]") {
    const auto& sc = two_areas();
    const auto run = cpcsim::simulate_replicate(sc, cpcsim::ModelParams::from(sc.params), 1, 0);
    CHECK(write_error({run}).empty());  // the real outputs are finite

    SECTION("an infinite provider value (as from a 1e308 income)") {
        auto bad = run;
        bad.provider.at(cpcsim::kProviderVars + 0) = std::numeric_limits<double>::infinity();  // provider 1, var 0
        const std::string what = write_error({bad});
        CHECK_THAT(what, Catch::Matchers::Contains("runs/provider"));
        CHECK_THAT(what, Catch::Matchers::Contains(std::string(cpcsim::kProviderVarInfo[0].name)));
        CHECK_THAT(what, Catch::Matchers::Contains("'" + sc.providers[1].id + "'"));
        CHECK_THAT(what, Catch::Matchers::Contains("replicate 7 is inf"));
    }
    SECTION("a NaN network cost") {
        auto bad = run;
        bad.network_cost.at(0) = std::numeric_limits<double>::quiet_NaN();
        const std::string what = write_error({bad});
        CHECK_THAT(what, Catch::Matchers::Contains("runs/network_cost"));
        CHECK_THAT(what, Catch::Matchers::Contains("is NaN"));
    }
}
