#pragma once
// The other nodes' devices in this node's swarm tracker
// (docs/CLUSTER.md#the-swarm-tracker-across-nodes). Their announcements
// arrive as cluster events (ClusterLink passes them here) and go into the
// same SwarmTracker as this node's own devices, so searchfile, searchchunk,
// swarmget and swarmpeers answer for the whole cluster. The tickets a
// downloader gets are made on its own node; a holder on another node hears
// of them through a relay event.
//
// Each node is one owner in the tracker's sense: a late event about a
// device's login on node B never touches its newer login on node C.
// Thread-safe: the listener thread and the cluster thread call it.
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "hub/cluster/cluster.hpp"
#include "hub/p2p/swarm_tracker.hpp"

namespace edgehub::hub {

class Hub;

class RemoteSwarm {
 public:
  explicit RemoteSwarm(Hub& hub) : hub_(hub) {}

  void share(const SwarmShare& share);
  void unshare(const std::string& node, const std::string& account, const std::string& file);
  void have(const std::string& node, const std::string& account, const std::string& root_hex,
            const std::string& chunks);
  // account's login on node ended.
  void left(const std::string& node, const std::string& account);
  void node_gone(const std::string& node);
  // Everything the other nodes' devices announce, read from the database:
  // replaces what this node knew of them.
  void replace(const std::vector<SwarmShare>& shares);

 private:
  // Under mutex_.
  const void* owner_of(const std::string& node);
  void share_locked(const SwarmShare& share);
  void withdraw_locked(const std::string& account, const std::string& node);

  Hub& hub_;
  std::mutex mutex_;
  std::set<std::string> nodes_;                    // each node's owner is its string's address
  std::map<std::string, std::string> announcers_;  // account -> its node, for node_gone and replace
};

}  // namespace edgehub::hub
