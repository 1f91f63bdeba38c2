#include "hub/presence/directory.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include "unit/hub/fake_peer.hpp"

namespace edgehub::hub {
namespace {

using namespace std::chrono_literals;
using testing::FakePeer;

const SystemTime t0 = std::chrono::system_clock::from_time_t(1'700'000'000);

OnlineDevice device(const std::string& name, std::shared_ptr<Peer> peer, SystemTime since = t0, int udp = 6000) {
  return OnlineDevice{name, peer->remote_ip(), udp, since, 0, std::move(peer)};
}

std::vector<std::string> names(const std::vector<OnlineDevice>& devices) {
  std::vector<std::string> out;
  for (const auto& d : devices) out.push_back(d.name);
  return out;
}

std::vector<std::string> subscriber_names(const Directory& dir) {
  std::vector<std::string> out;
  for (const auto& s : dir.presence_subscribers()) out.push_back(s.name);
  std::sort(out.begin(), out.end());
  return out;
}

// The subscribers are kept as indices into the online table, the last moved
// into a leaver's place: every removal order leaves exactly the others.
TEST(Directory, PresenceSubscribersFollowLoginsAndLogouts) {
  Directory dir;
  std::vector<std::shared_ptr<FakePeer>> peers;
  for (const char* name : {"a", "b", "c", "d"}) {
    peers.push_back(std::make_shared<FakePeer>("10.0.0.1"));
    auto d = device(name, peers.back());
    d.wants_presence = std::string(name) != "c";  // "notify off" before login
    ASSERT_TRUE(dir.add(d));
  }
  EXPECT_EQ(subscriber_names(dir), (std::vector<std::string>{"a", "b", "d"}));
  EXPECT_FALSE(dir.find("c")->wants_presence);
  EXPECT_TRUE(dir.find("d")->wants_presence);
  ASSERT_TRUE(dir.remove("a", peers[0].get(), t0 + 1s));  // the first: the last takes its place
  EXPECT_EQ(subscriber_names(dir), (std::vector<std::string>{"b", "d"}));
  ASSERT_TRUE(dir.remove("c", peers[2].get(), t0 + 1s));  // not a subscriber
  EXPECT_EQ(subscriber_names(dir), (std::vector<std::string>{"b", "d"}));
  ASSERT_TRUE(dir.remove("d", peers[3].get(), t0 + 2s));  // the one that moved
  EXPECT_EQ(subscriber_names(dir), (std::vector<std::string>{"b"}));
  ASSERT_TRUE(dir.add(device("a", peers[0], t0 + 3s)));
  EXPECT_EQ(subscriber_names(dir), (std::vector<std::string>{"a", "b"}));
  ASSERT_TRUE(dir.remove("b", peers[1].get(), t0 + 4s));
  ASSERT_TRUE(dir.remove("a", peers[0].get(), t0 + 4s));
  EXPECT_TRUE(dir.presence_subscribers().empty());
  EXPECT_EQ(peers[0].use_count(), 1);  // the directory holds none of them
}

TEST(Directory, AddAndFind) {
  Directory dir;
  auto p = std::make_shared<FakePeer>("10.0.0.7");
  ASSERT_TRUE(dir.add(device("alice", p, t0, 6100)));
  const auto found = dir.find("alice");
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->ip, "10.0.0.7");
  EXPECT_EQ(found->udp_port, 6100);
  EXPECT_EQ(found->since, t0);
  EXPECT_EQ(dir.find_peer("alice"), p);
  EXPECT_FALSE(dir.find("bob").has_value());
  EXPECT_EQ(dir.find_peer("bob"), nullptr);
  EXPECT_EQ(dir.online_count(), 1u);
}

TEST(Directory, DuplicateAddRefusedAndFirstKept) {
  Directory dir;
  auto first = std::make_shared<FakePeer>();
  auto second = std::make_shared<FakePeer>();
  ASSERT_TRUE(dir.add(device("alice", first, t0, 1)));
  EXPECT_FALSE(dir.add(device("alice", second, t0 + 1s, 2)));
  EXPECT_EQ(dir.find_peer("alice"), first);
  EXPECT_EQ(dir.find("alice")->udp_port, 1);
  EXPECT_EQ(dir.online_count(), 1u);
  EXPECT_EQ(dir.history().size(), 1u) << "a refused login leaves no history";
}

TEST(Directory, RemoveOnlyOwnPeer) {
  Directory dir;
  auto owner = std::make_shared<FakePeer>();
  auto other = std::make_shared<FakePeer>();
  ASSERT_TRUE(dir.add(device("alice", owner)));
  EXPECT_FALSE(dir.remove("alice", other.get(), t0 + 1s)) << "a refused duplicate must not log the owner out";
  EXPECT_TRUE(dir.find("alice").has_value());
  EXPECT_TRUE(dir.remove("alice", owner.get(), t0 + 2s));
  EXPECT_FALSE(dir.find("alice").has_value());
  EXPECT_FALSE(dir.remove("alice", owner.get(), t0 + 3s)) << "second remove is a no-op";
  EXPECT_EQ(dir.online_count(), 0u);
}

TEST(Directory, OnlineIsInLoginOrder) {
  Directory dir;
  std::vector<std::shared_ptr<FakePeer>> peers;
  for (const char* n : {"zed", "alice", "mike", "bob"}) {
    peers.push_back(std::make_shared<FakePeer>());
    ASSERT_TRUE(dir.add(device(n, peers.back())));
  }
  EXPECT_EQ(names(dir.online()), (std::vector<std::string>{"zed", "alice", "mike", "bob"}));
  dir.remove("alice", peers[1].get(), t0);
  EXPECT_EQ(names(dir.online()), (std::vector<std::string>{"zed", "mike", "bob"}));
  peers.push_back(std::make_shared<FakePeer>());
  ASSERT_TRUE(dir.add(device("alice", peers.back())));
  EXPECT_EQ(names(dir.online()), (std::vector<std::string>{"zed", "mike", "bob", "alice"}));
}

TEST(Directory, OnlinePeersAreEveryOnlineDeviceWithItsPeer) {
  Directory dir;
  auto alice = std::make_shared<FakePeer>();
  auto bob = std::make_shared<FakePeer>();
  ASSERT_TRUE(dir.add(device("alice", alice)));
  ASSERT_TRUE(dir.add(device("bob", bob)));
  dir.remove("alice", alice.get(), t0);
  auto carol = std::make_shared<FakePeer>();
  ASSERT_TRUE(dir.add(device("carol", carol)));
  auto peers = dir.online_peers();
  std::sort(peers.begin(), peers.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
  ASSERT_EQ(peers.size(), 2u);
  EXPECT_EQ(peers[0].name, "bob");
  EXPECT_EQ(peers[0].peer, bob);
  EXPECT_EQ(peers[1].name, "carol");
  EXPECT_EQ(peers[1].peer, carol);
}

TEST(Directory, HistoryRecordsLoginAndLogout) {
  Directory dir;
  auto p = std::make_shared<FakePeer>("127.0.0.9");
  dir.add(device("alice", p, t0));
  dir.remove("alice", p.get(), t0 + 5s);
  auto p2 = std::make_shared<FakePeer>();
  dir.add(device("alice", p2, t0 + 6s));
  const auto h = dir.history();
  ASSERT_EQ(h.size(), 2u);
  EXPECT_EQ(h[0].name, "alice");
  EXPECT_EQ(h[0].ip, "127.0.0.9");
  EXPECT_EQ(h[0].login, t0);
  ASSERT_TRUE(h[0].logout.has_value());
  EXPECT_EQ(*h[0].logout, t0 + 5s);
  EXPECT_FALSE(h[1].logout.has_value());
}

// Ended sessions and open ones are kept apart (an open one is its online
// entry); the history and its tail are both, in login order, whatever the
// order of the logouts.
TEST(Directory, HistoryMergesEndedAndOpenSessionsInLoginOrder) {
  Directory dir;
  std::vector<std::shared_ptr<FakePeer>> peers;
  for (const char* name : {"a", "b", "c", "d", "e"}) {
    peers.push_back(std::make_shared<FakePeer>());
    dir.add(device(name, peers.back(), t0));
  }
  dir.remove("d", peers[3].get(), t0 + 1s);
  dir.remove("a", peers[0].get(), t0 + 2s);
  dir.remove("c", peers[2].get(), t0 + 3s);
  const auto h = dir.history();
  std::vector<std::string> names;
  std::vector<bool> ended;
  for (const auto& r : h) {
    names.push_back(r.name);
    ended.push_back(r.logout.has_value());
  }
  EXPECT_EQ(names, (std::vector<std::string>{"a", "b", "c", "d", "e"}));
  EXPECT_EQ(ended, (std::vector<bool>{true, false, true, true, false}));
  EXPECT_EQ(*h[2].logout, t0 + 3s);
  const auto [tail, total] = dir.history_tail(3);
  EXPECT_EQ(total, 5u);
  ASSERT_EQ(tail.size(), 3u);
  EXPECT_EQ(tail[0].name, "c");
  EXPECT_EQ(tail[1].name, "d");
  EXPECT_EQ(tail[2].name, "e");
  EXPECT_FALSE(tail[2].logout.has_value());
  const auto [hidden_tail, visible] = dir.history_tail(2, {"e", "d"});
  EXPECT_EQ(visible, 3u);
  ASSERT_EQ(hidden_tail.size(), 2u);
  EXPECT_EQ(hidden_tail[0].name, "b");
  EXPECT_EQ(hidden_tail[1].name, "c");
}

TEST(Directory, NamesSince) {
  Directory dir;
  auto a = std::make_shared<FakePeer>();
  auto b = std::make_shared<FakePeer>();
  auto c = std::make_shared<FakePeer>();
  dir.add(device("alice", a, t0));
  dir.add(device("bob", b, t0));
  dir.add(device("carol", c, t0));
  dir.remove("bob", b.get(), t0 + 10s);   // left recently
  dir.remove("carol", c.get(), t0 + 2s);  // left long ago
  // Online now always counts; offline ones count if they left inside the window.
  EXPECT_EQ(dir.names_since(t0 + 5s), (std::vector<std::string>{"alice", "bob"}));
  EXPECT_EQ(dir.names_since(t0 + 2s), (std::vector<std::string>{"alice", "bob", "carol"}));
  EXPECT_EQ(dir.names_since(t0 + 11s), (std::vector<std::string>{"alice"}));
}

TEST(Directory, NamesSinceListsARepeatedNameOnce) {
  Directory dir;
  for (int i = 0; i < 3; ++i) {
    auto p = std::make_shared<FakePeer>();
    dir.add(device("alice", p, t0 + std::chrono::seconds(i)));
    dir.remove("alice", p.get(), t0 + std::chrono::seconds(i) + 500ms);
  }
  EXPECT_EQ(dir.names_since(t0), (std::vector<std::string>{"alice"}));
}

// status [N] leaves out who blocked the viewer, from the lines and the
// count alike, and still shows the last N of the rest (issue 13).
TEST(Directory, HistoryTailLeavesOutTheHidden) {
  Directory dir;
  std::vector<std::shared_ptr<FakePeer>> peers;
  for (const char* name : {"alice", "bob", "carol", "bob2", "dave"}) {
    peers.push_back(std::make_shared<FakePeer>());
    dir.add(device(name == std::string("bob2") ? "bob" : name, peers.back(), t0));
    if (name == std::string("bob")) dir.remove("bob", peers.back().get(), t0 + 1s);
  }
  const auto [all, total] = dir.history_tail(2);
  EXPECT_EQ(total, 5u);
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].name, "bob");
  const auto [shown, visible] = dir.history_tail(2, {"bob"});
  EXPECT_EQ(visible, 3u);
  ASSERT_EQ(shown.size(), 2u);
  EXPECT_EQ(shown[0].name, "carol");
  EXPECT_EQ(shown[1].name, "dave");
}

// A guest tells its UDP port after the greeting, once; a login that gave
// one keeps it, and another connection cannot set it (issue 13).
TEST(Directory, SetUdpPortOnlyOnceAndOnlyByTheOwner) {
  Directory dir;
  auto guest = std::make_shared<FakePeer>();
  auto other = std::make_shared<FakePeer>();
  ASSERT_TRUE(dir.add(device("Client01", guest, t0, 0)));
  EXPECT_FALSE(dir.set_udp_port("Client01", other.get(), 7000));
  EXPECT_TRUE(dir.set_udp_port("Client01", guest.get(), 7001));
  EXPECT_EQ(dir.find("Client01")->udp_port, 7001);
  EXPECT_FALSE(dir.set_udp_port("Client01", guest.get(), 7002));
  EXPECT_EQ(dir.find("Client01")->udp_port, 7001);
  EXPECT_FALSE(dir.set_udp_port("nobody", guest.get(), 7003));
}

TEST(Directory, HistoryIsBoundedButKeepsOpenSessions) {
  Directory dir(3);
  auto keeper = std::make_shared<FakePeer>();
  dir.add(device("keeper", keeper, t0));
  for (int i = 0; i < 10; ++i) {
    auto p = std::make_shared<FakePeer>();
    dir.add(device("n" + std::to_string(i), p, t0));
    dir.remove("n" + std::to_string(i), p.get(), t0 + 1s);
  }
  const auto h = dir.history();
  EXPECT_EQ(h.size(), 3u);
  EXPECT_EQ(h.front().name, "keeper");
  EXPECT_EQ(h.back().name, "n9");
}

}  // namespace
}  // namespace edgehub::hub
