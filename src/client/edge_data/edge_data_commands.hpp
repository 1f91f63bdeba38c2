#pragma once
#include "client/core/client_commands.hpp"

namespace edgehub::client {

// EDG (generate a local data file) and UED (upload it):
// docs/EDGE_DATA.md#the-commands-end-to-end.
void register_edge_data_commands(ClientCommandTable& table);

}  // namespace edgehub::client
