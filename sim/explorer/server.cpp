#include "explorer/server.hpp"
#include "explorer/solve_job.hpp"

#include "core/error.hpp"

#include <httplib.h>

#include <fstream>
#include <sstream>

namespace cpcsim::explorer {

namespace {

constexpr const char* kJson = "application/json";

Fields fields_of(const httplib::Request& req) {
    Fields out;
    for (const auto& [k, v] : req.params) out.emplace_back(k, v);
    return out;
}

void problem(httplib::Response& res, int status, const Error& e) {
    res.status = status;
    res.set_content(error_json(e), kJson);
}

/// A job number field: a whole number >= 0.
bool job_number(const std::string& text, std::int64_t& job) {
    try {
        std::size_t used = 0;
        job = std::stoll(text, &used);
        return used == text.size() && job >= 0;
    } catch (const std::exception&) {
        return false;
    }
}

std::string read_text(const std::filesystem::path& p) {
    std::ifstream f(p, std::ios::binary);
    std::ostringstream s;
    s << f.rdbuf();
    return s.str();
}

/// The attribution lines of a boundaries file's notes: its quoted ("> ") lines.
std::string attribution_json(const std::filesystem::path& notes) {
    std::ifstream f(notes);
    std::string line, out = "[";
    bool first = true;
    while (std::getline(f, line))
        if (line.size() > 2 && line.starts_with("> ")) {
            out += (first ? "" : ",") + json_string(line.substr(2));
            first = false;
        }
    return out + "]";
}

}  // namespace

void serve(Explorer& explorer, const ServerOptions& options, const std::function<void(const std::string&)>& listening) {
    httplib::Server svr;
    svr.set_payload_max_length(options.max_body_bytes);
    const auto scenario_dir = explorer.baseline().file.parent_path();

    // Static files: httplib's mount points refuse paths that leave the folder.
    if (!svr.set_mount_point("/web", options.web_dir.string()))
        throw Error(options.web_dir.string(), "", "the explorer's page folder is missing (share/cpcsim/web)");
    svr.set_mount_point("/lib", options.javascript_dir.string());
    svr.Get("/", [](const httplib::Request&, httplib::Response& res) { res.set_redirect("/web/index.html"); });

    svr.Get("/api/levers",
            [&](const httplib::Request&, httplib::Response& res) { res.set_content(explorer.levers_json(), kJson); });
    svr.Get("/api/boundaries", [scenario_dir](const httplib::Request&, httplib::Response& res) {
        const auto file = scenario_dir / "boundaries.geojson";
        if (!std::filesystem::is_regular_file(file)) {
            res.status = 404;
            res.set_content("{\"problems\":[\"the scenario's folder has no boundaries.geojson\"]}", kJson);
            return;
        }
        res.set_content(read_text(file), "application/geo+json");
    });
    svr.Get("/api/attribution", [scenario_dir](const httplib::Request&, httplib::Response& res) {
        res.set_content(attribution_json(scenario_dir / "boundaries.md"), kJson);
    });
    // A change of the levers, and a solve (docs/explorer.md, "Solve in the explorer"): each a
    // job of its own queue, answered at once with its number.
    const auto queue = [](auto submit) {
        return [submit](const httplib::Request& req, httplib::Response& res) {
            try {
                const auto id = submit(fields_of(req));
                res.status = 202;
                res.set_content("{\"job\":" + std::to_string(id) + "}", kJson);
            } catch (const Error& e) {
                problem(res, 400, e);
            }
        };
    };
    const auto status = [](auto status_json) {
        return [status_json](const httplib::Request& req, httplib::Response& res) {
            std::int64_t job = 0;
            if (req.has_param("job") && !job_number(req.get_param_value("job"), job)) {
                problem(res, 400, Error("request", "field job", "expected a job number"));
                return;
            }
            res.set_content(status_json(job), kJson);
        };
    };
    svr.Post("/api/run", queue([&](const Fields& f) { return explorer.submit(f); }));
    svr.Get("/api/status", status([&](std::int64_t job) { return explorer.status_json(job); }));
    svr.Post("/api/solve", queue([&](const Fields& f) { return explorer.submit_solve(f); }));
    svr.Get("/api/solve", status([&](std::int64_t job) { return explorer.solves().status_json(job); }));
    svr.Post("/api/save", [&](const httplib::Request& req, httplib::Response& res) {
        try {
            const auto path = explorer.save_scenario(req.get_param_value("name"));
            res.set_content(
                "{\"file\":" + json_string(path.filename().string()) + ",\"path\":" + json_string(path.string()) + "}",
                kJson);
        } catch (const Error& e) {
            problem(res, 400, e);
        }
    });
    svr.Post("/api/results.h5", [&](const httplib::Request& req, httplib::Response& res) {
        try {
            const auto path = explorer.save_results_h5(req.get_param_value("name"));
            res.set_content(
                "{\"file\":" + json_string(path.filename().string()) + ",\"path\":" + json_string(path.string()) + "}",
                kJson);
        } catch (const Error& e) {
            problem(res, 409, e);
        }
    });
    svr.Get("/api/results.csv", [&](const httplib::Request&, httplib::Response& res) {
        try {
            res.set_header("Content-Disposition", "attachment; filename=\"explorer-results.csv\"");
            res.set_content(explorer.results_csv(), "text/csv");
        } catch (const Error& e) {
            problem(res, 409, e);
        }
    });
    // Files the explorer saved, by plain name from the results folder only.
    svr.Get("/api/download", [&](const httplib::Request& req, httplib::Response& res) {
        try {
            const auto name = req.get_param_value("file");
            const bool h5 = name.ends_with(".h5");
            const auto path = file_in(explorer.results_dir(), name, h5 ? ".h5" : ".toml", "file");
            if (!std::filesystem::is_regular_file(path)) {
                res.status = 404;
                res.set_content("{\"problems\":[\"no such saved file\"]}", kJson);
                return;
            }
            res.set_header("Content-Disposition", "attachment; filename=\"" + name + "\"");
            res.set_content(read_text(path), h5 ? "application/x-hdf5" : "application/toml");
        } catch (const Error& e) {
            problem(res, 400, e);
        }
    });
    svr.set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr ep) {
        res.status = 500;
        std::string what = "internal error";
        try {
            std::rethrow_exception(ep);
        } catch (const std::exception& e) {
            what = e.what();
        } catch (...) {
        }
        res.set_content("{\"problems\":[" + json_string(what) + "]}", kJson);
    });

    int port = options.port;
    if (port == 0) {
        port = svr.bind_to_any_port(options.host);
        if (port < 0) throw Error("--host", options.host, "could not listen on this address");
    } else if (!svr.bind_to_port(options.host, port)) {
        throw Error("--port", std::to_string(port), "could not listen on " + options.host + " (port in use?)");
    }
    listening("http://" + options.host + ":" + std::to_string(port) + "/");
    svr.listen_after_bind();
}

}  // namespace cpcsim::explorer
