#pragma once
#include "client/core/client_commands.hpp"

namespace edgehub::client {

// UVF USER FILE: sends FILE straight to USER over UDP, in the background
// (docs/UDP.md#11-uvf-user-file-in-the-client; the transfers run in
// client/p2p/uvf_agent.hpp).
void register_uvf_commands(ClientCommandTable& table);

}  // namespace edgehub::client
