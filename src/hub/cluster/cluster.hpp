#pragma once
// What a node knows about the other nodes of its cluster, and the
// cluster-wide login table (docs/CLUSTER.md#the-node-registry-and-its-lease,
// docs/CLUSTER.md#logins-across-nodes). The hub and the start-up code see
// only this interface; two implementations:
//   SingleNode (single_node.hpp): SQLite, one node, does nothing;
//   PostgresCluster (postgres_cluster.hpp): the tables cluster_nodes and
//     cluster_sessions, worked on by the CLUSTER thread with a connection
//     of its own.
#include <exception>
#include <functional>
#include <string>
#include <vector>

#include "hub/cluster/cluster_config.hpp"

namespace edgehub::hub {

struct NodeInfo {
  std::string id{};
  std::string addresses{};    // "device=HOST:PORT[ http=HOST:PORT]", as the node listens
  std::string started_at{};   // database time, UTC
  std::string lease_until{};  // database time, UTC
};

// A login, as the other nodes see it.
struct DeviceClaim {
  std::string account;
  std::string ip;
  int udp_port = 0;
};

class Cluster {
 public:
  // Called on the cluster thread (or at once, by SingleNode); the hub's
  // wrappers (cluster_calls.hpp) post the result to the caller's thread.
  using ClaimDone = std::function<void(std::exception_ptr, bool won)>;
  using Done = std::function<void(std::exception_ptr)>;

  virtual ~Cluster() = default;
  // Registers this node, telling the others its `addresses`, and starts
  // renewing its lease. Called once, at start-up, before the first client:
  // it may wait for the database.
  virtual void start(const std::string& addresses) = 0;
  // Stops renewing and removes this node's row (and with it its logins),
  // so the others see it gone at once rather than after the lease. Called
  // once, after serving.
  virtual void stop() = 0;
  // False for SingleNode: then the hub makes no claims at all.
  virtual bool spans_nodes() const = 0;
  virtual const std::string& node_id() const = 0;
  // The nodes whose lease was valid at the last look, this one included,
  // by id. A snapshot; never waits for the database.
  virtual std::vector<NodeInfo> live_nodes() const = 0;

  // Takes the account for this node in the whole cluster, atomically
  // (a primary key): won is false if any node holds it. Errors (the
  // database out of reach) come as the exception.
  virtual void claim(DeviceClaim claim, ClaimDone done) = 0;
  // Gives the account up (logout, disconnect, heartbeat timeout). Jobs run
  // in the order they were queued, so a release queued after a claim
  // undoes it. done may be empty.
  virtual void release(std::string account, Done done) = 0;
  // Calls done once every job queued before it has run.
  virtual void after_queued(std::function<void()> done) = 0;
};

}  // namespace edgehub::hub
