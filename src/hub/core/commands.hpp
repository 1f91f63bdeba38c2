#pragma once
// Each feature registers its commands here; build_command_table() calls
// every register_* function below.
#include "hub/core/command_table.hpp"

namespace edgehub::hub {

void register_auth_commands(CommandTable& table);       // login, resume
void register_presence_commands(CommandTable& table);   // AED, whoelsesince, status, OUT
void register_basic_commands(CommandTable& table);      // echo, help
void register_file_commands(CommandTable& table);       // list, get, put (files/file_handlers.cpp)
void register_edge_data_commands(CommandTable& table);  // UED, SCS, DTE
void register_messaging_commands(CommandTable& table);  // message, broadcast, block, private sessions
void register_uvf_commands(CommandTable& table);        // uvf: tickets for peer-to-peer UVF (p2p/uvf_handlers.cpp)
void register_swarm_commands(
    CommandTable& table);  // share, searchfile, swarmget, ...: the swarm tracker (p2p/swarm_*.cpp)

CommandTable build_command_table();

}  // namespace edgehub::hub
