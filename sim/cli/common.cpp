#include "cli/commands.hpp"
#include "scenario/scenario.hpp"

#include "core/error.hpp"
#include "io/atomic_file.hpp"

#include <sched.h>
#include <signal.h>
#include <unistd.h>
#include <atomic>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <limits>
#include <optional>
#include <sstream>

namespace cpcsim::cli {

bool parse(const std::vector<std::string>& args, const std::string& usage_line, po::options_description& options,
           const po::positional_options_description& positional, po::variables_map& vm,
           const po::options_description* hidden) {
    options.add_options()("help,h", "show this help");
    po::options_description all;
    all.add(options);
    if (hidden) all.add(*hidden);
    try {
        po::store(po::command_line_parser(args).options(all).positional(positional).run(), vm);
        if (vm.count("help")) {
            std::cout << "usage: " << usage_line << "\n\n" << options << "\n";
            return false;
        }
        po::notify(vm);
    } catch (const po::error& e) {
        throw UsageError(e.what());
    }
    return true;
}

int available_cores() {
    cpu_set_t set;
    CPU_ZERO(&set);
    if (sched_getaffinity(0, sizeof set, &set) == 0 && CPU_COUNT(&set) > 0) return CPU_COUNT(&set);
    const long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? static_cast<int>(n) : 1;
}

int threads_option(const po::variables_map& vm) {
    // One rule for every number on the command line (whole_number_option), then the cap.
    const auto requested = static_cast<int>(whole_number_option(vm, "threads", 0, kMaxThreads));
    const int cores = available_cores();
    if (requested > cores) {
        std::fprintf(stderr, "cpcsim: note: --threads %d is more than the %d cores available; using %d\n", requested,
                     cores, cores);
        return cores;
    }
    return requested;
}

int run_command(const std::string& name, Command f, int argc, char** argv) {
    install_interrupt_handler();
    std::vector<std::string> args(argv + 2, argv + argc);
    std::string command_line;
    for (int i = 0; i < argc; ++i) command_line += (i ? " " : "") + std::string(argv[i]);
    try {
        return f(args, command_line);
    } catch (const Error& e) {
        std::cerr << "cpcsim " << name << ": error: " << e.what() << "\n";
        return 1;
    } catch (const UsageError& e) {
        std::cerr << "cpcsim " << name << ": " << e.what() << "\n(see cpcsim " << name << " --help)\n";
        return 2;
    } catch (const std::exception& e) {
        std::cerr << "cpcsim " << name << ": internal error: " << e.what() << "\n";
        return 3;
    }
}

void note_set_over_ensemble(const Scenario& scenario, const std::string& name) {
    if (scenario.set_over_ensemble.empty()) return;
    std::string keys;
    for (const auto& k : scenario.set_over_ensemble) keys += (keys.empty() ? "" : ", ") + k;
    std::cerr << "cpcsim: note: " << name << " sets " << keys << " itself; the calibrated ensemble's values for "
              << (scenario.set_over_ensemble.size() == 1 ? "it are" : "them are") << " not used\n";
}

void add_simulation_options(po::options_description& options, bool results_file) {
    // Numbers are read as text and checked by whole_number_option()/seed_option(): Boost would
    // wrap "--seed -1" to 18446744073709551615.
    options.add_options()("replicates,r", po::value<std::string>()->default_value("10"), "number of replicates")(
        "seed,s", po::value<std::string>()->default_value("20261126"), "random seed")(
        "threads,t", po::value<std::string>()->default_value("0"), "worker threads (0 = all cores)")(
        "set", po::value<std::vector<std::string>>()->composing(),
        "override a parameter: --set key=value (repeatable)")("quiet,q", "no progress output");
    // A command that writes no results file does not offer --store (it would be ignored).
    if (results_file)
        options.add_options()("store", po::value<std::string>()->default_value("all"),
                              "what the results file stores: all, annual (no monthly table), summary, or a "
                              "comma-separated list of monthly, annual, provider (docs/hdf5-schema.md)");
}

namespace {
/// The whole of `text` as a decimal whole number (an optional leading '-'), or nothing.
std::optional<long long> whole_number(const std::string& text) {
    long long value = 0;
    const char* end = text.data() + text.size();
    const auto [ptr, ec] = std::from_chars(text.data(), end, value);
    if (text.empty() || ec != std::errc() || ptr != end) return std::nullopt;
    return value;
}
}  // namespace

long long whole_number_option(const po::variables_map& vm, const std::string& name, long long min, long long max) {
    const std::string text = vm[name].as<std::string>();
    const auto value = whole_number(text);
    if (!value || *value < min || *value > max)
        throw UsageError("--" + name + ": expected a whole number in [" + std::to_string(min) + ", " +
                         std::to_string(max) + "], got '" + text + "'");
    return *value;
}

std::uint64_t seed_option(const po::variables_map& vm, const std::string& name) {
    // The rule of sweep files (sweep.seed, design.seed): a TOML integer >= 0.
    const std::string text = vm[name].as<std::string>();
    const auto value = whole_number(text);
    if (!value || *value < 0)
        throw UsageError("--" + name + ": expected a whole number >= 0 (at most " +
                         std::to_string(std::numeric_limits<long long>::max()) + ", as in sweep files), got '" + text +
                         "'");
    return static_cast<std::uint64_t>(*value);
}

namespace {
double now_seconds() {
    using namespace std::chrono;
    return duration<double>(steady_clock::now().time_since_epoch()).count();
}
}  // namespace

double progress_interval_seconds() {
    if (const char* s = std::getenv("CPCSIM_PROGRESS_SECONDS")) {
        char* end = nullptr;
        const double v = std::strtod(s, &end);
        if (end != s && v >= 0) return v;
    }
    return 30;
}

Progress::Progress(std::string what, bool enabled)
    : what_(std::move(what)), enabled_(enabled), terminal_(isatty(STDERR_FILENO) != 0), start_(now_seconds()) {
    last_line_ = start_;
}

void Progress::update(int done, int total) {
    if (!enabled_) return;
    done_ = done;
    total_ = total;
    const double now = now_seconds();
    const double elapsed = now - start_;
    if (!terminal_) {
        // One plain line per interval: readable in a Slurm log, no carriage returns.
        if (now - last_line_ < progress_interval_seconds() || done >= total) return;
        last_line_ = now;
        ++lines_;
        const double eta = done > 0 ? elapsed / done * (total - done) : 0;
        std::fprintf(stderr, "%s: %d of %d done, %.0f s elapsed, about %.0f s left\n", what_.c_str(), done, total,
                     elapsed, eta);
        std::fflush(stderr);
        return;
    }
    if (elapsed < 1.0 && done < total) return;
    const double eta = done > 0 ? elapsed / done * (total - done) : 0;
    const int width = 30, filled = total > 0 ? width * done / total : width;
    std::fprintf(stderr, "\r%s [%s%s] %d/%d  %.0fs elapsed, ETA %.0fs   ", what_.c_str(),
                 std::string(static_cast<std::size_t>(filled), '#').c_str(),
                 std::string(static_cast<std::size_t>(width - filled), '.').c_str(), done, total, elapsed, eta);
    std::fflush(stderr);
}

void Progress::finish() {
    if (!enabled_) return;
    if (terminal_) {
        std::fprintf(stderr, "\r%*s\r", 80, "");
    } else if (lines_ > 0) {  // a run shorter than one interval stays silent
        std::fprintf(stderr, "%s: %d of %d done in %.0f s\n", what_.c_str(), done_, total_, now_seconds() - start_);
    }
    std::fflush(stderr);
}

std::string file_kind(const std::string& path) {
    std::ifstream in(path);
    std::string line;
    bool first = true;
    for (int n = 0; n < 10000 && std::getline(in, line); ++n) {
        if (first && line.rfind("# cpcsim sweep manifest", 0) == 0) return "manifest";
        first = false;
        const auto at = line.find_first_not_of(" \t");
        if (at == std::string::npos || line[at] != '[') continue;
        if (line.compare(at, 7, "[sweep]") == 0) return "sweep";
        if (line.compare(at, 10, "[scenario]") == 0) return "scenario";
        if (line.compare(at, 10, "[[target]]") == 0) return "targets";
    }
    return "";
}

void require_scenario_file(const std::string& path) {
    const std::string kind = file_kind(path);
    if (kind == "targets")
        throw UsageError(path + " is a calibration targets file, not a scenario: use it with 'cpcsim calibration " +
                         "SCENARIO --targets " + path + "'");
    if (kind == "sweep" || kind == "manifest")
        throw UsageError(path + " is a sweep " + (kind == "sweep" ? "file" : "manifest") +
                         ", not a scenario: run it with 'cpcsim sweep run " + path + " --out RESULTS.h5'");
}

namespace {
std::atomic<int> g_child_pid{0};
static_assert(std::atomic<int>::is_always_lock_free);

extern "C" void on_interrupt(int sig) {
    const int saved = errno;
    if (const int child = g_child_pid.load(); child > 0) {
        ::kill(child, sig);  // the child cleans up and exits; its status becomes ours
        errno = saved;
        return;
    }
    io::remove_registered_temp_files();
    const char* msg = sig == SIGINT    ? "\ncpcsim: interrupted (SIGINT); unfinished output removed\n"
                      : sig == SIGTERM ? "cpcsim: terminated (SIGTERM); unfinished output removed\n"
                                       : "cpcsim: hang-up (SIGHUP); unfinished output removed\n";
    [[maybe_unused]] const auto n = ::write(STDERR_FILENO, msg, std::strlen(msg));
    ::_exit(128 + sig);
}
}  // namespace

void set_child_process(int pid) noexcept {
    g_child_pid.store(pid);
}

void install_interrupt_handler() {
    struct sigaction sa {};
    sa.sa_handler = on_interrupt;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    for (const int sig : {SIGINT, SIGTERM, SIGHUP}) {
        // A signal ignored by whoever started us stays ignored: nohup (SIGHUP) and background
        // jobs of a shell script (SIGINT) rely on it.
        struct sigaction old {};
        if (::sigaction(sig, nullptr, &old) == 0 && old.sa_handler == SIG_IGN) continue;
        ::sigaction(sig, &sa, nullptr);
    }
}

std::string format_interval(double mean, double low, double high) {
    auto fmt = [](double v) {
        if (std::isnan(v)) return std::string("n/a");
        std::ostringstream os;
        const double a = std::fabs(v);
        os.setf(std::ios::fixed);
        os.precision(a >= 1000 ? 0 : a >= 100 ? 1 : a >= 1 ? 2 : 3);
        os << v;
        return os.str();
    };
    if (std::isnan(low)) return fmt(mean);
    return fmt(mean) + " [" + fmt(low) + ", " + fmt(high) + "]";
}

}  // namespace cpcsim::cli
