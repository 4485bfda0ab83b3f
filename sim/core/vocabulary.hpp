// The model's dimensions, each declared once: its size, the short key of each element (used by
// scenario files, CSV columns and parameter labels) and the label results files carry. Every
// folder takes sizes, keys and labels from here, so they cannot drift apart.
#pragma once

#include <array>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace cpcsim {

/// One dimension: a name and, per element in index order, a key and a display label.
template <std::size_t N>
struct Dimension {
    std::string_view name;                   ///< dimension name in results files, e.g. "quintile"
    std::array<std::string_view, N> keys;    ///< in scenario files and parameter labels, e.g. "Q1"
    std::array<std::string_view, N> labels;  ///< in results files, e.g. "Q1 (least deprived)"
    [[nodiscard]] static constexpr int size() noexcept { return static_cast<int>(N); }
    [[nodiscard]] std::vector<std::string> key_list() const { return {keys.begin(), keys.end()}; }
    [[nodiscard]] std::vector<std::string> label_list() const { return {labels.begin(), labels.end()}; }
};

namespace dims {

/// Age bands of entry rates, hazards and demographic tables.
inline constexpr Dimension<5> age_band{
    "age_band", {"<1", "1-5", "6-10", "11-15", "16+"}, {"<1", "1-5", "6-10", "11-15", "16+"}};
/// IMD quintile, index 0 = least deprived.
inline constexpr Dimension<5> quintile{
    "quintile", {"Q1", "Q2", "Q3", "Q4", "Q5"}, {"Q1 (least deprived)", "Q2", "Q3", "Q4", "Q5 (most deprived)"}};
inline constexpr Dimension<4> ethnic_group{
    "ethnic_group", {"White", "South Asian", "Black", "Mixed/Other"}, {"White", "South Asian", "Black", "Mixed/Other"}};
/// Where the child lives: 0 = urban, 1 = rural.
inline constexpr Dimension<2> rural{"rural", {"urban", "rural"}, {"urban", "rural"}};
inline constexpr Dimension<11> diagnosis{
    "diagnosis",
    {"congenital", "oncology", "neurological", "haematology", "respiratory", "perinatal", "genitourinary", "metabolic",
     "circulatory", "gastrointestinal", "other"},
    {"congenital", "oncology", "neurological", "haematology", "respiratory", "perinatal", "genitourinary", "metabolic",
     "circulatory", "gastrointestinal", "other"}};
/// ACT/TfSL category 1..4 (index 0..3); keys also name the providers table's accept_<key> columns.
inline constexpr Dimension<4> category{
    "category", {"cat1", "cat2", "cat3", "cat4"}, {"ACT 1", "ACT 2", "ACT 3", "ACT 4"}};
/// Phase of illness (Jarvis 2017), in order of severity.
inline constexpr Dimension<4> phase{
    "phase", {"stable", "unstable", "deteriorating", "dying"}, {"stable", "unstable", "deteriorating", "dying"}};
/// Place of care or death.
inline constexpr Dimension<3> place{"place", {"home", "hospice", "hospital"}, {"home", "hospice", "hospital"}};
/// Provider types, in the order of ProviderType.
inline constexpr Dimension<4> provider_type{
    "provider_type", {"hospice", "sppc", "ccn", "hospital"}, {"hospice", "sppc", "ccn", "hospital"}};
/// Services a child is referred to and kept on the caseload of (the first three provider types).
inline constexpr Dimension<3> service{"service", {"hospice", "sppc", "ccn"}, {"hospice", "sppc", "ccn"}};
/// Age at entry for the diagnosis mix.
inline constexpr Dimension<2> entry_age{"entry_age", {"infant", "child"}, {"infant", "child"}};

}  // namespace dims

inline constexpr int kAgeBands = dims::age_band.size();
inline constexpr int kQuintiles = dims::quintile.size();
inline constexpr int kEthnicGroups = dims::ethnic_group.size();
inline constexpr int kRural = dims::rural.size();
inline constexpr int kDiagnoses = dims::diagnosis.size();
inline constexpr int kCategories = dims::category.size();
inline constexpr int kPhases = dims::phase.size();
inline constexpr int kPlaces = dims::place.size();
inline constexpr int kProviderTypes = dims::provider_type.size();
inline constexpr int kServices = dims::service.size();

/// Age band of an age in days.
[[nodiscard]] inline int age_band(int age_days) noexcept {
    if (age_days < 365) return 0;
    if (age_days < 6 * 365) return 1;
    if (age_days < 11 * 365) return 2;
    if (age_days < 16 * 365) return 3;
    return 4;
}
/// Age in days at which the band after `band` starts.
[[nodiscard]] inline int band_end_days(int band) noexcept {
    constexpr int ends[kAgeBands] = {365, 6 * 365, 11 * 365, 16 * 365, 1 << 30};
    return ends[band];
}
/// Single years of age in each band for ages 0-19 (population denominators).
inline constexpr std::array<double, kAgeBands> kBandYears = {1, 5, 5, 5, 4};

}  // namespace cpcsim
