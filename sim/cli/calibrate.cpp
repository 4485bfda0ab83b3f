// cpcsim calibrate: history matching in waves (docs/calibration.md, "History matching"). The
// work is done by the analysis package (analysis/calibrate.py): this command runs
//   PYTHON -m analysis.calibrate ARGS... --binary <this cpcsim>
// so that every wave's sweep runs with the same simulator. Every option is the module's
// (`cpcsim calibrate --help` lists them), except --python, which picks the interpreter.
#include "cli/commands.hpp"
#include "cli/python_module.hpp"

#include <filesystem>
#include <string>
#include <vector>

namespace cpcsim::cli {

int cmd_calibrate(const std::vector<std::string>& args, const std::string&) {
    std::string python = default_python();
    std::vector<std::string> pass;
    bool binary_given = false;
    for (std::size_t i = 0; i < args.size(); ++i) {
        if (args[i] == "--python") {
            if (i + 1 == args.size()) throw UsageError("--python needs the path of a Python 3 interpreter");
            python = args[++i];
            continue;
        }
        if (args[i].rfind("--python=", 0) == 0) {
            python = args[i].substr(9);
            continue;
        }
        if (args[i] == "--binary" || args[i].rfind("--binary=", 0) == 0) binary_given = true;
        pass.push_back(args[i]);
    }
    if (!binary_given) {
        std::error_code ec;
        const auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
        if (!ec) pass.insert(pass.end(), {"--binary", self.string()});
    }
    return run_python_module(python, "analysis.calibrate", pass, "the calibration",
                             "python3-h5py, python3-pandas, python3-matplotlib, python3-scipy and python3-sklearn");
}

}  // namespace cpcsim::cli
