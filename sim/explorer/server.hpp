// The explorer's HTTP server (cpp-httplib): the page and its scripts, Debian's JavaScript
// libraries, and the JSON API over an Explorer (docs/explorer.md, "API").
#pragma once

#include "explorer/explorer.hpp"

#include <filesystem>
#include <functional>
#include <string>

namespace cpcsim::explorer {

struct ServerOptions {
    std::string host = "127.0.0.1";
    int port = 8080;                      ///< 0: any free port
    std::filesystem::path web_dir;        ///< the page: index.html, explorer.js, explorer.css
    std::filesystem::path javascript_dir  ///< Debian's libjs packages
        = "/usr/share/javascript";
    std::size_t max_body_bytes = 64 * 1024;
};

/// Serves until the process ends; `listening(url)` is called once the socket is bound. Throws
/// cpcsim::Error when the address cannot be bound.
void serve(Explorer& explorer, const ServerOptions& options, const std::function<void(const std::string&)>& listening);

}  // namespace cpcsim::explorer
