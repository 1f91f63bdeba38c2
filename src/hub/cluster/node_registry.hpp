#pragma once
// The table cluster_nodes (migration 2, store/postgres/postgres_schema.cpp):
// one row per node with its lease. Every time is the database's clock
// (now()), so the nodes' own clocks do not matter. Plain calls on one
// connection, each statement its own transaction; the caller's thread
// waits (PostgresCluster calls them on its own thread only).
#include <chrono>
#include <string>
#include <vector>

#include "hub/cluster/cluster.hpp"
#include "store/postgres/pg_connection.hpp"
#include "store/postgres/postgres_schema.hpp"

namespace edgehub::hub {

// Each node also holds a session-level advisory lock,
// (EDGEHUB_LIVENESS_LOCK_SPACE, hashtext(node_id)), on its cluster
// connection for as long as it runs
// (docs/CLUSTER.md#a-dead-nodes-logins-are-free-at-once). PostgreSQL
// releases it the moment that connection ends, so a free lock tells the
// other nodes that the node's database session is gone, long before its
// lease runs out.

class NodeRegistry {
 public:
  explicit NodeRegistry(store::PgConnection& db) : db_(db) {}

  // Takes node id's liveness lock on this connection, without waiting.
  // False if another session holds it: a previous run's connection that
  // PostgreSQL has not closed yet, or (2^-32) another node's id that hashes
  // alike; the caller tries again later.
  bool hold_liveness_lock(const std::string& id);
  // Inserts this node's row with a lease of `lease` from now.
  void enter(const NodeInfo& self, std::chrono::seconds lease);
  // Moves this node's lease to now + lease. False if its row is gone: the
  // others reaped it because the lease ran out (the database was out of
  // reach for that long); the caller enters again.
  bool renew(const std::string& id, std::chrono::seconds lease);
  // Deletes the rows whose lease has run out; returns them.
  std::vector<NodeInfo> reap_expired();
  std::vector<NodeInfo> live_nodes();
  // Deletes the node's row and with it its logins; false if there was none.
  bool leave(const std::string& id);

 private:
  store::PgConnection& db_;
};

}  // namespace edgehub::hub
