#pragma once
#include "client/core/client_commands.hpp"

namespace edgehub::client {

// EDG (generate a local data file) and UED (upload it), SPEC section 4.
void register_edge_data_commands(ClientCommandTable& table);

}  // namespace edgehub::client
