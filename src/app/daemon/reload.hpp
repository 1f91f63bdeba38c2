#pragma once
// SIGHUP (docs/OPERATIONS.md#reloading-sighup): reopens the log file and
// reads the configuration file and command line again, applying what can
// change without dropping a device (the log level) and naming in the log
// what needs a restart.
#include "app/server_options.hpp"

namespace edgehub::app {

// running: the settings in force, updated with what was applied.
void reload_on_sighup(int argc, char** argv, ServerSettings& running);

}  // namespace edgehub::app
