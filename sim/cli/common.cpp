#include "cli/commands.hpp"

#include <unistd.h>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <limits>
#include <optional>
#include <sstream>

namespace cpcsim::cli {

bool parse(const std::vector<std::string>& args, const std::string& usage_line, po::options_description& options,
           const po::positional_options_description& positional, po::variables_map& vm) {
    options.add_options()("help,h", "show this help");
    try {
        po::store(po::command_line_parser(args).options(options).positional(positional).run(), vm);
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

void add_simulation_options(po::options_description& options) {
    // Numbers are read as text and checked by whole_number_option()/seed_option(): Boost would
    // wrap "--seed -1" to 18446744073709551615.
    options.add_options()("replicates,r", po::value<std::string>()->default_value("10"), "number of replicates")(
        "seed,s", po::value<std::string>()->default_value("20261126"), "random seed")(
        "threads,t", po::value<std::string>()->default_value("0"), "worker threads (0 = all cores)")(
        "set", po::value<std::vector<std::string>>()->composing(),
        "override a parameter: --set key=value (repeatable)")("quiet,q", "no progress output");
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

Progress::Progress(std::string what, bool enabled)
    : what_(std::move(what)), enabled_(enabled && isatty(STDERR_FILENO)), start_(now_seconds()) {}

void Progress::update(int done, int total) {
    if (!enabled_) return;
    const double elapsed = now_seconds() - start_;
    if (elapsed < 1.0 && done < total) return;
    const double eta = done > 0 ? elapsed / done * (total - done) : 0;
    const int width = 30, filled = total > 0 ? width * done / total : width;
    std::fprintf(stderr, "\r%s [%s%s] %d/%d  %.0fs elapsed, ETA %.0fs   ", what_.c_str(),
                 std::string(static_cast<std::size_t>(filled), '#').c_str(),
                 std::string(static_cast<std::size_t>(width - filled), '.').c_str(), done, total, elapsed, eta);
    std::fflush(stderr);
}

void Progress::finish() {
    if (enabled_) std::fprintf(stderr, "\r%*s\r", 80, "");
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
