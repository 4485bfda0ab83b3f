#include "scenario/geo.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace cpcsim {

double haversine_km(double lat1, double lon1, double lat2, double lon2) noexcept {
    constexpr double radians_per_degree = std::numbers::pi / 180.0;
    const double phi1 = lat1 * radians_per_degree;
    const double phi2 = lat2 * radians_per_degree;
    const double half_dphi = (phi2 - phi1) / 2;
    const double half_dlambda = (lon2 - lon1) * radians_per_degree / 2;
    const double h = std::sin(half_dphi) * std::sin(half_dphi) +
                     std::cos(phi1) * std::cos(phi2) * std::sin(half_dlambda) * std::sin(half_dlambda);
    // min() guards against h creeping above 1 through rounding for antipodal points.
    return 2 * kEarthRadiusKm * std::asin(std::min(1.0, std::sqrt(h)));
}

double travel_minutes_for(double km, double road_factor, double speed_kmh) noexcept {
    return km * road_factor / speed_kmh * 60.0;
}

std::vector<double> straight_line_travel_minutes(const std::vector<Area>& areas, const std::vector<Provider>& providers,
                                                 double road_factor, double speed_kmh) {
    std::vector<double> minutes;
    minutes.reserve(areas.size() * providers.size());
    for (const auto& area : areas)
        for (const auto& provider : providers)
            minutes.push_back(travel_minutes_for(haversine_km(area.lat, area.lon, provider.lat, provider.lon),
                                                 road_factor, speed_kmh));
    return minutes;
}

}  // namespace cpcsim
