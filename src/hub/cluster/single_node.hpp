#pragma once
// The cluster of one (SQLite, the default): no registry, no thread, no
// database work; nothing gets slower (docs/CLUSTER.md#the-node-registry-and-its-lease).
// The hub asks spans_nodes() and makes no claims at all.
#include <string>
#include <utility>
#include <vector>

#include "hub/cluster/cluster.hpp"

namespace edgehub::hub {

class SingleNode : public Cluster {  // not final: the tests record what a hub publishes
 public:
  void start(const std::string&, ClusterEvents&) override {}
  void stop() override {}
  bool spans_nodes() const override { return false; }
  const std::string& node_id() const override { return id_; }
  std::vector<NodeInfo> live_nodes() const override { return {NodeInfo{.id = id_}}; }
  void claim(DeviceClaim, ClaimDone done) override { done(nullptr, true); }
  void release(std::string, Done done) override {
    if (done) done(nullptr);
  }
  void release_all() override {}
  void update_udp_key(std::string, std::string) override {}
  void announce_swarm(SwarmShare) override {}
  void withdraw_swarm(std::string, std::string) override {}
  void announce_have(std::string, std::string, std::string, std::string) override {}
  void publish(ClusterEvent) override {}
  void after_queued(std::function<void()> done) override { done(); }

 private:
  std::string id_ = "single";
};

}  // namespace edgehub::hub
