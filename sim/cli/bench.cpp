// cpcsim bench: speed and memory of the engine on a scenario (the performance targets).
// Prints medians over repetitions; wall-clock figures on a shared machine vary, so read the
// median and the ratio, not a single run.
#include "cli/commands.hpp"
#include "cli/data_dir.hpp"
#include "cli/output.hpp"

#include "engine/runner.hpp"
#include "engine/state.hpp"
#include "io/atomic_file.hpp"
#include "io/run_output.hpp"
#include "metrics/run_measures.hpp"
#include "model/parameter_table.hpp"

#include <sys/resource.h>
#include <time.h>
#include <unistd.h>
#include <algorithm>
#include <chrono>
#include <filesystem>
#include <iomanip>
#include <iostream>

namespace cpcsim::cli {

namespace {
double seconds_since(std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}
/// CPU time of the calling thread: for the single-threaded sections it is far steadier than wall
/// time on a machine shared with other work (it still grows somewhat with the load).
double thread_cpu_seconds() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}
double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    const std::size_t n = v.size();
    return n == 0 ? 0.0 : n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}
long peak_rss_kib() {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return u.ru_maxrss;
}
}  // namespace

int cmd_bench(const std::vector<std::string>& args, const std::string& command_line) {
    po::options_description opts("cpcsim bench options");
    opts.add_options()("scenario", po::value<std::string>(),
                       "scenario file (default: the Yorkshire and the Humber baseline)")(
        "repeat", po::value<std::string>()->default_value("5"), "timed repetitions (the median is reported)")(
        "replicates", po::value<std::string>()->default_value("4"), "replicates per repetition of the parallel test")(
        "seed", po::value<std::string>()->default_value("1"), "random seed")(
        "england", po::value<std::string>(),
        "England-scale scenario timed too (default: the shipped scenarios/england-scale; 'none' skips it)")(
        "set", po::value<std::vector<std::string>>()->composing(), "override a parameter: --set key=value");
    po::positional_options_description pos;
    pos.add("scenario", 1);
    po::variables_map vm;
    if (!parse(args, "cpcsim bench [SCENARIO] [--repeat N] [--replicates N]", opts, pos, vm)) return 0;
    const auto overrides = vm.count("set") ? vm["set"].as<std::vector<std::string>>() : std::vector<std::string>{};
    const std::filesystem::path scenario = vm.count("scenario")
                                               ? std::filesystem::path(vm["scenario"].as<std::string>())
                                               : data_dir() / "scenarios/yorkshire-humber/no-network.toml";
    const Scenario sc = load_scenario(scenario, overrides, model_parameters());
    const ModelParams mp = ModelParams::from(sc.params);
    const int repeat = static_cast<int>(whole_number_option(vm, "repeat", 1, 1000));
    const int reps = static_cast<int>(whole_number_option(vm, "replicates", 2, 1000));
    const auto seed = seed_option(vm);

    // One replicate on one core, repeated.
    std::vector<double> single, single_cpu;
    RunOutputs last;
    for (int i = 0; i < repeat; ++i) {
        const auto t0 = std::chrono::steady_clock::now();
        const double c0 = thread_cpu_seconds();
        last = simulate_replicate(sc, mp, seed, static_cast<std::uint32_t>(i));
        single_cpu.push_back(thread_cpu_seconds() - c0);
        single.push_back(seconds_since(t0));
    }
    const double t1 = median(single), t1_cpu = median(single_cpu);
    // Replicates across 1 and 2 threads.
    auto timed = [&](int threads) {
        std::vector<double> t;
        for (int i = 0; i < std::max(1, repeat / 2); ++i) {
            const auto t0 = std::chrono::steady_clock::now();
            (void)run_replicates(sc, seed, 0, reps, threads);
            t.push_back(seconds_since(t0));
        }
        return median(t);
    };
    const double w1 = timed(1), w2 = timed(2);
    // Bytes of HDF5 per run.
    const auto tmp = std::filesystem::temp_directory_path() / ("cpcsim-bench-" + std::to_string(::getpid()) + ".h5");
    std::uintmax_t bytes = 0;
    {
        auto runs = run_replicates(sc, seed, 0, 2, 0);
        io::write_run_file(tmp, io::provenance_for("run", sc, "cpcsim bench", seed, 2), sc, runs,
                           measure_runs(sc, runs));
        bytes = std::filesystem::file_size(tmp);
        std::filesystem::remove(tmp);
    }
    // Recording: measuring one replicate and writing its complete results file, against
    // simulating it (a whole `cpcsim run` is roughly the two together plus start-up).
    std::vector<double> record, record_cpu;
    for (int i = 0; i < repeat; ++i) {
        const std::vector<RunOutputs> one{last};
        const auto t0 = std::chrono::steady_clock::now();
        const double c0 = thread_cpu_seconds();
        io::write_run_file(tmp, io::provenance_for("run", sc, "cpcsim bench", seed, 1), sc, one, measure_runs(sc, one));
        record_cpu.push_back(thread_cpu_seconds() - c0);
        record.push_back(seconds_since(t0));
        std::filesystem::remove(tmp);
    }
    const double rec = median(record), rec_cpu = median(record_cpu);
    // The same with --store annual: simulation without the monthly table, then its file.
    std::vector<double> sim_annual, record_annual;
    for (int i = 0; i < repeat; ++i) {
        const auto t0 = std::chrono::steady_clock::now();
        const std::vector<RunOutputs> one{
            simulate_replicate(sc, mp, seed, static_cast<std::uint32_t>(i), ReplicateOptions{false, false})};
        sim_annual.push_back(seconds_since(t0));
        const auto t1w = std::chrono::steady_clock::now();
        io::write_run_file(tmp, io::provenance_for("run", sc, "cpcsim bench", seed, 1, {.monthly = false}), sc, one,
                           measure_runs(sc, one));
        record_annual.push_back(seconds_since(t1w));
        std::filesystem::remove(tmp);
    }
    const double t1_annual = median(sim_annual);
    const double rec_annual = median(record_annual);
    // England scale: one replicate on one core.
    const std::string england_arg = vm.count("england") ? vm["england"].as<std::string>() : "";
    const std::filesystem::path england =
        england_arg.empty() ? data_dir() / "scenarios/england-scale/scenario.toml" : std::filesystem::path(england_arg);
    double t_england = -1, t_england_cpu = -1;
    if (england_arg != "none" && std::filesystem::exists(england)) {
        const Scenario en = load_scenario(england, {}, model_parameters());
        const ModelParams enp = ModelParams::from(en.params);
        std::vector<double> te, te_cpu;
        for (int i = 0; i < std::min(repeat, 3); ++i) {
            const auto t0 = std::chrono::steady_clock::now();
            const double c0 = thread_cpu_seconds();
            (void)simulate_replicate(en, enp, seed, static_cast<std::uint32_t>(i), ReplicateOptions{false, false});
            te_cpu.push_back(thread_cpu_seconds() - c0);
            te.push_back(seconds_since(t0));
        }
        t_england = median(te);
        t_england_cpu = median(te_cpu);
    }
    const double child_days = static_cast<double>(last.child_days);
    const double total_days = static_cast<double>(mp.run.years + mp.run.warmup_years) * 365.0;
    const double state_bytes = sizeof(engine::Child);
    std::cout << std::fixed << std::setprecision(3) << "scenario: " << sc.name << "\n"
              << "  horizon " << mp.run.years << " years + " << mp.run.warmup_years << " warm-up; "
              << last.children_simulated << " children simulated per replicate (incl. prehistory survivors)\n"
              << "  wall time per replicate, 1 core (median of " << repeat << "): " << t1 << " s\n"
              << "  simulated child-days per second (1 core): " << std::setprecision(0) << child_days / t1 << "\n"
              << std::setprecision(3) << "  " << reps << " replicates: 1 thread " << w1 << " s, 2 threads " << w2
              << " s; speed-up " << w1 / w2 << ", parallel efficiency " << std::setprecision(1) << 100.0 * w1 / w2 / 2
              << "%\n"
              << "  state per child: " << std::setprecision(0) << state_bytes << " bytes (Child record)\n"
              << "  peak memory (max RSS): " << static_cast<double>(peak_rss_kib()) / 1024.0 << " MiB\n"
              << "  HDF5 bytes per run: " << static_cast<double>(bytes) / 2 << " (2 runs: " << bytes << " bytes)\n"
              << "  days simulated per replicate: " << total_days << "\n"
              << std::setprecision(3) << "  recording one replicate (measures + complete HDF5 file, median of "
              << repeat << "): " << rec << " s; simulation + recording = " << std::setprecision(2) << (t1 + rec) / t1
              << "x the simulation alone\n"
              << std::setprecision(3) << "  recording with --store annual: " << rec_annual
              << " s; simulation without the monthly table " << t1_annual << " s; together " << std::setprecision(2)
              << (t1_annual + rec_annual) / t1 << "x the simulation alone\n";
    if (t_england >= 0)
        std::cout << std::setprecision(3) << "  England scale, one replicate on 1 core (median of "
                  << std::min(repeat, 3) << "): " << t_england << " s\n";
    std::cout << std::setprecision(3) << "  CPU time of the calling thread (medians): replicate " << t1_cpu
              << " s, recording " << rec_cpu << " s (simulation + recording = " << std::setprecision(2)
              << (t1_cpu + rec_cpu) / t1_cpu << "x)" << std::setprecision(3);
    if (t_england_cpu >= 0) std::cout << ", England-scale replicate " << t_england_cpu << " s";
    std::cout << "\n";
    // One machine-readable line for logs and CI (no threshold: a noisy machine must not fail CI).
    std::string name = sc.name;
    std::replace(name.begin(), name.end(), '"', '\'');
    std::cout << std::setprecision(6) << "BENCH {\"scenario\": \"" << name << "\", \"replicate_s\": " << t1
              << ", \"record_s\": " << rec << ", \"run_over_simulation\": " << (t1 + rec) / t1
              << ", \"record_annual_s\": " << rec_annual << ", \"replicate_annual_s\": " << t1_annual
              << ", \"run_over_simulation_annual\": " << (t1_annual + rec_annual) / t1
              << ", \"england_replicate_s\": " << (t_england >= 0 ? std::to_string(t_england) : std::string("null"))
              << ", \"child_days_per_s\": " << std::setprecision(0) << child_days / t1 << std::setprecision(6)
              << ", \"threads1_s\": " << w1 << ", \"threads2_s\": " << w2
              << ", \"parallel_efficiency\": " << w1 / w2 / 2
              << ", \"peak_rss_mib\": " << static_cast<double>(peak_rss_kib()) / 1024.0
              << ", \"hdf5_bytes_per_run\": " << static_cast<double>(bytes) / 2 << ", \"replicate_cpu_s\": " << t1_cpu
              << ", \"record_cpu_s\": " << rec_cpu << ", \"run_over_simulation_cpu\": " << (t1_cpu + rec_cpu) / t1_cpu
              << ", \"england_replicate_cpu_s\": "
              << (t_england_cpu >= 0 ? std::to_string(t_england_cpu) : std::string("null")) << "}\n";
    (void)command_line;
    return 0;
}

}  // namespace cpcsim::cli
