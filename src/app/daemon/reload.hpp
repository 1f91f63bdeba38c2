#pragma once
// SIGHUP (docs/OPERATIONS.md#reloading-sighup): reopens the log file, reads
// the configuration file and command line again, applies what can change
// without dropping a device (the log level, the TLS certificate, the limits
// and timeouts), imports the credentials file again in the background, and
// names in the log each changed option that needs a restart.
#include <atomic>
#include <functional>
#include <map>
#include <string>
#include <thread>

#include "app/server_certificate.hpp"
#include "app/server_options.hpp"
#include "hub/core/hub.hpp"

namespace edgehub::app {

class Reloader {
 public:
  // What a reload changes besides the settings: the serving certificate,
  // whose files are read again, and the hub's limits.
  struct Targets {
    ServingCertificate certificate;
    hub::Hub& hub;
  };
  // running: the settings in force, updated with what was applied; stop:
  // true once the server stops (an import in progress then gives up).
  Reloader(int argc, char** argv, ServerSettings& running, Targets targets, std::function<bool()> stop);
  ~Reloader();  // waits for an import in progress
  Reloader(const Reloader&) = delete;
  Reloader& operator=(const Reloader&) = delete;

  void on_sighup();

 private:
  // The credentials file, imported on a thread of its own through a second
  // database connection, as `edgehubd user` would: the hub's once-a-second
  // check of the database sees another connection's change and reloads
  // the accounts (hub/auth/account_reload.cpp).
  void reimport_credentials();
  // The TLS certificate and key, read again from the same files; a pair
  // that cannot be used is logged and the one serving stays.
  void reload_certificate(const ServerSettings& fresh);
  // The limits and timeouts (app/daemon/reloadable_limits.hpp), applied
  // at once, one log line each.
  void reload_limits(const ServerSettings& fresh);
  // One log line per changed option that this reload did not apply.
  void name_what_needs_a_restart(const ServerSettings& fresh);

  const int argc_;
  char** const argv_;
  ServerSettings& running_;
  Targets targets_;
  const std::function<bool()> stop_;
  // Option name -> its --print-config line, as in force: a changed option
  // that needs a restart keeps its old line, so every SIGHUP names it.
  std::map<std::string, std::string> in_force_;
  std::atomic<bool> importing_{false};
  std::thread import_;
};

}  // namespace edgehub::app
