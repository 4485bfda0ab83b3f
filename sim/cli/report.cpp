// cpcsim report: a commissioner's HTML report from a results file. The report is written by the
// Python analysis package (analysis/report.py, docs/report.md); this command only runs
//   PYTHON -m analysis.report RESULTS -o OUT [--figures DIR] [--points A B]
// with PYTHONPATH pointing at the data directory that holds analysis/ (cli/data_dir.hpp: installed
// next to the executable, not the source tree), without a shell (posix_spawn, so paths need
// no quoting), and returns the report's exit status.
#include "cli/commands.hpp"
#include "cli/python_module.hpp"

#include "core/error.hpp"
#include "io/atomic_file.hpp"
#include "io/results_file.hpp"

#include <string>
#include <vector>

namespace cpcsim::cli {

int cmd_report(const std::vector<std::string>& args, const std::string&) {
    po::options_description opts("cpcsim report options");
    opts.add_options()("results", po::value<std::string>()->required(),
                       "results file (HDF5) from run, compare or sweep")(
        "out,o", po::value<std::string>()->default_value("report.html"),
        "HTML report to write (one self-contained page)")(
        "figures", po::value<std::string>(), "also save every figure as PNG and SVG in this directory (for slides)")(
        "points", po::value<std::vector<std::string>>()->multitoken(),
        "sweep files only: the two design points (index or name) to compare in detail")(
        "python", po::value<std::string>()->default_value(default_python()),
        "Python 3 with h5py, numpy, pandas and matplotlib (default: $CPCSIM_PYTHON or /usr/bin/python3)");
    po::positional_options_description pos;
    pos.add("results", 1);
    po::variables_map vm;
    if (!parse(args, "cpcsim report RESULTS.h5 [-o report.html] [--figures DIR] [--points A B]", opts, pos, vm))
        return 0;

    const std::string python = vm["python"].as<std::string>();
    const std::filesystem::path results = vm["results"].as<std::string>();
    io::check_output_path(vm["out"].as<std::string>(), {results});
    // HDF5 (in Python too) crashes or loops on some damaged files: refuse them before Python
    // opens the file; format and content problems are reported by the Python reader.
    if (std::filesystem::exists(results)) {
        io::check_global_heaps(results);
        io::probe_readable(results);
    }
    // The report replaces a symbolic link's target, not the link.
    const std::string out = io::output_target(vm["out"].as<std::string>()).string();
    const auto out_dir = std::filesystem::path(out).parent_path();
    io::remove_stale_temp_files(out_dir.empty() ? std::filesystem::path(".") : out_dir);
    std::vector<std::string> argv = {results.string(), "-o", out};
    if (vm.count("figures")) {
        const std::filesystem::path figures = vm["figures"].as<std::string>();
        std::error_code ec;
        const auto st = std::filesystem::status(figures, ec);
        if (std::filesystem::exists(st) && !std::filesystem::is_directory(st))
            throw Error(figures.string(), "--figures", "exists and is not a directory");
        if (std::filesystem::weakly_canonical(figures, ec) == std::filesystem::weakly_canonical(out, ec))
            throw Error(figures.string(), "--figures", "is the HTML output file; give a directory for the figures");
        argv.insert(argv.end(), {"--figures", figures.string()});
    }
    if (vm.count("points")) {
        const auto& points = vm["points"].as<std::vector<std::string>>();
        if (points.size() != 2) throw UsageError("--points takes exactly two design points, e.g. --points 0 4");
        argv.insert(argv.end(), {"--points", points[0], points[1]});
    }
    return run_python_module(python, "analysis.report", argv, "the report",
                             "python3-h5py, python3-pandas and python3-matplotlib");
}

}  // namespace cpcsim::cli
