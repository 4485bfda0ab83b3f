#include "io/ensemble_file.hpp"

#include "core/error.hpp"
#include "io/h5.hpp"
#include "scenario/params.hpp"

#include <system_error>

namespace cpcsim::io {

namespace {

const std::string kWhat = "expected a calibrated ensemble written by `cpcsim calibrate` (docs/calibration.md)";

}  // namespace

std::shared_ptr<const Ensemble> read_ensemble(const std::filesystem::path& path, const ParamRegistry& registry) {
    const std::string file = path.string();
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec)) throw Error(file, "", "no such file; " + kWhat);
    // HDF5's own message (damaged file, wrong type) is kept, after what was expected.
    const auto fail = [&](const std::string& where, const Error& e, const std::string& what) -> Error {
        return Error(file, where, what + " (" + e.what() + "); " + kWhat);
    };
    File f;
    try {
        f = File::open_read_only(path);
    } catch (const Error& e) {
        throw fail("", e, "not a readable HDF5 file");
    }
    std::string format;
    try {
        if (f.has_attr("format")) format = f.string_attr("format");
    } catch (const Error& e) {
        throw fail("attribute format", e, "unreadable");
    }
    if (format != kEnsembleFormat)
        throw Error(file, "attribute format",
                    "an HDF5 file but not an ensemble (the root has no format = \"" + std::string(kEnsembleFormat) +
                        "\"); " + kWhat);
    if (f.has_attr("format_version") && f.int_attr("format_version") > kEnsembleVersion)
        throw Error(file, "attribute format_version",
                    "version " + std::to_string(f.int_attr("format_version")) + " is newer than this cpcsim reads (" +
                        std::to_string(kEnsembleVersion) + ")");
    for (const char* d : {"parameters", "values"})
        if (!f.is_dataset(d)) throw Error(file, std::string("dataset ") + d, "missing; " + kWhat);
    std::vector<std::string> columns;
    Array<double> values;
    try {
        columns = f.read_strings("parameters");
    } catch (const Error& e) {
        throw fail("dataset parameters", e, "expected the parameter names as strings");
    }
    try {
        values = f.read<double>("values");
    } catch (const Error& e) {
        throw fail("dataset values", e, "expected a table of numbers");
    }
    if (values.shape.size() != 2 || values.shape[1] != columns.size())
        throw Error(file, "dataset values",
                    "expected a table of sets x " + std::to_string(columns.size()) +
                        " parameters (one column per name in /parameters), got shape " + shape_to_string(values.shape));
    std::vector<std::vector<double>> sets;
    const std::size_t p = columns.size();
    for (std::size_t r = 0; r < values.shape[0]; ++r)
        sets.emplace_back(values.values.begin() + static_cast<std::ptrdiff_t>(r * p),
                          values.values.begin() + static_cast<std::ptrdiff_t>((r + 1) * p));
    return std::make_shared<const Ensemble>(make_ensemble(file, columns, sets, registry));
}

}  // namespace cpcsim::io
