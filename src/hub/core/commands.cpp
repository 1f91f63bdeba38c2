#include "hub/core/commands.hpp"

namespace edgehub::hub {

CommandTable build_command_table() {
  CommandTable table;
  register_basic_commands(table);
  register_auth_commands(table);
  register_presence_commands(table);
  register_file_commands(table);
  register_edge_data_commands(table);
  register_messaging_commands(table);
  register_uvf_commands(table);
  register_swarm_commands(table);
  return table;
}

}  // namespace edgehub::hub
