// `cpcsim serve` in the main executable: replaces this process with `cpcsim-serve`, the
// executable beside it that holds the explorer's HTTP server. Only that executable links
// cpp-httplib, which initialises OpenSSL when it is loaded: about 6.5 ms of every process's
// start-up that the other commands no longer pay (docs/benchmarks.md, "Start-up").
#include "cli/commands.hpp"

#include "core/error.hpp"

#include <unistd.h>
#include <cerrno>
#include <cstring>
#include <filesystem>

namespace cpcsim::cli {

int cmd_serve(const std::vector<std::string>& args, const std::string&) {
    std::error_code ec;
    const auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
    const std::filesystem::path server = (ec ? std::filesystem::path(".") : self.parent_path()) / "cpcsim-serve";
    std::vector<std::string> words = {server.string()};
    words.insert(words.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& w : words) argv.push_back(w.data());
    argv.push_back(nullptr);
    ::execv(server.c_str(), argv.data());
    // Only reached when the server executable could not be started.
    throw Error(server.string(), "",
                std::string("could not start the explorer's server (") + std::strerror(errno) +
                    "); it is built and installed beside cpcsim");
}

}  // namespace cpcsim::cli
