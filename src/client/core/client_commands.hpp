#pragma once
// Commands the client handles itself (EDG writes a local file, UED uploads
// one, get downloads, UVF sends peer to peer...). Anything not in this table
// is sent to the server as typed and its reply printed. Like the server's
// table (hub/core/command_table.hpp), an entry states its arity; the table
// checks it and answers a wrong count with "Usage: <usage>" before the
// handler runs. How to add one: docs/CLIENT.md#client-side-commands.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace edgehub::client {

class ClientApp;

// The words after the verb, split by the command's rule; they point into the
// line typed, which outlives the handler call.
using ClientArgs = std::vector<std::string_view>;

// max_args for a command that takes any number of words (put PATH [-f]).
inline constexpr std::size_t kAnyArgCount = SIZE_MAX;

struct ClientCommand {
  // Members left out of an entry take these defaults (every member has one,
  // so -Wmissing-field-initializers is quiet about designated initializers).
  std::string name{};
  std::vector<std::string> aliases{};
  std::size_t min_args = 0;
  // Without rest_of_line every word is one argument, and more than max_args
  // is a usage error. With it, the last argument takes the rest of the line,
  // spaces included, as on the server ("private bob hi there" -> {"bob",
  // "hi there"}), so there cannot be too many.
  std::size_t max_args = 0;
  bool rest_of_line = false;
  // What a person types ("UED FILEID"); `help` shows it in place of the
  // server's wire form ("UED FILEID SIZE SHA256").
  std::string usage{};
  // Runs on the command thread, only with an argument count in range.
  std::function<void(ClientApp& app, const ClientArgs& args)> run{};
};

class ClientCommandTable {
 public:
  // Throws std::logic_error if the name or an alias is already taken
  // (case-insensitively); the table is then unchanged.
  void add(ClientCommand command);
  const ClientCommand* find(std::string_view verb) const;  // by name or alias, case-insensitive
  const std::vector<ClientCommand>& all() const { return commands_; }
  std::vector<std::string> words() const;  // names, for tab completion

 private:
  std::vector<ClientCommand> commands_;
  std::unordered_map<std::string, std::size_t> index_;  // lower-case word -> command
};

// The words after the verb split by command's rule; nullopt if their number
// is out of range.
std::optional<ClientArgs> split_client_args(const ClientCommand& command, std::string_view rest);
// "Usage: UED FILEID", worded like the server's usage error.
std::string usage_error(const ClientCommand& command);

// Every feature's register function (client/core/command_registry.hpp) is
// called from here.
ClientCommandTable build_client_commands();

}  // namespace edgehub::client
