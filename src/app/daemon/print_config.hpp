#pragma once
// edgehubd --print-config (docs/OPERATIONS.md#the-configuration-file): the
// effective configuration in the configuration file's own format, so that
// its output, saved, is a configuration file that gives the same settings.
#include <CLI/CLI.hpp>

#include <string>

namespace edgehub::app {

// One `name = value` line per long option of app after parsing: its value
// from the command line or the file, else its default; an option with
// neither is a comment. database is the URL in use (--database, the file,
// or EDGEHUB_DATABASE; empty for SQLite); a URL with a password is never
// printed, only a comment naming its user, host and database.
std::string config_text(const CLI::App& app, const std::string& database);

}  // namespace edgehub::app
