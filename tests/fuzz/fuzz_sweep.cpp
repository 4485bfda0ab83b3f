// Sweep files and manifests. The first byte chooses: even, the rest is a sweep file (TOML, next to
// the two-area scenario), read and, if valid and small, planned (every point loaded) and its
// manifest written and read back; odd, the rest is a manifest (CSV) as `sweep run` reads it.
#include "core/error.hpp"
#include "fuzz_support.hpp"
#include "sweep/manifest.hpp"
#include "sweep/sweep_file.hpp"

#include <algorithm>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace cpcsim;
    if (size == 0) return 0;
    const bool manifest = (data[0] & 1) != 0;
    try {
        if (manifest) {
            const auto m =
                sweep::parse_manifest(std::string(fuzz::as_text(data + 1, size - 1)), "manifest.csv", fuzz::scratch());
            const std::string csv = sweep::to_csv(m, fuzz::scratch());
            const auto again = sweep::parse_manifest(csv, "rewritten.csv", fuzz::scratch());
            if (sweep::to_csv(again, fuzz::scratch()) != csv) std::abort();  // a manifest must round-trip
        } else {
            const auto path = fuzz::write_input("sweep.toml", data + 1, size - 1);
            const auto spec = sweep::read_sweep_file(path);
            // Planning loads every point: keep each input fast.
            std::size_t points = std::max<std::size_t>(spec.variants.size(), 1);
            for (const auto& axis : spec.grid) points *= std::max<std::size_t>(axis.values.size(), 1);
            points += static_cast<std::size_t>(spec.points) * static_cast<std::size_t>(spec.blocks) +
                      static_cast<std::size_t>(spec.trajectories) * (spec.ranges.size() + 1);
            if (points <= 8 && spec.replicates <= 8) {
                const auto m = sweep::plan(spec);
                (void)sweep::parse_manifest(sweep::to_csv(m, fuzz::scratch()), "planned.csv", fuzz::scratch());
            }
        }
    } catch (const Error&) {
    }
    return 0;
}
