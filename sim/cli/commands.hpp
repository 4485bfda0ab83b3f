// The cpcsim subcommands. Each takes its arguments (after the command name) and the whole
// command line (for provenance) and returns the exit status; bad input throws cpcsim::Error,
// bad usage throws UsageError.
#pragma once

#include <boost/program_options.hpp>

#include <cstdint>
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

namespace cpcsim::cli {

using Command = int (*)(const std::vector<std::string>& args, const std::string& command_line);

struct UsageError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

int cmd_run(const std::vector<std::string>&, const std::string&);
int cmd_compare(const std::vector<std::string>&, const std::string&);
int cmd_bench(const std::vector<std::string>&, const std::string&);
int cmd_calibration(const std::vector<std::string>&, const std::string&);
int cmd_check(const std::vector<std::string>&, const std::string&);
int cmd_info(const std::vector<std::string>&, const std::string&);
int cmd_params(const std::vector<std::string>&, const std::string&);
int cmd_report(const std::vector<std::string>&, const std::string&);
int cmd_sweep(const std::vector<std::string>&, const std::string&);

namespace po = boost::program_options;

/// Parses `args` with `options` and positionals; returns false after printing help.
bool parse(const std::vector<std::string>& args, const std::string& usage_line, po::options_description& options,
           const po::positional_options_description& positional, po::variables_map& vm);

/// Options shared by commands that simulate: --replicates, --seed, --threads, --set, --quiet.
void add_simulation_options(po::options_description& options);

/// The text option `name` as a whole number in [min, max]; else a UsageError naming the option,
/// the range and the text ("-1", "1e3" and "12abc" are not accepted as counts).
long long whole_number_option(const po::variables_map& vm, const std::string& name, long long min, long long max);
/// The text option `name` as a seed: a whole number >= 0 that a sweep file could hold (int64),
/// with the same rule and wording as sweep.seed; "-1" is an error, not 18446744073709551615.
std::uint64_t seed_option(const po::variables_map& vm, const std::string& name = "seed");

/// Progress and ETA on stderr when it is a terminal (and not --quiet); silent otherwise.
class Progress {
public:
    Progress(std::string what, bool enabled);
    void update(int done, int total);
    void finish();

private:
    std::string what_;
    bool enabled_;
    double start_;
};

/// "12.3 [10.1, 14.5]" with sensible precision.
std::string format_interval(double mean, double low, double high);

}  // namespace cpcsim::cli
