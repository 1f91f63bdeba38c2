#include "client/core/client_commands.hpp"

#include <algorithm>
#include <stdexcept>

#include <fmt/format.h>

#include "client/core/command_registry.hpp"
#include "common/strings.hpp"

namespace edgehub::client {

void ClientCommandTable::add(ClientCommand command) {
  // Every word is checked before any is claimed, so a refused entry leaves
  // the table as it was.
  std::vector<std::string> words{to_lower(command.name)};
  for (const auto& alias : command.aliases) words.push_back(to_lower(alias));
  for (auto word = words.begin(); word != words.end(); ++word) {
    const bool repeated = std::find(words.begin(), word, *word) != word;
    if (repeated || index_.contains(*word)) throw std::logic_error("duplicate client command word: " + *word);
  }
  const std::size_t pos = commands_.size();
  for (auto& word : words) index_.emplace(std::move(word), pos);
  commands_.push_back(std::move(command));
}

const ClientCommand* ClientCommandTable::find(std::string_view verb) const {
  const auto it = index_.find(to_lower(verb));
  return it == index_.end() ? nullptr : &commands_[it->second];
}

std::vector<std::string> ClientCommandTable::words() const {
  std::vector<std::string> out;
  for (const auto& c : commands_) out.push_back(c.name);
  return out;
}

std::optional<ClientArgs> split_client_args(const ClientCommand& command, std::string_view rest) {
  const bool takes_rest = command.rest_of_line && command.max_args > 0;
  ClientArgs args = split_words(rest, takes_rest ? command.max_args : kAnyArgCount);
  if (args.size() < command.min_args || args.size() > command.max_args) return std::nullopt;
  return args;
}

std::string usage_error(const ClientCommand& command) { return fmt::format("Usage: {}", command.usage); }

ClientCommandTable build_client_commands() {
  ClientCommandTable table;
  register_help_command(table);
  register_status_command(table);
  register_file_commands(table);
  register_edge_data_commands(table);
  register_messaging_commands(table);
  register_uvf_commands(table);
  register_swarm_commands(table);
  return table;
}

}  // namespace edgehub::client
