#include "app/daemon/reload.hpp"

#include <spdlog/spdlog.h>

#include "app/daemon/logging.hpp"

namespace edgehub::app {

void reload_on_sighup(int argc, char** argv, ServerSettings& running) {
  const bool reopened = reopen_log();  // first: logrotate has moved the old file away
  const auto fresh = parse_server_options(argc, argv);
  if (!fresh.settings) {
    spdlog::error("SIGHUP: the configuration does not parse any more (the reason is on stderr); nothing reloaded");
    return;
  }
  if (fresh.settings->log_level != running.log_level) {
    spdlog::set_level(spdlog::level::from_str(fresh.settings->log_level));
    spdlog::warn("SIGHUP: log level {} (was {})", fresh.settings->log_level, running.log_level);
    running.log_level = fresh.settings->log_level;
  }
  if (fresh.settings->log_file != running.log_file)
    spdlog::warn("SIGHUP: log-file changed to '{}'; restart edgehubd to log there", fresh.settings->log_file);
  spdlog::warn(
      "SIGHUP: {}log level {}; not reloaded (restart edgehubd to change them): addresses and ports, the data "
      "directory and database, limits and timeouts, the credentials file, TLS certificates",
      running.log_file.empty() ? "" : (reopened ? "log file reopened; " : "log file NOT reopened; "),
      running.log_level);
}

}  // namespace edgehub::app
