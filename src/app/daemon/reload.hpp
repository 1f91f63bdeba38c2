#pragma once
// SIGHUP (docs/OPERATIONS.md#reloading-sighup): reopens the log file, reads
// the configuration file and command line again, applies what can change
// without dropping a device (the log level), imports the credentials file
// again in the background, and names in the log what needs a restart.
#include <atomic>
#include <functional>
#include <thread>

#include "app/server_certificate.hpp"
#include "app/server_options.hpp"

namespace edgehub::app {

class Reloader {
 public:
  // running: the settings in force, updated with what was applied;
  // certificate: the one serving, whose files are read again; stop: true
  // once the server stops (an import in progress then gives up).
  Reloader(int argc, char** argv, ServerSettings& running, ServingCertificate certificate, std::function<bool()> stop)
      : argc_(argc), argv_(argv), running_(running), certificate_(std::move(certificate)), stop_(std::move(stop)) {}
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

  const int argc_;
  char** const argv_;
  ServerSettings& running_;
  ServingCertificate certificate_;
  const std::function<bool()> stop_;
  std::atomic<bool> importing_{false};
  std::thread import_;
};

}  // namespace edgehub::app
