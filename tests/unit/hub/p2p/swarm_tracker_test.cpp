// The swarm tracker's state (docs/SWARM.md#2-tracker-protocol): versions,
// holders, withdrawal, limits and memory accounting, tickets.
#include "hub/p2p/swarm_tracker.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "unit/hub/p2p/swarm_test_manifest.hpp"

namespace edgehub::hub::testing {
// Named, not anonymous: a unity build (scripts/test.sh) compiles this file
// with others, whose tests have locals of the same names as the devices.
namespace swarm_tracker_test {

using protocol::StatusCode;

int kAlice = 0, kBob = 0, kCarol = 0;  // their addresses tell logins apart
SwarmDevice alice{"alice", &kAlice, "10.0.0.1", 5001};
SwarmDevice bob{"bob", &kBob, "10.0.0.2", 5002};
SwarmDevice carol{"carol", &kCarol, "10.0.0.3", 5003};

std::vector<std::string> holder_texts(const SwarmVersion& v) {
  std::vector<std::string> out;
  for (const auto& h : v.holders) out.push_back(h.device + ":" + std::to_string(h.have));
  return out;
}

TEST(SwarmTracker, ShareListsTheVersionWithItsHolder) {
  SwarmTracker tracker({});
  const auto m = shared_manifest(10);
  EXPECT_FALSE(tracker.share(alice, "movie", m));
  const auto versions = tracker.versions("movie");
  ASSERT_EQ(versions.size(), 1u);
  EXPECT_EQ(versions[0].manifest->root, m->root);
  EXPECT_EQ(holder_texts(versions[0]), (std::vector<std::string>{"alice:10"}));
  EXPECT_TRUE(tracker.versions("other").empty());
}

TEST(SwarmTracker, TwoContentsUnderOneNameAreTwoVersions) {
  SwarmTracker tracker({});
  const auto a = shared_manifest(10, 1);
  const auto b = shared_manifest(12, 2);
  tracker.share(alice, "movie", a);
  tracker.share(bob, "movie", b);
  tracker.share(carol, "movie", b);
  const auto versions = tracker.versions("movie");
  ASSERT_EQ(versions.size(), 2u);
  std::size_t holders = 0;
  for (const auto& v : versions) holders += v.holders.size();
  EXPECT_EQ(holders, 3u);
  EXPECT_EQ(tracker.stats().roots, 2u);
}

TEST(SwarmTracker, SharingANameAgainReplacesTheOldVersion) {
  SwarmTracker tracker({});
  tracker.share(alice, "notes", shared_manifest(3, 1));
  const auto changed = shared_manifest(4, 2);
  tracker.share(alice, "notes", changed);
  const auto versions = tracker.versions("notes");
  ASSERT_EQ(versions.size(), 1u);
  EXPECT_EQ(versions[0].manifest->root, changed->root);
  EXPECT_EQ(tracker.stats().roots, 1u) << "the old root had no other holder";
}

TEST(SwarmTracker, DownloaderStartsWithNothingAndAnnouncesChunks) {
  SwarmTracker tracker({});
  const auto m = shared_manifest(10);
  tracker.share(alice, "movie", m);
  EXPECT_FALSE(tracker.add_downloader(bob, "movie", m->root));
  EXPECT_EQ(tracker.have(bob, m->root, {0, 1, 2}), 3u);
  EXPECT_EQ(tracker.have(bob, m->root, {2, 3}), 4u) << "chunk 2 counts once";
  EXPECT_EQ(tracker.holders_of_chunks(m->root, {3, 4}).size(), 2u);
  EXPECT_FALSE(tracker.have(carol, m->root, {0}).has_value()) << "carol never registered";
  EXPECT_EQ(tracker.add_downloader(carol, "movie", shared_manifest(2, 9)->root)->code, StatusCode::NotFound);
}

// What a node records of a downloader for the others (SwarmShare::held_hex,
// docs/CLUSTER.md#the-swarm-tracker-across-nodes).
TEST(SwarmTracker, ADownloadersProgressIsItsBitmapAndComesWithItsAnnouncements) {
  SwarmTracker tracker({});
  const auto m = shared_manifest(10);
  tracker.share(alice, "movie", m);
  EXPECT_FALSE(tracker.add_downloader(bob, "film", m->root));
  EXPECT_EQ(tracker.held_hex("bob", m->root), "0000");
  tracker.have(bob, m->root, {0, 1, 9});
  EXPECT_EQ(tracker.held_hex("bob", m->root), "c040");
  EXPECT_EQ(tracker.held_hex("alice", m->root), "ffc0");
  EXPECT_EQ(tracker.held_hex("carol", m->root), "") << "no part of it";
  const auto bobs = tracker.announcements("bob");
  ASSERT_EQ(bobs.size(), 1u);
  EXPECT_EQ(bobs[0].file, "film");
  EXPECT_FALSE(bobs[0].complete);
  EXPECT_EQ(bobs[0].held_hex, "c040");
  EXPECT_EQ(tracker.announcements("alice").at(0).held_hex, "") << "complete: nothing to record";
}

TEST(SwarmTracker, UnshareWithdrawsOnlyThatName) {
  SwarmTracker tracker({});
  tracker.share(alice, "a", shared_manifest(3, 1));
  tracker.share(alice, "b", shared_manifest(3, 2));
  EXPECT_TRUE(tracker.unshare(alice, "a"));
  EXPECT_FALSE(tracker.unshare(alice, "a"));
  EXPECT_FALSE(tracker.unshare(bob, "b"));
  EXPECT_TRUE(tracker.versions("a").empty());
  EXPECT_EQ(tracker.versions("b").size(), 1u);
}

TEST(SwarmTracker, WithdrawalRemovesEverythingAndReturnsMemoryToZero) {
  SwarmTracker tracker({});
  const auto m = shared_manifest(100);
  tracker.share(alice, "movie", m);
  tracker.share(alice, "movie copy", m);
  tracker.share(bob, "movie", m);
  tracker.add_downloader(carol, "movie", m->root);
  tracker.peers(carol, m->root, {});
  EXPECT_GT(tracker.stats().memory, 0u);
  tracker.withdraw("alice", &kAlice);
  EXPECT_EQ(holder_texts(tracker.versions("movie")[0]), (std::vector<std::string>{"bob:100", "carol:0"}));
  EXPECT_TRUE(tracker.versions("movie copy").empty());
  tracker.withdraw("bob", &kBob);
  tracker.withdraw("carol", &kCarol);
  const SwarmStats s = tracker.stats();
  EXPECT_EQ(s.memory, 0u);
  EXPECT_EQ(s.devices + s.names + s.roots + s.holders + s.tickets, 0u);
}

TEST(SwarmTracker, LateWithdrawalOfAnOldLoginLeavesTheNewOneAlone) {
  SwarmTracker tracker({});
  int old_login = 0;
  const SwarmDevice old_alice{"alice", &old_login, "10.0.0.1", 5001};
  tracker.share(old_alice, "a", shared_manifest(3));
  tracker.share(alice, "b", shared_manifest(3, 2));  // a new login: the old one's state goes
  EXPECT_TRUE(tracker.versions("a").empty());
  tracker.withdraw("alice", &old_login);
  EXPECT_EQ(tracker.versions("b").size(), 1u);
}

TEST(SwarmTracker, RefusesOverTheChunkAndManifestLimits) {
  SwarmTracker tracker({.max_files = 1000, .max_chunks = 100, .max_manifest_bytes = 32 * 50, .max_memory = 1 << 20});
  EXPECT_EQ(tracker.check_share(alice, "x", 101)->code, StatusCode::TooLarge);
  const auto bytes = tracker.check_share(alice, "x", 51);
  ASSERT_TRUE(bytes.has_value());
  EXPECT_NE(bytes->text.find("--swarm-max-manifest-bytes"), std::string::npos) << bytes->text;
  EXPECT_FALSE(tracker.check_share(alice, "x", 50));
}

// SIGHUP: new limits hold from the next announcement; what is shared stays.
TEST(SwarmTracker, ReconfiguredLimitsHoldFromTheNextShare) {
  SwarmTracker tracker({.max_files = 2, .max_chunks = 100, .max_manifest_bytes = 1 << 21, .max_memory = 1 << 24});
  EXPECT_FALSE(tracker.share(alice, "a", shared_manifest(2, 1)));
  EXPECT_FALSE(tracker.share(alice, "b", shared_manifest(2, 2)));
  tracker.reconfigure({.max_files = 1, .max_chunks = 200, .max_manifest_bytes = 1 << 21, .max_memory = 1 << 24});
  EXPECT_EQ(tracker.limits().max_chunks, 200u);
  EXPECT_FALSE(tracker.check_share(bob, "x", 150)) << "the new chunk limit";
  EXPECT_TRUE(tracker.share(alice, "c", shared_manifest(2, 3)).has_value()) << "the new file limit";
  EXPECT_EQ(tracker.versions("b").size(), 1u) << "alice's two shares stay";
}

TEST(SwarmTracker, RefusesMoreFilesThanTheLimitButAllowsReplacing) {
  SwarmTracker tracker({.max_files = 2, .max_chunks = 65536, .max_manifest_bytes = 1 << 21, .max_memory = 1 << 24});
  EXPECT_FALSE(tracker.share(alice, "a", shared_manifest(2, 1)));
  EXPECT_FALSE(tracker.share(alice, "b", shared_manifest(2, 2)));
  const auto refusal = tracker.share(alice, "c", shared_manifest(2, 3));
  ASSERT_TRUE(refusal.has_value());
  EXPECT_EQ(refusal->code, StatusCode::TooLarge);
  EXPECT_NE(refusal->text.find("--swarm-max-files"), std::string::npos);
  EXPECT_TRUE(tracker.check_share(alice, "c", 2).has_value());
  EXPECT_FALSE(tracker.share(alice, "b", shared_manifest(2, 4))) << "replacing b is not a third file";
  EXPECT_TRUE(tracker.add_downloader(alice, "c", shared_manifest(2, 2)->root).has_value());
  EXPECT_FALSE(tracker.share(bob, "c", shared_manifest(2, 3))) << "the limit is per device";
}

TEST(SwarmTracker, RefusesWhenTheMemoryLimitWouldBeExceededAndChangesNothing) {
  SwarmTracker tracker({.max_files = 1000, .max_chunks = 65536, .max_manifest_bytes = 1 << 21, .max_memory = 40'000});
  EXPECT_FALSE(tracker.share(alice, "a", shared_manifest(1000, 1)));  // 32 KB of digests
  const SwarmStats before = tracker.stats();
  EXPECT_EQ(tracker.check_share(bob, "b", 300)->code, StatusCode::TooLarge);
  const auto refusal = tracker.share(bob, "b", shared_manifest(300, 2));
  ASSERT_TRUE(refusal.has_value());
  EXPECT_NE(refusal->text.find("--swarm-max-memory"), std::string::npos);
  EXPECT_EQ(tracker.stats().memory, before.memory);
  EXPECT_EQ(tracker.versions("b").size(), 0u);
  EXPECT_FALSE(tracker.share(bob, "a", shared_manifest(1000, 1))) << "a known root costs no new digests";
}

TEST(SwarmTracker, TicketsAreNewPerAskerHolderAndRootAndReused) {
  SwarmTracker tracker({});
  const auto m = shared_manifest(10);
  const auto other = shared_manifest(10, 7);
  tracker.share(alice, "movie", m);
  tracker.share(bob, "movie", m);
  tracker.share(alice, "other", other);
  const auto first = tracker.peers(carol, m->root, {});
  ASSERT_EQ(first.peers.size(), 2u);
  EXPECT_TRUE(first.peers[0].new_ticket);
  EXPECT_EQ(first.peers[0].device, "alice");
  EXPECT_EQ(first.peers[0].ip, "10.0.0.1");
  EXPECT_EQ(first.peers[0].udp_port, 5001);
  EXPECT_EQ(first.peers[0].have, "all");
  EXPECT_EQ(first.peers[0].ticket.size(), 32u);
  EXPECT_NE(first.peers[0].ticket, first.peers[1].ticket);
  const auto again = tracker.peers(carol, m->root, {});
  EXPECT_FALSE(again.peers[0].new_ticket);
  EXPECT_EQ(again.peers[0].ticket, first.peers[0].ticket);
  const auto other_root = tracker.peers(carol, other->root, {});
  ASSERT_EQ(other_root.peers.size(), 1u);
  EXPECT_NE(other_root.peers[0].ticket, first.peers[0].ticket);
  const auto by_bob = tracker.peers(bob, m->root, {});
  ASSERT_EQ(by_bob.peers.size(), 1u) << "not itself";
  EXPECT_NE(by_bob.peers[0].ticket, first.peers[0].ticket);
  EXPECT_EQ(tracker.stats().tickets, 4u);
}

TEST(SwarmTracker, PeersLeavesOutHiddenEmptyAndPortlessHolders) {
  SwarmTracker tracker({});
  const auto m = shared_manifest(12);
  int k = 0;
  const SwarmDevice dave{"dave", &k, "10.0.0.4", 0};  // no UDP port
  tracker.share(alice, "f", m);
  tracker.share(dave, "f", m);
  tracker.add_downloader(bob, "f", m->root);
  EXPECT_TRUE(tracker.peers(carol, m->root, {"alice"}).peers.empty());
  tracker.have(bob, m->root, {0, 9});
  const auto result = tracker.peers(carol, m->root, {"alice"});
  ASSERT_EQ(result.peers.size(), 1u);
  EXPECT_EQ(result.peers[0].device, "bob");
  EXPECT_EQ(result.peers[0].have, "x8040");
  EXPECT_EQ(tracker.peers(carol, shared_manifest(3, 5)->root, {}).refusal->code, StatusCode::NotFound);
}

TEST(SwarmTracker, AnAskersWithdrawalRevokesItsTicketsAndAHoldersDropsThem) {
  SwarmTracker tracker({});
  const auto m = shared_manifest(10);
  tracker.share(alice, "movie", m);
  tracker.share(bob, "movie", m);
  const auto given = tracker.peers(carol, m->root, {});
  tracker.peers(alice, m->root, {});
  tracker.withdraw("bob", &kBob);
  EXPECT_EQ(tracker.stats().tickets, 1u) << "carol's ticket for alice is left";
  const auto revoked = tracker.withdraw("carol", &kCarol);
  ASSERT_EQ(revoked.size(), 1u);
  EXPECT_EQ(revoked[0].holder, "alice");
  EXPECT_EQ(revoked[0].ticket, given.peers[0].ticket);
  EXPECT_EQ(tracker.stats().tickets, 0u);
}

TEST(SwarmTracker, PeersListsAtMostARandomTwoHundred) {
  SwarmTracker tracker({.max_files = 10, .max_chunks = 100, .max_manifest_bytes = 3200, .max_memory = 1 << 26});
  const auto m = shared_manifest(4);
  std::vector<int> owners(250);
  for (int i = 0; i < 250; ++i)
    tracker.share({"seeder" + std::to_string(1000 + i), &owners[static_cast<std::size_t>(i)], "10.0.0.9", 6000 + i},
                  "f", m);
  std::set<std::string> seen;
  for (int call = 0; call < 10; ++call) {
    const auto result = tracker.peers(carol, m->root, {});
    ASSERT_EQ(result.peers.size(), SwarmTracker::kMaxPeers);
    EXPECT_TRUE(std::is_sorted(result.peers.begin(), result.peers.end(),
                               [](const auto& a, const auto& b) { return a.device < b.device; }));
    for (const auto& p : result.peers) seen.insert(p.device);
  }
  EXPECT_GT(seen.size(), SwarmTracker::kMaxPeers) << "asking again meets other holders";
}

}  // namespace swarm_tracker_test
}  // namespace edgehub::hub::testing
