#pragma once
// What a node knows about the other nodes of its cluster, and the
// cluster-wide login table (docs/CLUSTER.md#the-node-registry-and-its-lease,
// docs/CLUSTER.md#logins-across-nodes). The hub and the start-up code see
// only this interface; two implementations:
//   SingleNode (single_node.hpp): SQLite, one node, does nothing;
//   PostgresCluster (postgres_cluster.hpp): the tables cluster_nodes and
//     cluster_sessions, worked on by the CLUSTER thread with a connection
//     of its own.
#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "hub/cluster/cluster_config.hpp"
#include "hub/cluster/cluster_event.hpp"
#include "p2p/swarm/manifest.hpp"

namespace edgehub::hub {

class ResumeTokenStore;  // hub/auth/token_store.hpp

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
  std::string udp_key{};  // its udpkey ("" if none): the other nodes relay it for UVF and private sessions
};

// A device online on another node, as this node learned it.
struct RemoteDevice {
  std::string node;
  std::string account;
  std::string ip;
  int udp_port = 0;
  std::int64_t since_ms = 0;  // unix time
  std::string udp_key{};
};

// A device's announcement to the swarm tracker
// (docs/CLUSTER.md#the-swarm-tracker-across-nodes): share (it holds all of
// the version) or swarmget (it is a downloader, holding what it announces
// with have later).
struct SwarmShare {
  std::string node{};  // the device's node: "" when this node announces it
  std::string account;
  std::string file;  // the name it announces the version under
  bool complete = true;
  std::shared_ptr<const p2p::swarm::Manifest> manifest;
  // A downloader's progress: its chunk bitmap in hex (ChunkSet::to_hex), or
  // "" for none yet. Kept with the announcement in the database, so that a
  // node reading it later (a start, events lost meanwhile) lists the chunks
  // the downloader holds, not only those it announces after.
  std::string held_hex{};
};

// What the other nodes' events do to this node (the hub implements it).
// Called on the cluster's own threads, never on a network thread; every
// call must be thread-safe and must not wait for the database.
class ClusterEvents {
 public:
  virtual ~ClusterEvents() = default;
  // Another node's event (this node's own are not passed on), but for
  // swarm_share and live_message, which come to the two calls below.
  virtual void on_event(const ClusterEvent& event) = 0;
  // Another node's live message for a device online here: true if it was
  // queued to it. The listener answers the sending node itself, at once.
  virtual bool on_live_message(const ClusterEvent& message) = 0;
  // Another node's device announced a swarm version (the listener has
  // read its manifest from the database).
  virtual void on_swarm_share(const SwarmShare& share) = 0;
  // The manifest of root (hex) if this node holds it already, so that the
  // listener reads it from the database only once per version.
  virtual std::shared_ptr<const p2p::swarm::Manifest> known_manifest(const std::string& root_hex) const = 0;
  // Everyone online on the other nodes, read from the database: at the
  // start, and again after the event channel was lost (events may have
  // been missed meanwhile).
  virtual void on_snapshot(const std::vector<RemoteDevice>& devices) = 0;
  // Every swarm announcement of the other nodes' devices, read right after
  // on_snapshot's devices: it replaces what this node knew of them.
  virtual void on_swarm_snapshot(const std::vector<SwarmShare>& shares) = 0;
  // After the event channel was lost and came back (not at the start): the
  // state whose events may have been missed, read from the database.
  // blocks_version() numbers the local copy of the blocks; on_blocks_snapshot
  // replaces it with `blocks` (blocker, blocked) only if it is still at
  // `version` (a local change made while the snapshot was read would be
  // undone), and returns false otherwise, so that the caller reads again.
  virtual std::uint64_t blocks_version() const = 0;
  virtual bool on_blocks_snapshot(const std::vector<std::pair<std::string, std::string>>& blocks,
                                  std::uint64_t version) = 0;
  // A node stopped or died (its lease ran out): its devices are gone.
  virtual void on_node_gone(const std::string& node_id) = 0;
  // Another node had removed this node's row, and its logins with it (its
  // lease ran out, or its database session was gone); it has registered
  // again: its devices claim their accounts again.
  virtual void on_rejoined() = 0;
};

// What a device is told when this node cannot reach the cluster's
// database: at a login, a resume, or the greeting.
inline constexpr std::string_view kDatabaseAway = "The cluster's database cannot be reached; try again later";

class Cluster {
 public:
  // Called on the cluster thread (or at once, by SingleNode); the hub's
  // wrappers (cluster_calls.hpp) post the result to the caller's thread.
  using ClaimDone = std::function<void(std::exception_ptr, bool won)>;
  using Done = std::function<void(std::exception_ptr)>;

  virtual ~Cluster() = default;
  // Registers this node, telling the others its `addresses`, starts
  // renewing its lease and listening to the other nodes' events, which go
  // to `events` until stop(). Called once, at start-up, before the first
  // client: it may wait for the database.
  virtual void start(const std::string& addresses, ClusterEvents& events) = 0;
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
  // Gives up every login of this node at once, as its shutdown begins:
  // one statement, where a release per device made a stop with 20,000
  // devices outlast the node's lease. Fire and forget: a failure is
  // logged (the logins then go with the node's row, at stop()).
  virtual void release_all() = 0;
  // A logged-in account gave a new udpkey: recorded with its login and
  // told to the other nodes. Fire and forget: a failure is logged.
  virtual void update_udp_key(std::string account, std::string key) = 0;
  // Records a device's swarm announcement with its login (so that a node
  // starting later reads it) and tells the other nodes; replaces what the
  // account announced under share.file before. Fire and forget: a failure
  // is logged.
  virtual void announce_swarm(SwarmShare share) = 0;
  // Removes the account's announcement of file and tells the other nodes.
  virtual void withdraw_swarm(std::string account, std::string file) = 0;
  // A downloader's `have`: records what it holds of root now (held_hex, its
  // whole bitmap) with its announcement and tells the other nodes the new
  // chunks (a swarm_have event). Of several records waiting for the
  // database only the newest is written. Fire and forget: a failure is
  // logged.
  virtual void announce_have(std::string account, std::string root_hex, std::string chunks, std::string held_hex) = 0;
  // Tells every other node (after the jobs queued before it). The node
  // field is filled in here. Fire and forget: a failure is logged.
  virtual void publish(ClusterEvent event) = 0;
  // Calls done once every job queued before it has run.
  virtual void after_queued(std::function<void()> done) = 0;
  // The resume tokens every node shares, or nullptr: then each node keeps
  // its own (docs/CLUSTER.md#resume-tokens-across-nodes).
  virtual ResumeTokenStore* shared_tokens() { return nullptr; }
  // False while this node's last lease round could not reach the database:
  // the hub then greets new connections with 503, so that a load
  // balancer's health check sends devices to the other nodes until the
  // database answers again (docs/CLUSTER.md#a-node-away-from-the-database).
  // Any thread; never waits.
  virtual bool database_reachable() const { return true; }
};

}  // namespace edgehub::hub
