// --set parsing: every line of the input is one "key=value" override of the two-area scenario.
#include "core/error.hpp"
#include "fuzz_support.hpp"
#include "model/parameter_table.hpp"
#include "scenario/scenario.hpp"

#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace cpcsim;
    const auto text = fuzz::as_text(data, size);
    std::vector<std::string> overrides;
    std::size_t start = 0;
    while (start <= text.size() && overrides.size() < 16) {
        const auto end = std::min(text.find('\n', start), text.size());
        overrides.emplace_back(text.substr(start, end - start));
        start = end + 1;
    }
    try {
        (void)load_scenario(fuzz::scratch() / "scenario.toml", overrides, model_parameters());
    } catch (const Error&) {
    }
    return 0;
}
