#pragma once
// edgehubd --help, laid out like redis-server's or mosquitto's: usage
// first, then the options in groups (network, accounts and logins, ...),
// each with its value's name and its default, and no CLI11 type notes
// such as "INT:INT in [0 - 65535]" (README.md#the-server).
#include <CLI/CLI.hpp>

#include <memory>
#include <string>

namespace edgehub::app {

// The help text for app's options. An option not in the groups of
// server_help.cpp goes under "Peer-to-peer swarm" when its name starts
// with --swarm-, otherwise under "Other options".
std::string server_help_text(const CLI::App& app);

// Installs server_help_text as app's --help.
void use_server_help(CLI::App& app);

}  // namespace edgehub::app
