#include "protocol/command_help.hpp"

#include <fmt/format.h>

namespace edgehub::protocol {

std::string command_help_summary(std::string_view name) { return fmt::format("Help for {}", name); }

std::vector<std::string> command_help_lines(const CommandHelp& help) {
  std::vector<std::string> lines{fmt::format("Usage: {}", help.usage), std::string(help.text)};
  if (!help.aliases.empty()) {
    std::string aliases;
    for (const auto& alias : help.aliases) aliases += (aliases.empty() ? "" : ", ") + alias;
    lines.push_back(fmt::format("Aliases: {}", aliases));
  }
  if (help.before_login_only) lines.emplace_back("Only before logging in");
  if (!help.example.empty()) lines.push_back(fmt::format("Example: {}", help.example));
  return lines;
}

}  // namespace edgehub::protocol
