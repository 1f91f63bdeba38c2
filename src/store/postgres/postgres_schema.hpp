#pragma once
// PostgreSQL's schema as versioned migrations: step i (0-based) moves the
// database from version i to i + 1, recorded in the table schema_version.
#include <string_view>
#include <vector>

// The advisory-lock space of the cluster's liveness locks: each node holds
// (this space, hashtext(node_id)) on its cluster connection while it runs
// (hub/cluster/node_registry.hpp, docs/CLUSTER.md#a-dead-nodes-logins-are-free-at-once),
// so a free lock says the node's database session is gone. "EHB1" as a
// 32-bit integer. A macro, so that SQL text can splice it in.
#define EDGEHUB_LIVENESS_LOCK_SPACE "1162363441"

namespace edgehub::store {

const std::vector<std::string_view>& postgres_migrations();

}  // namespace edgehub::store
