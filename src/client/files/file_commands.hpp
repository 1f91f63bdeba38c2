#pragma once
#include "client/core/client_commands.hpp"

namespace edgehub::client {

// get NAME and put PATH [-f]: the client halves of the file repository
// (docs/FILES.md#using-it); list goes to the server as typed.
void register_file_commands(ClientCommandTable& table);

}  // namespace edgehub::client
