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

namespace cpcsim {
struct Scenario;
}

namespace cpcsim::cli {

using Command = int (*)(const std::vector<std::string>& args, const std::string& command_line);

struct UsageError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

int cmd_run(const std::vector<std::string>&, const std::string&);
int cmd_compare(const std::vector<std::string>&, const std::string&);
int cmd_bench(const std::vector<std::string>&, const std::string&);
int cmd_calibration(const std::vector<std::string>&, const std::string&);
int cmd_calibrate(const std::vector<std::string>&, const std::string&);
int cmd_check(const std::vector<std::string>&, const std::string&);
int cmd_info(const std::vector<std::string>&, const std::string&);
int cmd_params(const std::vector<std::string>&, const std::string&);
int cmd_report(const std::vector<std::string>&, const std::string&);
int cmd_sweep(const std::vector<std::string>&, const std::string&);
int cmd_serve(const std::vector<std::string>&, const std::string&);
int cmd_solve(const std::vector<std::string>&, const std::string&);

namespace po = boost::program_options;

/// Parses `args` with `options` and positionals; returns false after printing help. `hidden`
/// options are accepted but not listed in the help (options for tests only).
bool parse(const std::vector<std::string>& args, const std::string& usage_line, po::options_description& options,
           const po::positional_options_description& positional, po::variables_map& vm,
           const po::options_description* hidden = nullptr);

/// The largest --threads accepted: more is a typing error (TBB cannot start 200,000 threads).
inline constexpr int kMaxThreads = 4096;
/// Cores this process may run on (its CPU affinity, as set by Slurm or taskset).
int available_cores();
/// The --threads option: a whole number in [0, kMaxThreads] (0 = every available core), else
/// a UsageError naming the option, the range and the text; more than the available cores is
/// reduced to them, with a note on stderr.
int threads_option(const po::variables_map& vm);

/// Options shared by commands that simulate: --replicates, --seed, --threads, --set, --quiet.
/// A note on stderr naming the parameters `scenario` (called `name`) sets itself where a
/// calibrated ensemble would have set them (Scenario::set_over_ensemble).
void note_set_over_ensemble(const Scenario& scenario, const std::string& name);
/// --replicates, --seed, --threads, --set, --quiet and, for a command that writes a results file
/// (`results_file`), --store.
void add_simulation_options(po::options_description& options, bool results_file = true);

/// The text option `name` as a whole number in [min, max]; else a UsageError naming the option,
/// the range and the text ("-1", "1e3" and "12abc" are not accepted as counts).
long long whole_number_option(const po::variables_map& vm, const std::string& name, long long min, long long max);
/// The text option `name` as a seed: a whole number >= 0 that a sweep file could hold (int64),
/// with the same rule and wording as sweep.seed; "-1" is an error, not 18446744073709551615.
std::uint64_t seed_option(const po::variables_map& vm, const std::string& name = "seed");

/// Progress on stderr unless --quiet: a bar with an ETA on a terminal; otherwise (Slurm logs,
/// CI) a plain line every progress_interval_seconds() and, after any such line, one when done.
class Progress {
public:
    Progress(std::string what, bool enabled);
    void update(int done, int total);
    void finish();

private:
    std::string what_;
    bool enabled_;
    bool terminal_;
    double start_;
    double last_line_ = 0;
    int done_ = 0, total_ = 0, lines_ = 0;
};
/// Seconds between plain progress lines: $CPCSIM_PROGRESS_SECONDS, else 30.
double progress_interval_seconds();

/// What a TOML or CSV file looks like from its tables: "sweep" ([sweep]), "scenario"
/// ([scenario]), "targets" ([[target]]), "manifest" (a sweep manifest) or "" (unknown, left to
/// the real reader).
std::string file_kind(const std::string& path);
/// UsageError when `path` is a sweep file, manifest or targets file given to a command that wants a scenario.
void require_scenario_file(const std::string& path);

/// Installs the SIGINT, SIGTERM and SIGHUP handler: it removes the temporary files of outputs
/// being written (io::remove_registered_temp_files) and exits with 128 + the signal number
/// (130, 143, 129); while a child process runs (the report), it passes the signal on to it.
/// Signals that were ignored when cpcsim started (nohup, background jobs) stay ignored.
void install_interrupt_handler();

/// Runs command `name` (`f`) with argv[2...]: the interrupt handler, then the errors as exit
/// statuses (1: an Error naming the file; 2: a usage error; 3: an internal error).
int run_command(const std::string& name, Command f, int argc, char** argv);
/// The child process the handler passes signals on to; 0 for none.
void set_child_process(int pid) noexcept;

/// "12.3 [10.1, 14.5]" with sensible precision.
std::string format_interval(double mean, double low, double high);

}  // namespace cpcsim::cli
