#pragma once
#include "client/core/client_commands.hpp"

namespace edgehub::client {

// accept, private, stopprivate: the client-side halves of private sessions
// (startprivate, decline, message, broadcast, block go to the server as typed).
void register_messaging_commands(ClientCommandTable& table);

}  // namespace edgehub::client
