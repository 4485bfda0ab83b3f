// The scenario reader: the input is a scenario TOML file (next to the two-area tables). A scenario
// that loads must also load back from its resolved TOML (the provenance stored in every output)
// with the same parameter values.
#include "core/error.hpp"
#include "fuzz_support.hpp"
#include "model/parameter_table.hpp"
#include "scenario/scenario.hpp"

#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace cpcsim;
    const auto path = fuzz::write_input("input.toml", data, size);
    try {
        const Scenario sc = load_scenario(path, {}, model_parameters());
        const auto resolved = fuzz::scratch() / "resolved.toml";
        std::ofstream(resolved, std::ios::binary | std::ios::trunc) << sc.resolved_toml();
        const Scenario again = load_scenario(resolved, {}, model_parameters());
        for (std::size_t i = 0; i < sc.params.registry().specs().size(); ++i)
            if (sc.params.values(i) != again.params.values(i)) std::abort();  // provenance must round-trip
    } catch (const Error&) {
    }
    return 0;
}
