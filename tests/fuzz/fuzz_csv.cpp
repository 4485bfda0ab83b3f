// The CSV readers: the input is read as an areas table, as a providers table (against the
// two-area region's areas) and as a travel-time matrix (against its areas and providers).
#include "core/error.hpp"
#include "fuzz_support.hpp"
#include "model/parameter_table.hpp"
#include "scenario/csv.hpp"
#include "scenario/region.hpp"
#include "scenario/scenario.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace cpcsim;
    static const Scenario region = load_scenario(fuzz::scratch() / "scenario.toml", {}, model_parameters());
    const auto text = fuzz::as_text(data, size);
    ProblemList problems;
    (void)read_areas(text, "areas.csv", problems);
    (void)read_providers(text, "providers.csv", region.areas, problems);
    (void)read_travel_matrix(text, "travel.csv", region.areas, region.providers, problems);
    for (const auto& p : problems.items()) (void)p.to_string();
    if (const auto n = csv::parse_number(text)) (void)csv::format_number(*n);
    return 0;
}
