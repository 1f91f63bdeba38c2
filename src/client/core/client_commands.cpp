#include "client/core/client_commands.hpp"

#include "client/edge_data/edge_data_commands.hpp"

#include "client/messaging/messaging_commands.hpp"
#include "client/p2p/uvf_commands.hpp"
#include "client/files/file_commands.hpp"
#include "common/strings.hpp"

namespace edgehub::client {

void ClientCommandTable::add(ClientCommand command) {
  const std::size_t pos = commands_.size();
  index_[to_lower(command.name)] = pos;
  for (const auto& a : command.aliases) index_[to_lower(a)] = pos;
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

ClientCommandTable build_client_commands() {
  ClientCommandTable table;
  register_file_commands(table);
  register_edge_data_commands(table);
  register_messaging_commands(table);
  register_uvf_commands(table);
  return table;
}

}  // namespace edgehub::client
