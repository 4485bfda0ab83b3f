// The results-file reader: the input bytes are written to a file and opened as `cpcsim info`
// (and the report's input check) opens it: io::describe_results, which opens, checks the format
// and schema attributes and walks every group and dataset.
#include "core/error.hpp"
#include "fuzz_support.hpp"
#include "io/results_file.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace cpcsim;
    const auto path = fuzz::write_input("input.h5", data, size);
    try {
        (void)io::describe_results(path);
    } catch (const Error&) {
    }
    return 0;
}
