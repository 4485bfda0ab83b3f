// Travel times computed from geography (scenario/geo.cpp): great-circle distance, road factor, speed.
#include "scenario/geo.hpp"
#include "scenario_test_support.hpp"

using namespace scenario_test;

TEST_CASE("haversine distance matches a hand computation", "[unit][scenario]") {
    // Leeds (53.8254, -1.5051) to Sheffield (53.4046, -1.5512) centroids. By hand (flat-earth
    // approximation, good at this scale): 0.4208 deg of latitude x 111.195 km = 46.79 km north-south,
    // 0.0461 deg of longitude x cos(53.615 deg) x 111.195 km = 3.04 km east-west; sqrt of the sum of
    // squares = 46.89 km.
    CHECK(cpcsim::haversine_km(53.8254, -1.5051, 53.4046, -1.5512) == Approx(46.89).margin(0.01));
    CHECK(cpcsim::haversine_km(53.8254, -1.5051, 53.8254, -1.5051) == 0);
    // A quarter of a great circle: pi/2 x 6371.0088 km.
    CHECK(cpcsim::haversine_km(0, 0, 90, 0) == Approx(10007.54).margin(0.01));
    CHECK(cpcsim::travel_minutes_for(50, 1.3, 50) == Approx(78));
}

TEST_CASE("travel times without a matrix come from distance, road factor and speed", "[unit][scenario]") {
    // Provider 4 (ccn-sheffield) stands on the Sheffield centroid; area 0 is Leeds.
    SECTION("declared geography parameters, overridden") {
        const auto s = load("minimal.toml", {"geography.road_factor=1.5", "geography.speed_kmh=40"});
        CHECK(s.travel(0, 4) == Approx(46.89 * 1.5 / 40 * 60).margin(0.05));  // 105.5 minutes
        CHECK(s.travel(1, 4) == 0);
    }
    SECTION("registry without geography parameters: 1.3 and 50 km/h") {
        const auto s = cpcsim::load_scenario(data("minimal.toml"), {}, registry_without_geography());
        CHECK(s.travel(0, 4) == Approx(46.89 * 1.3 / 50 * 60).margin(0.05));  // 73.1 minutes
    }
}
