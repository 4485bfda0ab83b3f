// cpcsim serve [SCENARIO]: the commissioner's explorer, a local web page whose levers re-run
// paired replicates against the scenario (docs/explorer.md). Listens on 127.0.0.1 unless told
// otherwise; files are saved only in the results folder.
#include "cli/commands.hpp"
#include "cli/data_dir.hpp"
#include "cli/output.hpp"

#include "core/error.hpp"
#include "explorer/server.hpp"

#include <chrono>
#include <iostream>

namespace cpcsim::cli {

int cmd_serve(const std::vector<std::string>& args, const std::string&) {
    po::options_description opts("cpcsim serve options");
    opts.add_options()("scenario", po::value<std::string>(),
                       "baseline scenario (default: the shipped Yorkshire and the Humber no-network.toml)")(
        "host", po::value<std::string>()->default_value("127.0.0.1"),
        "address to listen on (127.0.0.1: this machine only)")(
        "port,p", po::value<std::string>()->default_value("8080"), "port to listen on (0: any free port)")(
        "results", po::value<std::string>()->default_value("explorer-results"),
        "folder where saved scenarios and results files go (created if missing)")(
        "replicates,r", po::value<std::string>()->default_value("20"), "paired replicates per lever setting")(
        "seed,s", po::value<std::string>()->default_value("20261126"), "random seed (the same as cpcsim run's)")(
        "threads,t", po::value<std::string>()->default_value("0"), "worker threads (0 = all cores)");
    // The page's default mode; the page can switch between none and prior (docs/explorer.md).
    add_uncertainty_options(opts);
    po::positional_options_description pos;
    pos.add("scenario", 1);
    po::variables_map vm;
    if (!parse(args,
               "cpcsim serve [SCENARIO] [--port P] [--host H] [--results DIR] [--replicates N] [--uncertainty prior]",
               opts, pos, vm))
        return 0;
    const std::filesystem::path scenario = vm.count("scenario")
                                               ? std::filesystem::path(vm["scenario"].as<std::string>())
                                               : data_dir() / "scenarios" / "yorkshire-humber" / "no-network.toml";
    require_scenario_file(scenario.string());
    explorer::Options o;
    o.replicates = static_cast<int>(whole_number_option(vm, "replicates", 2, 10000));
    o.seed = seed_option(vm);
    o.threads = threads_option(vm);
    o.batch = o.threads > 0 ? o.threads : available_cores();
    o.uncertainty = uncertainty_settings(vm, o.seed);
    explorer::ServerOptions s;
    s.host = vm["host"].as<std::string>();
    s.port = static_cast<int>(whole_number_option(vm, "port", 0, 65535));
    s.web_dir = data_dir() / "web" / "explorer";
    const std::filesystem::path results = vm["results"].as<std::string>();
    std::error_code ec;
    std::filesystem::create_directories(results, ec);
    if (ec || !std::filesystem::is_directory(results))
        throw Error(results.string(), "--results", "could not create the results folder: " + ec.message());

    const auto start = std::chrono::steady_clock::now();
    explorer::Explorer explorer(scenario, std::filesystem::absolute(results), o);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (s.host != "127.0.0.1" && s.host != "localhost" && s.host != "::1")
        std::cerr << "cpcsim serve: listening on " << s.host
                  << ", not only this machine: anyone who can reach the port can run simulations and write files "
                     "into "
                  << results.string() << " (there is no login)\n";
    explorer::serve(explorer, s, [&](const std::string& url) {
        std::cout << "cpcsim serve: " << url << " (baseline " << explorer.baseline().name << ", first "
                  << std::min(o.batch, o.replicates) << " baseline replicates in " << seconds << " s; Ctrl-C stops)"
                  << std::endl;
    });
    return 0;
}

}  // namespace cpcsim::cli
