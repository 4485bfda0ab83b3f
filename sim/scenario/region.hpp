// The region of a scenario read from its CSV tables: areas, providers and (optionally) a
// measured travel-time matrix. Every problem is collected; nothing is thrown here.
#pragma once

#include "core/error.hpp"
#include "scenario/scenario.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cpcsim {

/// The provider type named `name` ("hospice", "sppc", "ccn", "hospital"), or nothing.
[[nodiscard]] std::optional<ProviderType> provider_type_from_name(std::string_view name) noexcept;

/// Reads areas.csv text (see docs/scenario-format.md). Shares are normalised to sum to 1.
std::vector<Area> read_areas(std::string_view text, const std::string& file, ProblemList& problems);

/// Reads providers.csv text; area codes are checked against `areas`, and every area must be in
/// the catchment of at least one hospice, one SPPC team and one CCN team.
std::vector<Provider> read_providers(std::string_view text, const std::string& file, const std::vector<Area>& areas,
                                     ProblemList& problems);

/// Reads a travel-time matrix (header "area,<provider id>,...", one row per area code) into
/// areas x providers minutes, row-major. Every pair must be given.
std::vector<double> read_travel_matrix(std::string_view text, const std::string& file, const std::vector<Area>& areas,
                                       const std::vector<Provider>& providers, ProblemList& problems);

}  // namespace cpcsim
