// Running a module of the Python analysis package (analysis/) as a child process, for the
// commands whose work is done there (report, calibrate): PYTHONPATH points at the data directory
// that holds analysis/ (cli/data_dir.hpp), no shell is involved (posix_spawn, so paths need no
// quoting), and the child's exit status is returned.
#pragma once

#include <string>
#include <vector>

namespace cpcsim::cli {

/// $CPCSIM_PYTHON, else Debian's /usr/bin/python3 (which has h5py, numpy, pandas, matplotlib).
std::string default_python();

/// Runs `python -m module args...` and returns its exit status (128 + signal if it was killed).
/// `what` names the job in messages ("the report"); `needs` lists the Debian packages it uses.
int run_python_module(const std::string& python, const std::string& module, const std::vector<std::string>& args,
                      const std::string& what, const std::string& needs);

}  // namespace cpcsim::cli
