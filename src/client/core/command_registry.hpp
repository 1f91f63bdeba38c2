#pragma once
// One register function per client feature; build_client_commands()
// (client_commands.cpp) calls each. A new feature adds its function here.
#include "client/core/client_commands.hpp"

namespace edgehub::client {

// help (and ?): the server's list, with the client's usage for the commands
// in this table (docs/CLIENT.md#help). client/core/help_command.cpp.
void register_help_command(ClientCommandTable& table);

// status [N]: the server's list with its header ("last 50 of 1234
// connections since start-up") shown first. client/core/status_command.cpp.
void register_status_command(ClientCommandTable& table);

// get NAME and put PATH [-f]: the client halves of the file repository
// (docs/FILES.md); list goes to the server as typed. client/files/file_commands.cpp.
void register_file_commands(ClientCommandTable& table);

// EDG (generate a local data file) and UED (upload it), docs/EDGE_DATA.md.
// client/edge_data/edge_data_commands.cpp.
void register_edge_data_commands(ClientCommandTable& table);

// startprivate, accept, private, stopprivate, verify: the client halves of
// private sessions (decline, message, broadcast, block go to the server as
// typed), docs/MESSAGING.md. client/messaging/messaging_commands.cpp.
void register_messaging_commands(ClientCommandTable& table);

// UVF USER FILE: sends FILE straight to USER over UDP, in the background
// (docs/UDP.md; the transfers run in client/p2p/uvf_agent.hpp).
// client/p2p/uvf_commands.cpp.
void register_uvf_commands(ClientCommandTable& table);

// share/register, unshare, searchFile, searchChunk, p2pDownload: the swarm
// (docs/SWARM.md#5-downloader-and-seeder; the downloads and the seeder run in
// client/p2p/swarm_agent.hpp). client/p2p/swarm_commands.cpp.
void register_swarm_commands(ClientCommandTable& table);

}  // namespace edgehub::client
