// cpcsim-serve: the explorer's HTTP server (`cpcsim serve` runs it in its own place; see
// serve_exec.cpp). Its options, messages and exit statuses are those of `cpcsim serve`.
#include "cli/commands.hpp"

#include "core/memory.hpp"

int main(int argc, char** argv) {
    cpcsim::keep_large_allocations();
    // run_command reads the command's arguments from argv[2...]: shift by one.
    std::vector<char*> shifted = {argv[0], const_cast<char*>("serve")};
    for (int i = 1; i < argc; ++i) shifted.push_back(argv[i]);
    return cpcsim::cli::run_command("serve", cpcsim::cli::cmd_serve, static_cast<int>(shifted.size()), shifted.data());
}
