#pragma once
// Shared by the swarm tracker's command files (swarm_share.cpp,
// swarm_handlers.cpp); docs/SWARM.md#2-tracker-protocol.
#include <memory>
#include <string>
#include <string_view>

#include "hub/core/command_context.hpp"
#include "hub/core/command_table.hpp"
#include "hub/p2p/swarm_tracker.hpp"

namespace edgehub::hub {

// The calling device as the tracker knows it.
SwarmDevice swarm_device(Session& s);
// Replies 400 and returns false unless name may be shared (kSharedName).
bool check_shared_name(CommandContext& ctx, std::string_view name);
void reply_refusal(CommandContext& ctx, const SwarmRefusal& refusal);
// Tells the other nodes of the cluster (if any) that s announces file.
void announce_to_cluster(Session& s, Hub& hub, const std::string& file, std::shared_ptr<const SwarmManifest> manifest,
                         bool complete);

// share (alias register): swarm_share.cpp.
void register_swarm_share_command(CommandTable& table);

}  // namespace edgehub::hub
