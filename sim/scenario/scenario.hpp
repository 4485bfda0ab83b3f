// The frozen description of one scenario: region (areas, providers), parameter values and the
// funding schedule. Built once by load_scenario(), validated with every problem reported at
// once, then only read: the simulation owns its own mutable state.
#pragma once

#include "core/vocabulary.hpp"
#include "scenario/params.hpp"
#include "scenario/uncertainty.hpp"

#include <array>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace cpcsim {

/// One area (default: an upper-tier local authority).
struct Area {
    std::string code;  ///< e.g. "E08000016"
    std::string name;
    std::string icb;
    double population_0_19 = 0;
    std::array<double, kQuintiles> quintile_share{};   ///< sums to 1; [0] = least deprived
    std::array<double, kEthnicGroups> ethnic_share{};  ///< sums to 1 (CSV holds percentages)
    double rural_share = 0;                            ///< 0..1 (CSV holds a percentage)
    double lat = 0, lon = 0;
};

enum class ProviderType { Hospice, Sppc, Ccn, Hospital };
[[nodiscard]] std::string_view provider_type_name(ProviderType t) noexcept;  // "hospice", ...

/// One provider (a children's hospice, an SPPC team, a CCN team or a hospital).
struct Provider {
    std::string id;  ///< short unique id, e.g. "martin-house"
    std::string name;
    ProviderType type = ProviderType::Hospice;
    std::string area;  ///< code of the area it stands in
    double lat = 0, lon = 0;
    std::vector<std::string> catchment;  ///< area codes it serves without a network
    double beds = 0;                     ///< hospice: staffed children's beds; hospital: paediatric beds
    double eol_beds = 0;                 ///< hospice: beds kept for end-of-life care
    double home_visits_per_day = 0;      ///< hospice-at-home visit slots per day
    double staff_wte = 0;                ///< clinical staff WTE at baseline funding
    /// SPPC contacts / CCN visits per WTE per calendar day when the table gives a measured figure;
    /// empty (the default): from staff time (model/staff_time.hpp, docs/model.md).
    std::optional<double> contacts_per_wte_day;
    bool out_of_hours = false;  ///< offers out-of-hours (24/7) cover on its own
    /// Role "advice" (column `role`; default "full"): an advice-only service takes no referrals and
    /// keeps no caseload, but gives out-of-hours advice (out_of_hours) and staffs the 24/7 rota.
    bool advice_only = false;
    bool picu = false;                                   ///< hospital: has a paediatric intensive care unit
    std::array<double, kCategories> accept{1, 1, 1, 1};  ///< own acceptance probability by category
    double statutory_income_gbp = 0;                     ///< per year, at baseline funding
    double charitable_income_gbp = 0;                    ///< per year, at baseline funding
    std::string source;                                  ///< where the numbers come from
};

/// Whether a provider's catchment holds an area: the provider serves the area's children without
/// a network. "*" (which the providers table expands to every code, but a scenario built in code
/// may keep) holds every area.
[[nodiscard]] bool catchment_holds(const Provider& p, const Area& a);

/// A change of funding from a point in simulated time on.
struct FundingChange {
    double year = 0;             ///< years from the start of the reported horizon
    std::string target = "all";  ///< "all", a provider type ("hospice", ...) or a provider id
    std::string income = "all";  ///< "statutory", "charitable" or "all"
    double multiplier = 1;       ///< applied to that income from `year` on (multiplies earlier ones)
    /// Instead of a multiplier: GBP per year added to that income ("all" means statutory), which
    /// buys staff at the provider's baseline budget per WTE.
    double amount_gbp = 0;
    /// Instead of a multiplier: new posts (WTE) added to each target from `year` on, paid from that
    /// income ("all" means statutory) at the cost per WTE of the provider type (funding.post_cost_gbp).
    double wte = 0;
    /// Instead of a multiplier: the targets give out-of-hours (24/7) cover from `year` on, as if
    /// flagged `out_of_hours` in the providers table, paid from that income ("all" means statutory)
    /// at funding.out_of_hours_cost_gbp a year of the provider type. A provider already flagged in
    /// the table is unchanged: its cover is in its published budget (docs/model.md, "Funding").
    bool out_of_hours = false;
    /// Instead of `target`: every provider standing in an area of this ICB (`icb` column of the
    /// areas table) and/or of this type (hospice, sppc or ccn); empty when not given.
    std::string icb, provider_type;
    /// Resolved at load when icb or provider_type is given (else empty): per provider (index of
    /// Scenario::providers), its share of amount_gbp (its baseline budget over the selection's)
    /// and of wte (its baseline WTE over the selection's); 0 for providers not selected.
    std::vector<double> amount_share, wte_share;
    std::vector<std::size_t> selection;  ///< the providers selected (indices), in table order
    [[nodiscard]] bool selects() const { return !icb.empty() || !provider_type.empty(); }
};

