// cpcsim command line: parses options and calls the library. Nothing here simulates or writes
// HDF5 itself.
#include "cli/commands.hpp"

#include "core/error.hpp"
#include "core/memory.hpp"
#include "core/version.hpp"

#include <iostream>
#include <map>
#include <string>
#include <vector>

namespace {

const std::map<std::string, std::pair<cpcsim::cli::Command, const char*>>& commands() {
    using namespace cpcsim::cli;
    static const std::map<std::string, std::pair<Command, const char*>> table = {
        {"run", {cmd_run, "simulate a scenario and write results (HDF5)"}},
        {"compare", {cmd_compare, "run two scenarios on the same children and compare them"}},
        {"bench", {cmd_bench, "measure speed and memory (issue targets)"}},
        {"calibrate",
         {cmd_calibrate, "history matching in waves: a calibrated parameter ensemble (docs/calibration.md)"}},
        {"calibration", {cmd_calibration, "check a scenario against the calibration targets (MODEL.md §7)"}},
        {"check", {cmd_check, "validate a scenario file without running it"}},
        {"info", {cmd_info, "describe what a results file holds"}},
        {"params", {cmd_params, "list every model parameter (--markdown for the docs table)"}},
        {"report", {cmd_report, "write a commissioner's HTML report from a results file"}},
        {"serve", {cmd_serve, "explore levers in a local web page (the commissioner's explorer)"}},
        {"solve", {cmd_solve, "the smallest value of a lever that reaches a target (bisection)"}},
        {"sweep", {cmd_sweep, "plan, run, merge and summarise parameter sweeps"}},
    };
    return table;
}

void usage(std::ostream& os) {
    os << "cpcsim " << cpcsim::kVersion << ": children's palliative care network simulator\n\n"
       << "usage: cpcsim COMMAND [options]   (cpcsim COMMAND --help for each)\n\ncommands:\n";
    for (const auto& [name, cmd] : commands())
        os << "  " << name << std::string(13 - name.size(), ' ') << cmd.second << "\n";
}

}  // namespace

int main(int argc, char** argv) {
    cpcsim::keep_large_allocations();  // a run's tables and HDF5's chunk buffers are reused, not refaulted
    if (argc < 2) {
        usage(std::cerr);
        return 2;
    }
    const std::string name = argv[1];
    if (name == "--help" || name == "-h" || name == "help") {
        usage(std::cout);
        return 0;
    }
    if (name == "--version") {
        std::cout << "cpcsim " << cpcsim::kVersion << " (" << cpcsim::kGitCommit << ")\n";
        return 0;
    }
    const auto it = commands().find(name);
    if (it == commands().end()) {
        std::cerr << "cpcsim: unknown command '" << name << "'\n\n";
        usage(std::cerr);
        return 2;
    }
    return cpcsim::cli::run_command(name, it->second.first, argc, argv);
}
