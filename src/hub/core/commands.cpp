#include "hub/core/commands.hpp"

namespace edgehub::hub {

namespace {
// Runs one register_*_commands and files what it added under `feature`.
void add_feature(CommandTable& table, void (*register_commands)(CommandTable&), metrics::Feature feature) {
  const std::size_t from = table.all().size();
  register_commands(table);
  table.set_feature(from, feature);
}
}  // namespace

CommandTable build_command_table() {
  using metrics::Feature;
  CommandTable table;
  add_feature(table, register_basic_commands, Feature::control);
  add_feature(table, register_auth_commands, Feature::control);
  add_feature(table, register_presence_commands, Feature::control);
  add_feature(table, register_file_commands, Feature::files);
  add_feature(table, register_edge_data_commands, Feature::edge_data);
  add_feature(table, register_messaging_commands, Feature::messaging);
  add_feature(table, register_uvf_commands, Feature::control);
  add_feature(table, register_swarm_commands, Feature::control);
  return table;
}

}  // namespace edgehub::hub