/// Network levers set for an ICB or a list of areas ([[local_network]]), applied in file order over
/// the region-wide [network] section: each area takes the region's values, then those of every
/// block that covers it, later blocks last.
struct LocalNetwork {
    std::string icb;                 ///< the ICB named, or empty when areas were listed
    std::vector<std::string> codes;  ///< the area codes listed, or empty when an ICB was named
    std::vector<std::size_t> areas;  ///< indices into Scenario::areas of the areas covered
    /// (registry index, value) of each lever set, in file order; keys are "network.<key>".
    std::vector<std::pair<int, double>> values;
};

/// A loaded, validated scenario.
struct Scenario {
    std::string name;
    std::string description;
    std::filesystem::path file;                ///< the scenario file that was loaded
    std::vector<std::filesystem::path> chain;  ///< the file and every base it extends, child first
    ParamSet params;
    std::vector<Area> areas;
    std::vector<Provider> providers;
    std::vector<FundingChange> funding_changes;
    std::vector<LocalNetwork> local_networks;  ///< in file order; empty: the network is region-wide
    /// Travel minutes from area a to provider p (areas x providers, row-major); filled from the
    /// supplied matrix where given, else from straight-line distance (see model docs).
    std::vector<double> travel_minutes;
    std::vector<std::string> overrides;  ///< the --set key=value strings applied, in order
    /// Per parameter (registry order), the distribution its draws come from: the declared one,
    /// replaced by the file's [uncertainty] table, and fixed where the file sets a value other
    /// than the default without giving a distribution (the scenario's value wins).
    std::vector<Distribution> uncertainty;
    std::vector<std::string> fixed_by_value;  ///< keys fixed that way
    UncertaintySettings draws;                ///< off unless the command line turns it on
    /// Parameters a calibrated ensemble would set but the scenario sets itself (its value or its
    /// own [uncertainty] entry): the scenario's choice wins and the ensemble's columns for them
    /// are not used (set_draws).
    std::vector<std::string> set_over_ensemble;

    /// Every parameter value, the scenario header and the funding schedule as a TOML document
    /// that loads back to the same values (provenance in output files).
    [[nodiscard]] std::string resolved_toml() const;
    std::string areas_csv;                      ///< text of the areas table as read
    std::string providers_csv;                  ///< text of the providers table as read
    std::filesystem::path areas_file;           ///< absolute path of the areas table
    std::filesystem::path providers_file;       ///< absolute path of the providers table
    std::filesystem::path travel_minutes_file;  ///< absolute path of the travel matrix; empty if computed

    [[nodiscard]] double travel(std::size_t area, std::size_t provider) const {
        return travel_minutes[area * providers.size() + provider];
    }
};

/// Loads and validates a scenario file (TOML), following `extends`, then applies `overrides`
/// ("key=value", value in TOML syntax). Parameters are those declared by `registry` (which must
/// outlive the Scenario): the model's are `model_parameters()` from model/parameter_table.hpp.
/// Throws cpcsim::Error listing every problem found.
Scenario load_scenario(const std::filesystem::path& file, const std::vector<std::string>& overrides,
                       const ParamRegistry& registry);

/// TOML text read as one more layer over the file's chain, after the files and before the
/// overrides, with the same checks and messages as a file (named `label` in problems). Its
/// [[funding_change]] and [[local_network]] tables are added after the files' tables rather
/// than replacing them, and its blocks are counted from 1 on their own. The explorer builds it
/// from a request's validated fields (docs/explorer.md); it names no other file.
struct AddedLayer {
    std::string label;
    std::string toml;
};
Scenario load_scenario(const std::filesystem::path& file, const std::vector<std::string>& overrides,
                       const ParamRegistry& registry, const AddedLayer& added);

}  // namespace cpcsim
