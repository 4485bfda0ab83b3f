// Calibration targets files (scenario/targets.hpp): any text is read, and a file that reads
// must name only the outputs it was given and keep every range in order.
#include "core/error.hpp"
#include "fuzz_support.hpp"
#include "scenario/targets.hpp"

#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace cpcsim;
    static const TargetVocabulary vocabulary{
        {"prevalence_per_10000", "deaths_per_year", "prevalence_q1", "prevalence_q2", "death_hospital_share"},
        {"children", "deaths", "deaths_hospital"},
        {"referrals", "referrals_lost"}};
    try {
        const auto set = parse_targets(fuzz::as_text(data, size), "targets.toml", vocabulary);
        for (const auto& t : set.targets) {
            if (t.kind != CalibrationTarget::Kind::Order && !(t.low <= t.observed && t.observed <= t.high))
                std::abort();
            for (const auto* ref : {&t.measure, &t.numerator, &t.denominator})
                if (ref->index >= 5) std::abort();
        }
    } catch (const Error&) {
    }
    return 0;
}
