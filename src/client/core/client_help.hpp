#pragma once
// What `help` shows a person (docs/CLIENT.md#help): the server's list of
// commands, with the client's own commands in the words a person types
// (`UED FILEID`, not the wire's `UED FILEID SIZE SHA256`), the client-only
// ones added (`EDG`, `private`, `p2pDownload`) and the wire-only ones the
// client sends for the person left out (`login`, `swarmget`...). `help
// COMMAND` explains one command with an example: the client answers for
// its own commands, the server for the rest.
#include <string>
#include <string_view>
#include <vector>

#include "client/core/client_commands.hpp"
#include "protocol/command_help.hpp"

namespace edgehub::client {

// The client's text and example for one of its commands (by the name it is
// registered under); nullptr if it has none. client/core/client_help.cpp.
struct ClientHelpText {
  std::string_view name;
  std::string_view text;
  std::string_view example;
  // A command the server does not know is listed after this one (its
  // relative: EDG after put, private after accept); at the end if "".
  std::string_view listed_after = {};
};
const ClientHelpText* client_help_text(std::string_view name);

// Server commands the client sends on the person's behalf, never typed:
// left out of `help`.
bool sent_by_the_client_only(std::string_view server_command);

// The list `help` prints, from the server's help lines.
std::vector<std::string> client_help_list(const std::vector<std::string>& server_lines,
                                          const ClientCommandTable& table);

// `help COMMAND` for a client command.
protocol::CommandHelp client_command_help(const ClientCommand& command);

}  // namespace edgehub::client
