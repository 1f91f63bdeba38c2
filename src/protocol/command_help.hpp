#pragma once
// "help COMMAND": one command explained, in the same words whether the
// server answers (its commands, wire form) or the client does (its own
// commands, what a person types); docs/PROTOCOL.md#7-core-commands and
// docs/CLIENT.md#help.
#include <string>
#include <string_view>
#include <vector>

namespace edgehub::protocol {

struct CommandHelp {
  std::string_view name{};
  std::string_view usage{};
  std::string_view text{};  // the one line `help` lists
  std::vector<std::string> aliases{};
  std::string_view example{};
  bool before_login_only = false;
};

// The reply's summary line: "Help for message".
std::string command_help_summary(std::string_view name);
// Its lines: "Usage: ...", the text, "Aliases: ..." (if any), "Only before
// logging in" (if so), "Example: ...".
std::vector<std::string> command_help_lines(const CommandHelp& help);

}  // namespace edgehub::protocol
