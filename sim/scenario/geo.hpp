// Travel times between areas and providers when no measured matrix is supplied: great-circle
// distance between the area centroid and the provider, lengthened by a road factor (roads are
// not straight) and divided by an average speed.
#pragma once

#include "scenario/scenario.hpp"

#include <vector>

namespace cpcsim {

inline constexpr double kEarthRadiusKm = 6371.0088;  // IUGG mean radius
inline constexpr double kDefaultRoadFactor = 1.3;
inline constexpr double kDefaultSpeedKmh = 50.0;

/// Great-circle (haversine) distance in km between two points given in degrees.
[[nodiscard]] double haversine_km(double lat1, double lon1, double lat2, double lon2) noexcept;

/// Minutes of travel for a great-circle distance: km x road_factor / speed_kmh x 60.
[[nodiscard]] double travel_minutes_for(double km, double road_factor, double speed_kmh) noexcept;

/// Areas x providers, row-major, from each area centroid to each provider location.
[[nodiscard]] std::vector<double> straight_line_travel_minutes(const std::vector<Area>& areas,
                                                               const std::vector<Provider>& providers,
                                                               double road_factor, double speed_kmh);

}  // namespace cpcsim
