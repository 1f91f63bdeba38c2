#pragma once
// The hub's side of the events between nodes
// (docs/CLUSTER.md#events-between-nodes): what another node's login,
// logout, stored message, broadcast, block, failed login or swarm
// announcement does here. The
// cluster's listener thread calls it; everything it touches is thread-safe
// and it never waits for the database.
#include <string>
#include <vector>

#include "hub/cluster/cluster.hpp"
#include "hub/p2p/remote_swarm.hpp"
#include "hub/presence/directory.hpp"

namespace edgehub::hub {

class Hub;

class ClusterLink final : public ClusterEvents {
 public:
  explicit ClusterLink(Hub& hub) : hub_(hub), swarm_(hub) {}

  void on_event(const ClusterEvent& event) override;
  bool on_live_message(const ClusterEvent& message) override;
  void on_swarm_share(const SwarmShare& share) override { swarm_.share(share); }
  std::shared_ptr<const p2p::swarm::Manifest> known_manifest(const std::string& root_hex) const override;
  void on_snapshot(const std::vector<RemoteDevice>& devices) override;
  void on_swarm_snapshot(const std::vector<SwarmShare>& shares) override { swarm_.replace(shares); }
  std::uint64_t blocks_version() const override;
  bool on_blocks_snapshot(const std::vector<std::pair<std::string, std::string>>& blocks,
                          std::uint64_t version) override;
  void on_node_gone(const std::string& node_id) override;
  void on_rejoined() override;

 private:
  void remote_login(const ClusterEvent& event);
  void remote_logout(const ClusterEvent& event);
  void remote_block(const ClusterEvent& event);
  // The answer to a claim on_rejoined made for device, online here.
  void reclaimed(const OnlineDevice& device, const std::exception_ptr& error, bool won);
  // The device log and the presence events after a change in the directory.
  void changed(const std::vector<std::string>& arrived, const std::vector<std::string>& left);

  Hub& hub_;
  RemoteSwarm swarm_;
};

}  // namespace edgehub::hub
