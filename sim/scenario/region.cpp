#include "scenario/region.hpp"

#include "scenario/csv.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <map>

namespace cpcsim {

std::string_view provider_type_name(ProviderType t) noexcept {
    return dims::provider_type.keys[static_cast<std::size_t>(t)];
}

bool catchment_holds(const Provider& p, const Area& a) {
    const auto& c = p.catchment;
    return std::find(c.begin(), c.end(), a.code) != c.end() || std::find(c.begin(), c.end(), "*") != c.end();
}

std::optional<ProviderType> provider_type_from_name(std::string_view name) noexcept {
    for (ProviderType t : {ProviderType::Hospice, ProviderType::Sppc, ProviderType::Ccn, ProviderType::Hospital})
        if (provider_type_name(t) == name) return t;
    return std::nullopt;
}

namespace {

// Plausible bounds of every number in the tables (docs/scenario-format.md says why). They are
// generous for one region's children's palliative care, so that the England-scale scenario and
// any real region fit, but catch typos, wrong units and values that would overflow the model's
// money and capacity arithmetic (1e308 incomes gave infinite costs).
// Great Britain; catches swapped or mistyped coordinates.
constexpr double kMinLat = 49, kMaxLat = 61, kMinLon = -8, kMaxLon = 2;
// London, the largest English region, has about 2.1 million people aged 0-19.
constexpr double kMaxPopulation = 3e6;
// Great Ormond Street, the largest children's hospital in the UK, has about 400 beds.
constexpr double kMaxBeds = 500;
// The largest children's hospices in England have 10-16 beds; 40 leaves room for one row that
// stands for several hospices.
constexpr double kMaxHospiceBeds = 40;
// A hospice-at-home team of 30 nurses makes at most about 60 visits a day.
constexpr double kMaxHomeVisitsPerDay = 100;
// The largest children's hospices employ about 100-150 clinical WTE.
constexpr double kMaxStaffWte = 500;
// A nurse or doctor makes at most about 8-10 contacts in a working day.
constexpr double kMaxContactsPerWteDay = 12;
// The largest children's hospice charities have a total income of GBP 20-30 million a year.
constexpr double kMaxIncomeGbp = 5e7;
// No road journey in Great Britain takes a day (Land's End to John o' Groats is about 15 hours).
constexpr double kMaxTravelMinutes = 1440;

const std::array<const char*, kQuintiles> kShareColumns = {"share_q1", "share_q2", "share_q3", "share_q4", "share_q5"};
const std::array<const char*, kEthnicGroups> kEthnicColumns = {"pct_white", "pct_south_asian", "pct_black",
                                                               "pct_mixed_other"};
/// accept_<category key>: the provider's own acceptance probability by ACT category.
const std::array<std::string, kCategories> kAcceptColumns = [] {
    std::array<std::string, kCategories> columns;
    for (std::size_t c = 0; c < columns.size(); ++c) columns[c] = "accept_" + std::string(dims::category.keys[c]);
    return columns;
}();

const csv::Schema& area_schema() {
    static const csv::Schema schema{
        {"la_code", "name", "icb", "population_0_19", "share_q1", "share_q2", "share_q3", "share_q4", "share_q5",
         "pct_white", "pct_south_asian", "pct_black", "pct_mixed_other", "pct_rural", "lat", "lon"},
        // Informational: accepted so that the published table can be used as it is, not used.
        {"population_total", "pop_0_19_source_year", "imd2019_rank_avg_score", "status", "source"}};
    return schema;
}

const csv::Schema& provider_schema() {
    static const csv::Schema schema{
        {"id", "name", "type", "area", "lat", "lon", "catchment"},
        // A missing optional column reads as blank cells (numbers 0, acceptance 1, flags 0).
        {"beds", "eol_beds", "home_visits_per_day", "staff_wte", "contacts_per_wte_day", "out_of_hours", "picu", "role",
         "accept_cat1", "accept_cat2", "accept_cat3", "accept_cat4", "statutory_income_gbp", "charitable_income_gbp",
         "source"}};
    return schema;
}

std::string join_codes(const std::vector<std::string>& items) {
    std::string s;
    for (const auto& item : items) s += (s.empty() ? "" : ", ") + item;
    return s;
}

}  // namespace

std::vector<Area> read_areas(std::string_view text, const std::string& file, ProblemList& problems) {
    const csv::Table table = csv::parse(text, file, problems);
    if (!csv::check_header(table, area_schema(), problems)) return {};
    if (table.rows.empty()) {
        problems.add(file, "", "no areas: the table needs at least one row");
        return {};
    }

    std::vector<Area> areas;
    std::map<std::string, std::size_t> first_line_of_code;
    for (const auto& row : table.rows) {
        csv::RowReader cells(table, row, problems);
        Area area;
        area.code = cells.text("la_code");
        area.name = cells.text("name");
        area.icb = cells.text("icb");
        if (area.code.empty()) {
            cells.problem("la_code", "missing area code");
        } else if (const auto [it, inserted] = first_line_of_code.emplace(area.code, row.line); !inserted) {
            cells.problem("la_code",
                          "duplicate area code '" + area.code + "' (first on row " + std::to_string(it->second) + ")");
        }
        area.population_0_19 = cells.number("population_0_19", 0, kMaxPopulation);
        if (cells.ok() && area.population_0_19 <= 0)
            cells.problem("population_0_19", "expected a population greater than 0");

        const std::size_t problems_before_shares = problems.size();
        double share_sum = 0;
        for (std::size_t q = 0; q < kShareColumns.size(); ++q) {
            area.quintile_share[q] = cells.number(kShareColumns[q], 0, 1);
            share_sum += area.quintile_share[q];
        }
        if (problems.size() == problems_before_shares) {
            if (std::abs(share_sum - 1) > 0.01)
                cells.problem("share_q1..share_q5", "deprivation quintile shares sum to " +
                                                        csv::format_number(share_sum) + "; expected 1 (within 0.01)");
            else
                for (double& s : area.quintile_share) s /= share_sum;
        }

        const std::size_t problems_before_ethnic = problems.size();
        double percent_sum = 0;
        for (std::size_t g = 0; g < kEthnicColumns.size(); ++g) {
            area.ethnic_share[g] = cells.number(kEthnicColumns[g], 0, 100);
            percent_sum += area.ethnic_share[g];
        }
        if (problems.size() == problems_before_ethnic) {
            if (std::abs(percent_sum - 100) > 1.0)
                cells.problem(
                    "pct_white..pct_mixed_other",
                    "ethnic group percentages sum to " + csv::format_number(percent_sum) + "; expected 100 (within 1)");
            else
                for (double& s : area.ethnic_share) s /= percent_sum;
        }

        area.rural_share = cells.number("pct_rural", 0, 100) / 100;
        area.lat = cells.number("lat", kMinLat, kMaxLat);
        area.lon = cells.number("lon", kMinLon, kMaxLon);
        areas.push_back(std::move(area));
    }
    return areas;
}

std::vector<Provider> read_providers(std::string_view text, const std::string& file, const std::vector<Area>& areas,
                                     ProblemList& problems) {
    const csv::Table table = csv::parse(text, file, problems);
    if (!csv::check_header(table, provider_schema(), problems)) return {};

    std::map<std::string, std::size_t> area_index;
    for (std::size_t a = 0; a < areas.size(); ++a) area_index.emplace(areas[a].code, a);
    // With no usable areas table its problems are already reported; checking codes against
    // nothing would only bury them.
    const bool check_codes = !areas.empty();

    std::vector<Provider> providers;
    std::vector<bool> type_known;  // a provider of unknown type counts for no kind of coverage
    std::map<std::string, std::size_t> first_line_of_id;
    for (const auto& row : table.rows) {
        csv::RowReader cells(table, row, problems);
        Provider p;
        p.id = cells.text("id");
        p.name = cells.text("name");
        if (p.id.empty()) {
            cells.problem("id", "missing provider id");
        } else if (p.id == "all" || provider_type_from_name(p.id)) {
            // Funding changes name their target by id, type or "all"; these must stay unambiguous.
            cells.problem("id", "'" + p.id + "' cannot be a provider id (reserved for funding_change targets)");
        } else if (const auto [it, inserted] = first_line_of_id.emplace(p.id, row.line); !inserted) {
            cells.problem("id",
                          "duplicate provider id '" + p.id + "' (first on row " + std::to_string(it->second) + ")");
        }

        const std::string type = cells.text("type");
        const auto parsed_type = provider_type_from_name(type);
        if (parsed_type)
            p.type = *parsed_type;
        else
            cells.problem("type", "expected hospice, sppc, ccn or hospital, got '" + type + "'");
        type_known.push_back(parsed_type.has_value());

        p.area = cells.text("area");
        if (p.area.empty())
            cells.problem("area", "missing area code");
        else if (check_codes && !area_index.contains(p.area))
            cells.problem("area", "unknown area code '" + p.area + "' (not in the areas table)");

        p.lat = cells.number("lat", kMinLat, kMaxLat);
        p.lon = cells.number("lon", kMinLon, kMaxLon);

        const std::string catchment = cells.text("catchment");
        std::size_t start = 0;
        while (start <= catchment.size()) {
            const auto end = std::min(catchment.find(';', start), catchment.size());
            const std::string code(csv::trim(std::string_view(catchment).substr(start, end - start)));
            start = end + 1;
            if (code.empty()) continue;
            if (code == "*") {
                for (const auto& area : areas) p.catchment.push_back(area.code);
            } else if (check_codes && !area_index.contains(code)) {
                cells.problem("catchment", "unknown area code '" + code + "' (not in the areas table)");
            } else {
                p.catchment.push_back(code);
            }
        }

        const bool hospice = parsed_type == ProviderType::Hospice;
        const std::string_view bed_note = hospice ? "for a hospice" : "";
        p.beds = cells.number("beds", 0, hospice ? kMaxHospiceBeds : kMaxBeds, 0, bed_note);
        p.eol_beds = cells.number("eol_beds", 0, hospice ? kMaxHospiceBeds : kMaxBeds, 0, bed_note);
        p.home_visits_per_day = cells.number("home_visits_per_day", 0, kMaxHomeVisitsPerDay, 0);
        p.staff_wte = cells.number("staff_wte", 0, kMaxStaffWte, 0);
        if (!cells.text("contacts_per_wte_day").empty())  // blank: from staff time
            p.contacts_per_wte_day = cells.number("contacts_per_wte_day", 0, kMaxContactsPerWteDay, 0);
        p.out_of_hours = cells.flag("out_of_hours");
        p.picu = cells.flag("picu");
        if (const std::string role = cells.text("role"); role == "advice")
            p.advice_only = true;
        else if (!role.empty() && role != "full")
            cells.problem("role",
                          "expected full (the default: takes referrals) or advice (advice only: no referrals, "
                          "no caseload), got '" +
                              role + "'");
        for (std::size_t c = 0; c < kAcceptColumns.size(); ++c) p.accept[c] = cells.number(kAcceptColumns[c], 0, 1, 1);
        p.statutory_income_gbp = cells.number("statutory_income_gbp", 0, kMaxIncomeGbp, 0);
        p.charitable_income_gbp = cells.number("charitable_income_gbp", 0, kMaxIncomeGbp, 0);
        p.source = cells.text("source");
        providers.push_back(std::move(p));
    }

    // Without a network every child still needs a route to each kind of core service.
    if (check_codes) {
        for (const auto& area : areas) {
            for (ProviderType needed : {ProviderType::Hospice, ProviderType::Sppc, ProviderType::Ccn}) {
                bool covered = false;
                for (std::size_t i = 0; i < providers.size(); ++i) {
                    const auto& catchment = providers[i].catchment;
                    if (type_known[i] && providers[i].type == needed && !providers[i].advice_only &&
                        std::find(catchment.begin(), catchment.end(), area.code) != catchment.end())
                        covered = true;
                }
                if (!covered)
                    problems.add(file, "catchment",
                                 "area " + area.code + " (" + area.name + ") is in the catchment of no " +
                                     std::string(provider_type_name(needed)) +
                                     " provider; every area needs at least one hospice, one sppc and one ccn");
            }
        }
    }
    return providers;
}

std::vector<double> read_travel_matrix(std::string_view text, const std::string& file, const std::vector<Area>& areas,
                                       const std::vector<Provider>& providers, ProblemList& problems) {
    const csv::Table table = csv::parse(text, file, problems);
    if (table.header.empty()) return {};
    const std::string header_where = "row " + std::to_string(table.header_line) + " (header)";
    if (table.header.front() != "area") {
        problems.add(file, header_where, "first column must be 'area', got '" + table.header.front() + "'");
        return {};
    }

    std::map<std::string, std::size_t> provider_index;
    std::vector<std::string> ids;
    for (std::size_t p = 0; p < providers.size(); ++p) {
        provider_index.emplace(providers[p].id, p);
        ids.push_back(providers[p].id);
    }
    std::vector<bool> provider_has_column(providers.size(), false);
    for (std::size_t c = 1; c < table.header.size(); ++c) {
        const std::string& id = table.header[c];
        const auto it = provider_index.find(id);
        if (it == provider_index.end()) {
            problems.add(file, header_where, "unknown provider id '" + id + "'; providers are: " + join_codes(ids));
        } else if (provider_has_column[it->second]) {
            problems.add(file, header_where, "provider '" + id + "' has more than one column");
        } else {
            provider_has_column[it->second] = true;
        }
    }
    for (std::size_t p = 0; p < providers.size(); ++p)
        if (!provider_has_column[p])
            problems.add(file, header_where, "no column for provider '" + providers[p].id + "'");

    std::map<std::string, std::size_t> area_index;
    for (std::size_t a = 0; a < areas.size(); ++a) area_index.emplace(areas[a].code, a);
    std::vector<std::size_t> row_of_area(areas.size(), 0);
    std::vector<double> minutes(areas.size() * providers.size(), std::numeric_limits<double>::quiet_NaN());
    for (const auto& row : table.rows) {
        csv::RowReader cells(table, row, problems);
        const std::string code = cells.text("area");
        const auto it = area_index.find(code);
        if (it == area_index.end()) {
            cells.problem("area", "unknown area code '" + code + "' (not in the areas table)");
            continue;
        }
        if (row_of_area[it->second] != 0) {
            cells.problem("area", "duplicate row for area '" + code + "' (first on row " +
                                      std::to_string(row_of_area[it->second]) + ")");
            continue;
        }
        row_of_area[it->second] = row.line;
        for (std::size_t p = 0; p < providers.size(); ++p)
            if (provider_has_column[p])
                minutes[it->second * providers.size() + p] = cells.number(providers[p].id, 0, kMaxTravelMinutes);
    }
    for (std::size_t a = 0; a < areas.size(); ++a)
        if (row_of_area[a] == 0)
            problems.add(file, "",
                         "no row for area '" + areas[a].code + "' (every area needs a travel time to every provider)");
    return minutes;
}

}  // namespace cpcsim
