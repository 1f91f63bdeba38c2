// The cluster of one (hub/cluster/single_node.hpp) and the lease's
// arithmetic (hub/cluster/cluster_config.hpp); the PostgreSQL side is
// tested with real nodes in tests/integration/test_cluster.py.
#include <gtest/gtest.h>

#include "hub/cluster/make_cluster.hpp"
#include "hub/cluster/single_node.hpp"

namespace edgehub::hub {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

TEST(ClusterConfig, RenewsEveryThirdOfTheLeaseAndBoundsADeathByLeasePlusOneRound) {
  const ClusterConfig config{.lease = seconds(10)};
  EXPECT_EQ(config.renew_every(), milliseconds(3333));
  EXPECT_EQ(config.death_bound(), milliseconds(13333));
  const ClusterConfig tests{.lease = seconds(2)};
  EXPECT_EQ(tests.death_bound(), milliseconds(2666));
}

struct NoEvents final : ClusterEvents {
  void on_event(const ClusterEvent&) override { ADD_FAILURE() << "a single node has no other nodes"; }
  bool on_live_message(const ClusterEvent&) override {
    ADD_FAILURE() << "a single node has no other nodes";
    return false;
  }
  void on_swarm_share(const SwarmShare&) override { ADD_FAILURE() << "a single node has no other nodes"; }
  std::shared_ptr<const p2p::swarm::Manifest> known_manifest(const std::string&) const override { return nullptr; }
  void on_snapshot(const std::vector<RemoteDevice>&) override { ADD_FAILURE() << "a single node has no snapshot"; }
  void on_swarm_snapshot(const std::vector<SwarmShare>&) override { ADD_FAILURE() << "a single node has no snapshot"; }
  std::uint64_t blocks_version() const override { return 0; }
  bool on_blocks_snapshot(const std::vector<std::pair<std::string, std::string>>&, std::uint64_t) override {
    ADD_FAILURE() << "a single node has no snapshot";
    return true;
  }
  void on_node_gone(const std::string&) override { ADD_FAILURE() << "a single node has no other nodes"; }
  void on_rejoined() override { ADD_FAILURE() << "a single node never leaves a cluster"; }
};

TEST(SingleNode, WithoutADatabaseURLTheClusterIsOneNodeThatClaimsNothing) {
  const auto cluster = make_cluster("", ClusterConfig{});
  NoEvents events;
  cluster->start("device=127.0.0.1:1", events);
  cluster->publish({.kind = ClusterEvent::Kind::kick, .name = "alice"});
  EXPECT_FALSE(cluster->spans_nodes());
  ASSERT_EQ(cluster->live_nodes().size(), 1U);
  EXPECT_EQ(cluster->live_nodes()[0].id, cluster->node_id());
  bool won = false;
  cluster->claim(DeviceClaim{"alice", "127.0.0.1", 0}, [&](std::exception_ptr, bool result) { won = result; });
  EXPECT_TRUE(won);
  bool released = false;
  cluster->release("alice", [&](std::exception_ptr error) { released = error == nullptr; });
  EXPECT_TRUE(released);
  // Resume tokens stay in the hub's memory (docs/CLUSTER.md#resume-tokens-across-nodes).
  EXPECT_EQ(cluster->shared_tokens(), nullptr);
  cluster->stop();
}

}  // namespace
}  // namespace edgehub::hub
