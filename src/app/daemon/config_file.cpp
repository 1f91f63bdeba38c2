#include "app/daemon/config_file.hpp"

#include <CLI/CLI.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string_view>

#include <fmt/format.h>

namespace edgehub::app {
namespace {

std::string trimmed(std::string text) {
  CLI::detail::trim(text);
  return text;
}

// A value that opens an array on this line and closes it on a later one,
// which CLI11 reads as one item: the lines are joined the same way.
bool opens_array(const std::string& line) {
  const auto eq = line.find('=');
  if (eq == std::string::npos) return false;
  const std::string value = trimmed(line.substr(eq + 1));
  return value.size() > 1 && value.front() == '[' && value.back() != ']';
}

// One logical line, read by CLI11's own reader so that the values are split
// and unquoted exactly as they will be when the file is loaded.
std::vector<CLI::ConfigItem> items_of(const std::string& text) {
  std::istringstream in(text);
  return CLI::ConfigTOML().from_config(in);
}

std::optional<std::string> check_item(const CLI::ConfigItem& item, const ConfigCheck& check) {
  if (item.name == "--") return std::nullopt;  // CLI11's end-of-section marker
  std::string name = item.name;
  for (auto it = item.parents.rbegin(); it != item.parents.rend(); ++it) name = *it + "." + name;
  if (!item.parents.empty() || !check.known(name))
    return fmt::format("unknown option '{}' (edgehubd --help lists them; write them without the leading --)", name);
  if (auto problem = check.problem(name, item.inputs); !problem.empty()) return problem;
  return std::nullopt;
}

}  // namespace

std::string default_config_file() {
  const char* env = std::getenv(kConfigFileEnv);
  return env ? env : kDefaultConfigFile;
}

bool on_command_line(int argc, char** argv, std::string_view option) {
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == option || (arg.starts_with(option) && arg.substr(option.size()).starts_with('='))) return true;
  }
  return false;
}

std::string config_file_of(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "--config" && i + 1 < argc) return argv[i + 1];
    if (arg.rfind("--config=", 0) == 0) return std::string(arg.substr(9));
  }
  std::string fallback = default_config_file();
  std::error_code ignored;
  return !fallback.empty() && std::filesystem::exists(fallback, ignored) ? fallback : std::string();
}

std::optional<std::string> check_config_file(const std::string& path, const ConfigCheck& check) {
  std::ifstream in(path);
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    const int first = number;
    std::string text = trimmed(line);
    if (text.empty() || text.front() == '#' || text.front() == ';') continue;
    if (text.front() == '[' && text.back() == ']')
      return fmt::format("{}:{}: sections are not used: every option is a top-level 'name = value' line", path, first);
    for (std::string more; opens_array(text) && std::getline(in, more); ++number) text += trimmed(more);
    for (const auto& item : items_of(text))
      if (auto problem = check_item(item, check)) return fmt::format("{}:{}: {}", path, first, *problem);
  }
  return std::nullopt;
}

}  // namespace edgehub::app
