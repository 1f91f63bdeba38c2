#pragma once
// edgehubd's command line (README.md#the-server). Parsing is separate from
// main() so every refusal path (exit code 2) can be tested.
#include <optional>
#include <string>
#include <vector>

#include "hub/core/hub_config.hpp"
#include "net/server.hpp"
#include "net/tls_context.hpp"
#include "web/server/http_server.hpp"

namespace edgehub::app {

inline constexpr std::uint16_t kDefaultPort = 7475;

struct ServerSettings {
  hub::HubConfig hub;
  net::ServerOptions net;
  web::HttpOptions http;  // --http-*; its TLS context is the device port's
  std::string log_level = "info";
  std::string log_file;  // --log-file; empty: stderr, or the journal under systemd (app/daemon/logging.hpp)
  std::optional<net::TlsFiles> tls_files;  // --cert/--key; otherwise the data directory's own
  // --database or EDGEHUB_DATABASE: a postgresql:// URL; empty: SQLite in
  // the data directory (app/database_choice.hpp).
  std::string database;
  // What --print-config shows: one "name = value" line per option. A
  // SIGHUP compares it with the new one to name what needs a restart.
  std::string config_text;
};

struct ParseOutcome {
  std::optional<ServerSettings> settings;  // set: run the server
  int exit_code = 0;                       // otherwise exit with this (0 for --help)
};

ParseOutcome parse_server_options(int argc, char** argv);

}  // namespace edgehub::app
