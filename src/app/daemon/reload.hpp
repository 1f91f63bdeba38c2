#pragma once
// SIGHUP (docs/OPERATIONS.md#reloading-sighup): reopens the log file, reads
// the configuration file and command line again, applies what can change
// without dropping a device (the log level), imports the credentials file
// again in the background, and names in the log what needs a restart.
#include <atomic>
#include <functional>
#include <thread>

#include "app/server_options.hpp"

namespace edgehub::app {

class Reloader {
 public:
  // running: the settings in force, updated with what was applied; stop:
  // true once the server stops (an import in progress then gives up).
  Reloader(int argc, char** argv, ServerSettings& running, std::function<bool()> stop)
      : argc_(argc), argv_(argv), running_(running), stop_(std::move(stop)) {}
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

  const int argc_;
  char** const argv_;
  ServerSettings& running_;
  const std::function<bool()> stop_;
  std::atomic<bool> importing_{false};
  std::thread import_;
};

}  // namespace edgehub::app
