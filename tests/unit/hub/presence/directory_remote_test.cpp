// Devices online on other nodes in the Directory (docs/CLUSTER.md#presence-across-nodes).
#include <gtest/gtest.h>

#include <algorithm>

#include "hub/presence/directory.hpp"
#include "unit/hub/fake_peer.hpp"

namespace edgehub::hub {
namespace {

using namespace std::chrono_literals;
using testing::FakePeer;

const SystemTime remote_t0 = std::chrono::system_clock::from_time_t(1'700'000'000);

OnlineDevice elsewhere(const std::string& name, const std::string& node, SystemTime since = remote_t0) {
  OnlineDevice d;
  d.name = name;
  d.ip = "10.0.0.9";
  d.udp_port = 7000;
  d.since = since;
  d.node = node;
  return d;
}

TEST(DirectoryRemote, ARemoteDeviceIsListedAndInTheHistoryButHasNoPeer) {
  Directory dir;
  ASSERT_TRUE(dir.add_remote(elsewhere("bob", "n2")));
  const auto bob = dir.find("bob");
  ASSERT_TRUE(bob.has_value());
  EXPECT_EQ(bob->node, "n2");
  EXPECT_EQ(bob->peer, nullptr);
  EXPECT_EQ(dir.find_peer("bob"), nullptr);
  EXPECT_EQ(dir.online().size(), 1U);
  EXPECT_TRUE(dir.online_peers().empty());          // a broadcast here skips it
  EXPECT_TRUE(dir.presence_subscribers().empty());  // its node sends its events
  EXPECT_EQ(dir.history().size(), 1U);
  EXPECT_EQ(dir.names_since(remote_t0), std::vector<std::string>{"bob"});
}

TEST(DirectoryRemote, OnlyItsOwnNodeEndsARemoteLogin) {
  Directory dir;
  ASSERT_TRUE(dir.add_remote(elsewhere("bob", "n2")));
  EXPECT_FALSE(dir.remove_remote("bob", "n3", remote_t0 + 1s));
  EXPECT_FALSE(dir.remove_remote("bob", "", remote_t0 + 1s));
  EXPECT_TRUE(dir.remove_remote("bob", "n2", remote_t0 + 2s));
  EXPECT_FALSE(dir.find("bob").has_value());
  ASSERT_EQ(dir.history().size(), 1U);
  EXPECT_EQ(dir.history()[0].logout, remote_t0 + 2s);
}

TEST(DirectoryRemote, ALocalLoginStandsAndReplacesAStaleRemoteOne) {
  Directory dir;
  auto p = std::make_shared<FakePeer>("127.0.0.1");
  ASSERT_TRUE(dir.add_remote(elsewhere("bob", "n2")));
  ASSERT_TRUE(dir.add(OnlineDevice{"bob", "127.0.0.1", 0, remote_t0 + 5s, 0, p}));
  EXPECT_EQ(dir.find_peer("bob"), p);
  EXPECT_FALSE(dir.add_remote(elsewhere("bob", "n3")));  // this node's login stands
  EXPECT_EQ(dir.find_peer("bob"), p);
  EXPECT_FALSE(dir.remove_remote("bob", "n2", remote_t0 + 6s));
  EXPECT_EQ(dir.history().size(), 2U);
}

// The end of a shutdown (Hub::let_go_of_connections): the directory lets
// go of every connection it holds, so that none outlives its io_context.
TEST(DirectoryRemote, TakingTheLocalPeersLeavesNoneHeldAndTheRemoteDevicesListed) {
  Directory dir;
  auto p = std::make_shared<FakePeer>("127.0.0.1");
  ASSERT_TRUE(dir.add(OnlineDevice{"alice", "127.0.0.1", 0, remote_t0, 0, p}));
  ASSERT_TRUE(dir.add_remote(elsewhere("bob", "n2")));
  ASSERT_EQ(p.use_count(), 2);  // here and the online table (the presence subscribers point into it)
  const auto taken = dir.take_local_peers();
  ASSERT_EQ(taken.size(), 1U);
  EXPECT_EQ(taken[0], p);
  EXPECT_EQ(p.use_count(), 2);  // here and `taken`: the directory holds none
  EXPECT_EQ(dir.find_peer("alice"), nullptr);
  EXPECT_TRUE(dir.presence_subscribers().empty());
  ASSERT_TRUE(dir.find("bob").has_value());
}

TEST(DirectoryRemote, TheSameRemoteLoginTwiceIsOneRecordAndAMoveToAnotherNodeIsANewOne) {
  Directory dir;
  ASSERT_TRUE(dir.add_remote(elsewhere("bob", "n2")));
  EXPECT_FALSE(dir.add_remote(elsewhere("bob", "n2", remote_t0 + 1s)));
  EXPECT_EQ(dir.history().size(), 1U);
  EXPECT_TRUE(dir.add_remote(elsewhere("bob", "n3", remote_t0 + 2s)));
  EXPECT_EQ(dir.find("bob")->node, "n3");
  EXPECT_EQ(dir.history().size(), 2U);
}

TEST(DirectoryRemote, ANodeGoneTakesItsDevicesWithIt) {
  Directory dir;
  ASSERT_TRUE(dir.add_remote(elsewhere("bob", "n2")));
  ASSERT_TRUE(dir.add_remote(elsewhere("carol", "n2")));
  ASSERT_TRUE(dir.add_remote(elsewhere("dave", "n3")));
  auto gone = dir.remove_node("n2", remote_t0 + 1s);
  std::sort(gone.begin(), gone.end());
  EXPECT_EQ(gone, (std::vector<std::string>{"bob", "carol"}));
  EXPECT_TRUE(dir.find("dave").has_value());
  EXPECT_TRUE(dir.remove_node("", remote_t0 + 1s).empty());
}

TEST(DirectoryRemote, ASnapshotReplacesTheRemoteDevicesAndLeavesTheLocalOnesAlone) {
  Directory dir;
  auto p = std::make_shared<FakePeer>("127.0.0.1");
  ASSERT_TRUE(dir.add(OnlineDevice{"alice", "127.0.0.1", 0, remote_t0, 0, p}));
  ASSERT_TRUE(dir.add_remote(elsewhere("bob", "n2")));
  ASSERT_TRUE(dir.add_remote(elsewhere("carol", "n2")));
  const auto change =
      dir.replace_remote({elsewhere("carol", "n2"), elsewhere("erin", "n3"), elsewhere("alice", "n3")}, remote_t0 + 1s);
  EXPECT_EQ(change.left, std::vector<std::string>{"bob"});
  EXPECT_EQ(change.arrived, std::vector<std::string>{"erin"});
  EXPECT_EQ(dir.find_peer("alice"), p);
  EXPECT_FALSE(dir.find("bob").has_value());
  EXPECT_EQ(dir.online().size(), 3U);
}

}  // namespace
}  // namespace edgehub::hub
