#pragma once
#include "client/core/client_commands.hpp"

namespace edgehub::client {

// UVF USER FILE: sends FILE straight to USER over UDP, in the background
// (SPEC section 6, docs/UDP.md; the transfers run in client/uvf_agent.hpp).
void register_uvf_commands(ClientCommandTable& table);

}  // namespace edgehub::client
