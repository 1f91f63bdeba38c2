#pragma once
// edgehubd's configuration file (docs/OPERATIONS.md#the-configuration-file):
// CLI11's TOML/INI reader loads it (app.set_config), one `name = value` line
// per long option. CLI11 reports a bad value without saying where it was,
// so the file is checked here first, line by line, to refuse it with
// FILE:LINE.
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace edgehub::app {

// Read when it exists and --config is not given.
inline constexpr const char* kDefaultConfigFile = "/etc/edgehub/edgehubd.conf";
// Replaces kDefaultConfigFile when set; set and empty: no default file
// (the tests set it so that an installed package's file cannot reach them).
inline constexpr const char* kConfigFileEnv = "EDGEHUB_CONFIG";

// kDefaultConfigFile, or EDGEHUB_CONFIG's value.
std::string default_config_file();

// Whether argv holds option ("--name"), as "--name VALUE" or "--name=VALUE".
bool on_command_line(int argc, char** argv, std::string_view option);

// The file CLI11 will read: --config FILE (or --config=FILE) in argv, else
// the default one if it exists; empty for none.
std::string config_file_of(int argc, char** argv);

// How the lines are judged: by the same option table as the command line.
struct ConfigCheck {
  // A long option the file may set (without its leading --).
  std::function<bool(const std::string& name)> known;
  // Why name = values is refused, when the option is parsed alone; empty if accepted.
  std::function<std::string(const std::string& name, const std::vector<std::string>& values)> problem;
};

// "FILE:LINE: why" for the first refused line; nullopt when every line is
// accepted or the file cannot be opened (CLI11 reports that itself).
std::optional<std::string> check_config_file(const std::string& path, const ConfigCheck& check);

}  // namespace edgehub::app
