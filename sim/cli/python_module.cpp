#include "cli/python_module.hpp"

#include "cli/commands.hpp"
#include "cli/data_dir.hpp"

#include "core/error.hpp"

#include <spawn.h>
#include <sys/wait.h>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <iostream>

extern char** environ;

namespace cpcsim::cli {

namespace {

/// The current environment with PYTHONPATH = the data directory (prepended to any existing value).
std::vector<std::string> child_environment() {
    std::vector<std::string> env;
    std::string pythonpath = "PYTHONPATH=" + data_dir().string();
    for (char** e = environ; e && *e; ++e) {
        const std::string entry = *e;
        if (entry.rfind("PYTHONPATH=", 0) == 0) {
            const std::string old = entry.substr(11);
            if (!old.empty()) pythonpath += ":" + old;
        } else {
            env.push_back(entry);
        }
    }
    env.push_back(pythonpath);
    return env;
}

std::vector<char*> c_strings(std::vector<std::string>& v) {
    std::vector<char*> out;
    for (auto& s : v) out.push_back(s.data());
    out.push_back(nullptr);
    return out;
}

}  // namespace

std::string default_python() {
    const char* env = std::getenv("CPCSIM_PYTHON");
    return env && *env ? env : "/usr/bin/python3";
}

int run_python_module(const std::string& python, const std::string& module, const std::vector<std::string>& args,
                      const std::string& what, const std::string& needs) {
    std::vector<std::string> argv = {python, "-m", module};
    argv.insert(argv.end(), args.begin(), args.end());
    auto env = child_environment();
    auto c_argv = c_strings(argv);
    auto c_env = c_strings(env);

    std::cout.flush();
    pid_t pid = 0;
    const int rc = posix_spawn(&pid, python.c_str(), nullptr, nullptr, c_argv.data(), c_env.data());
    if (rc != 0)
        throw Error(python, "",
                    "cannot run " + what + "'s Python interpreter: " + std::strerror(rc) +
                        " (install Debian's python3 with " + needs + ", or pass --python)");
    set_child_process(pid);
    struct Forget {
        ~Forget() { set_child_process(0); }
    } forget;
    int status = 0;
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) throw Error(python, "", "waiting for " + what + " failed: " + std::strerror(errno));
    }
    if (WIFEXITED(status)) return WEXITSTATUS(status);
    if (WIFSIGNALED(status)) {
        std::cerr << "cpcsim: " << what << " was killed by signal " << WTERMSIG(status) << "\n";
        return 128 + WTERMSIG(status);
    }
    return 1;
}

}  // namespace cpcsim::cli
