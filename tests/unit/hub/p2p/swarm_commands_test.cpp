// The swarm tracker's commands through Hub::on_line / on_block on a real Hub
// (docs/SWARM.md#2-tracker-protocol), every bad input included.
#include <gtest/gtest.h>

#include <regex>

#include <fmt/format.h>

#include "hub/p2p/swarm_tracker.hpp"
#include "unit/hub/core/hub_harness.hpp"
#include "unit/hub/p2p/swarm_test_manifest.hpp"

namespace edgehub::hub::testing {
namespace {

using Replies = std::vector<std::string>;

HubConfig small_limits() {
  HubConfig config;
  config.swarm = {.max_files = 3, .max_chunks = 100, .max_manifest_bytes = 32 * 100, .max_memory = 64 * 1024};
  return config;
}

class SwarmCommandsTest : public HubHarness {
 protected:
  SwarmCommandsTest() : HubHarness(small_limits()) {}

  // share LINE, the blocks, then $0: every frame the device got.
  Replies share_line(Device& d, const std::string& line, const std::vector<std::string>& blocks) {
    Replies all = send(d, line);
    for (const auto& b : blocks) {
      run(hub().on_block(d.session, b));
      for (auto& r : d.take()) all.push_back(r);
    }
    run(hub().on_block(d.session, ""));
    for (auto& r : d.take()) all.push_back(r);
    return all;
  }
  Replies share(Device& d, const SwarmManifest& m, const std::string& name) {
    const std::string bytes = digest_bytes(m);
    // Split anyhow: the digests need not align with blocks.
    const std::size_t cut = bytes.size() / 3 + 5;
    return share_line(d, fmt::format("share {} {} {} {}", m.size, m.chunk_size, m.root_hex(), name),
                      {bytes.substr(0, cut), bytes.substr(cut)});
  }
  std::string ok_share(const SwarmManifest& m, const std::string& name) {
    return fmt::format("+OK shared {} as {} ({} chunks of {} bytes)", name, m.root_hex().substr(0, 12), m.chunk_count(),
                       m.chunk_size);
  }
  SwarmStats stats() { return hub().swarm().stats(); }
};

TEST_F(SwarmCommandsTest, ShareRepliesAfterTheDigestsAndSearchfileListsIt) {
  Device& alice = logged_in("alice", 5001);
  Device& bob = logged_in("bob", 5002);
  const auto m = make_manifest(10, 1, 100);
  alice.take();
  EXPECT_EQ(share(alice, m, "my movie.mkv"), Replies{ok_share(m, "my movie.mkv")});
  EXPECT_EQ(send(bob, "searchfile my movie.mkv"),
            Replies{fmt::format("*1 1 version of my movie.mkv\n{} {} 16384 10 alice:10", m.root_hex(), m.size)});
  EXPECT_EQ(send(alice, "searchfile my movie.mkv"), Replies{"-ERR 404 my movie.mkv is not available"})
      << "the asker itself is left out";
  EXPECT_EQ(send(bob, "register 1 2 3"), Replies{"-ERR 400 Usage: share SIZE CHUNKSIZE ROOT NAME"});
}

TEST_F(SwarmCommandsTest, BadNamesAreRefusedEverywhere) {
  Device& alice = logged_in("alice");
  const auto m = make_manifest(2);
  for (const std::string name : {"a/b", "..", "x@y"}) {
    const Replies r = share(alice, m, name);
    ASSERT_EQ(r.size(), 1u) << name;
    EXPECT_TRUE(r[0].starts_with("-ERR 400 Refused file name")) << r[0];
    EXPECT_TRUE(send(alice, "searchfile " + name)[0].starts_with("-ERR 400 Refused file name")) << name;
    EXPECT_TRUE(send(alice, "unshare " + name)[0].starts_with("-ERR 400 Refused file name")) << name;
  }
  EXPECT_TRUE(send(alice, std::string("searchfile a\x01") + "b")[0].starts_with("-ERR 400 Refused file name"));
  EXPECT_TRUE(send(alice, "swarmget a/b@abcd")[0].starts_with("-ERR 400 Refused file name"));
  EXPECT_TRUE(send(alice, "searchchunk ../x 0")[0].starts_with("-ERR 400 Refused file name"));
  EXPECT_EQ(stats().roots, 0u);
}

TEST_F(SwarmCommandsTest, MalformedManifestsAreRefusedAndChangeNothing) {
  Device& alice = logged_in("alice");
  const auto m = make_manifest(4);
  const std::string root = m.root_hex();
  const std::string bytes = digest_bytes(m);
  const auto line = [&](auto size, auto chunk, const std::string& r) {
    return fmt::format("share {} {} {} f", size, chunk, r);
  };
  const auto first = [&](const std::string& l, const std::vector<std::string>& blocks) {
    const Replies r = share_line(alice, l, blocks);
    return r.size() == 1 ? r[0] : fmt::format("{} replies", r.size());
  };
  EXPECT_TRUE(first(line(m.size, 16384, "ABCD" + root.substr(4)), {bytes}).starts_with("-ERR 400 Usage"));
  EXPECT_TRUE(first(line("x", 16384, root), {bytes}).starts_with("-ERR 400 Usage"));
  EXPECT_EQ(first(line(0, 16384, root), {}), "-ERR 400 Malformed manifest for f: the file is empty");
  EXPECT_EQ(first(line(m.size, 1000, root), {bytes}),
            "-ERR 400 Malformed manifest for f: the chunk size must be a power of two from 16 KiB to 16 MiB");
  EXPECT_EQ(first(line(m.size, 16384, root), {bytes.substr(0, 96)}),
            "-ERR 400 Malformed manifest for f: expected 128 bytes of chunk hashes (4 chunks of 16384 bytes in 65536 "
            "bytes), got 96");
  EXPECT_TRUE(
      first(line(m.size, 16384, root), {bytes, "x"}).starts_with("-ERR 400 Malformed manifest for f: expected"));
  EXPECT_TRUE(
      first(line(m.size + 16384, 16384, root), {bytes}).starts_with("-ERR 400 Malformed manifest for f: expected"))
      << "sizes that do not add up";
  std::string wrong = bytes;
  wrong[40] ^= 1;
  EXPECT_EQ(first(line(m.size, 16384, root), {wrong}),
            "-ERR 400 Malformed manifest for f: the root hash does not match the chunk hashes");
  EXPECT_EQ(stats().memory, 0u);
  EXPECT_EQ(share(alice, m, "f"), Replies{ok_share(m, "f")}) << "the stream stayed in step";
}

TEST_F(SwarmCommandsTest, OverLimitManifestIsDrainedWithoutStateChange) {
  Device& alice = logged_in("alice");
  const auto big = make_manifest(101);
  const Replies r = share(alice, big, "big");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0], "-ERR 413 The file has 101 chunks; the tracker takes at most 100 per file (--swarm-max-chunks)");
  EXPECT_EQ(stats().memory, 0u);
  const auto small = make_manifest(3);
  EXPECT_EQ(share(alice, small, "a"), Replies{ok_share(small, "a")});
  EXPECT_EQ(share(alice, make_manifest(3, 2), "b").size(), 1u);
  EXPECT_EQ(share(alice, make_manifest(3, 3), "c").size(), 1u);
  const Replies fourth = share(alice, make_manifest(3, 4), "d");
  ASSERT_EQ(fourth.size(), 1u);
  EXPECT_TRUE(fourth[0].starts_with("-ERR 413 You already announce 3 files")) << fourth[0];
}

TEST_F(SwarmCommandsTest, SearchchunkCountsOnlyTheAskedChunks) {
  Device& alice = logged_in("alice", 5001);
  Device& bob = logged_in("bob", 5002);
  Device& carol = logged_in("carol", 5003);
  const auto m = make_manifest(40);
  share(alice, m, "f");
  bob.take();  // carol's login
  const Replies got = send(bob, "swarmget f");
  ASSERT_TRUE(got[0].starts_with("+OK ")) << got[0];
  EXPECT_EQ(send(bob, "have " + m.root_hex() + " 0-9,12"), Replies{"+OK 11"});
  const std::string prefix = m.root_hex();
  EXPECT_EQ(send(carol, "searchchunk f 8-13"),
            Replies{fmt::format("*1 holders of chunks 8-13 of f\n{} {} 16384 40 alice:6,bob:3", prefix, m.size)});
  EXPECT_EQ(send(carol, "searchchunk f@" + prefix.substr(0, 6) + " 20"),
            Replies{fmt::format("*1 holders of chunks 20 of f\n{} {} 16384 40 alice:1", prefix, m.size)});
  EXPECT_EQ(send(carol, "searchchunk f 99"), Replies{"-ERR 400 chunk 99 is out of range (f has 40 chunks)"});
  EXPECT_EQ(send(carol, "searchchunk f 1-x"), Replies{"-ERR 400 '1-x' is not a chunk number or a range such as 0-9"});
  EXPECT_EQ(send(carol, "searchchunk f"), Replies{"-ERR 400 Usage: searchchunk NAME[@ROOTPREFIX] CHUNKS"});
  EXPECT_EQ(send(carol, "searchchunk nothing 1"), Replies{"-ERR 404 nothing is not available"});
  EXPECT_EQ(send(carol, "searchchunk f@ABCD 1"),
            Replies{"-ERR 400 ROOTPREFIX must be 4 to 64 lower-case hex digits of a root hash"});
  send(alice, "unshare f");
  EXPECT_EQ(send(carol, "searchchunk f 20"), Replies{"-ERR 404 No online device holds chunks 20 of f"});
}

TEST_F(SwarmCommandsTest, SwarmgetSendsTheDigestsAndRegistersTheAsker) {
  Device& alice = logged_in("alice", 5001);
  Device& bob = logged_in("bob", 5002);
  const auto m = make_manifest(5, 1, 7);
  share(alice, m, "f");
  const Replies r = send(bob, "swarmget f");
  ASSERT_EQ(r.size(), 3u);
  EXPECT_EQ(r[0], fmt::format("+OK {} {} 16384 5", m.root_hex(), m.size));
  EXPECT_EQ(r[1], "$160\n" + digest_bytes(m));
  EXPECT_EQ(r[2], "$0");
  EXPECT_EQ(stats().holders, 2u);
  EXPECT_EQ(send(bob, "have " + m.root_hex() + " 5"),
            Replies{"-ERR 400 chunk 5 is out of range (the file has 5 chunks)"});
  EXPECT_EQ(send(bob, "have " + m.root_hex() + " 4"), Replies{"+OK 1"});
  EXPECT_EQ(send(bob, "swarmget g"), Replies{"-ERR 404 g is not available"});
  EXPECT_EQ(send(bob, "swarmget f@" + m.root_hex().substr(0, 4) + "0"),
            Replies{"-ERR 404 f@" + m.root_hex().substr(0, 4) + "0 is not available"})
      << "(unless the root happens to continue with 0)";
}

TEST_F(SwarmCommandsTest, AmbiguousPrefixAndTheMostHeldVersion) {
  Device& alice = logged_in("alice", 5001);
  Device& bob = logged_in("bob", 5002);
  Device& carol = logged_in("carol", 5003);
  const auto a = make_manifest(3, 1);
  const auto b = make_manifest(3, 2);
  share(alice, a, "f");
  share(bob, b, "f");
  share(carol, b, "f");
  const Replies listing = send(alice, "searchfile f");
  ASSERT_EQ(listing.size(), 1u);
  EXPECT_EQ(listing[0], fmt::format("*1 1 version of f\n{} {} 16384 3 bob:3,carol:3", b.root_hex(), b.size))
      << "alice sees carol and bob, not herself";
  const Replies two = send(carol, "searchfile f");
  EXPECT_TRUE(two[0].starts_with("*2 2 versions of f\n")) << two[0];
  const Replies chosen = send(carol, "swarmget f@" + a.root_hex().substr(0, 8));
  EXPECT_EQ(chosen[0], fmt::format("+OK {} {} 16384 3", a.root_hex(), a.size));
  EXPECT_EQ(send(bob, "swarmget f@zzzz"),
            Replies{"-ERR 400 ROOTPREFIX must be 4 to 64 lower-case hex digits of a root hash"});
}

TEST_F(SwarmCommandsTest, SwarmpeersIssuesTicketsToTheHolderFirst) {
  Device& alice = logged_in("alice", 5001);
  Device& bob = logged_in("bob", 5002);
  alice.take();
  const auto m = make_manifest(8);
  share(alice, m, "f");
  send(bob, "swarmget f");
  const Replies peers = send(bob, "swarmpeers " + m.root_hex());
  ASSERT_EQ(peers.size(), 1u);
  const std::regex line("\\*1 1 peer for [0-9a-f]{12}\nalice 127\\.0\\.0\\.1 5001 ([0-9a-f]{32}) " +
                        udp_key_of("alice") + " all");
  std::smatch match;
  ASSERT_TRUE(std::regex_match(peers[0], match, line)) << peers[0];
  const std::string ticket = match[1];
  EXPECT_EQ(alice.take(), Replies{fmt::format("!SWARMTICKET bob {} {} {}", ticket, m.root_hex(), udp_key_of("bob"))});
  EXPECT_EQ(send(bob, "swarmpeers " + m.root_hex()), peers) << "the same ticket again";
  EXPECT_EQ(alice.take(), Replies{}) << "no new ticket, no event";
  EXPECT_EQ(send(bob, "swarmpeers " + std::string(64, 'a')),
            Replies{"-ERR 404 No online device holds " + std::string(64, 'a')});
  EXPECT_EQ(send(bob, "swarmpeers xyz"), Replies{"-ERR 400 Usage: swarmpeers ROOT (ROOT: 64 lower-case hex digits)"});
  hub().on_disconnect(bob.session);
  EXPECT_EQ(alice.take(), (Replies{"!SWARMUNTICKET " + ticket, "!LOGOUT bob"}));
  EXPECT_EQ(stats().tickets, 0u);
  EXPECT_EQ(stats().holders, 1u);
}

TEST_F(SwarmCommandsTest, BlockedUsersAreLeftOut) {
  Device& alice = logged_in("alice", 5001);
  Device& bob = logged_in("bob", 5002);
  const auto m = make_manifest(8);
  share(alice, m, "f");
  EXPECT_TRUE(send(alice, "block bob")[0].starts_with("+OK")) << "alice blocks bob";
  EXPECT_EQ(send(bob, "searchfile f"), Replies{"-ERR 404 f is not available"});
  EXPECT_EQ(send(bob, "searchchunk f 0"), Replies{"-ERR 404 f is not available"});
  EXPECT_EQ(send(bob, "swarmget f"), Replies{"-ERR 404 f is not available"});
  EXPECT_EQ(send(bob, "swarmpeers " + m.root_hex()), Replies{"*0 0 peers for " + m.root_hex().substr(0, 12)});
}

TEST_F(SwarmCommandsTest, DisconnectWithdrawsEverything) {
  Device& alice = logged_in("alice", 5001);
  Device& bob = logged_in("bob", 5002);
  share(alice, make_manifest(8), "f");
  share(alice, make_manifest(8, 2), "g");
  hub().on_disconnect(alice.session);
  EXPECT_EQ(bob.take(), Replies{"!LOGOUT alice"});
  EXPECT_EQ(send(bob, "searchfile f"), Replies{"-ERR 404 f is not available"});
  EXPECT_EQ(stats().memory, 0u);
}

TEST_F(SwarmCommandsTest, UnshareHaveAndSwarmstat) {
  Device& alice = logged_in("alice", 5001);
  const auto m = make_manifest(8);
  share(alice, m, "f");
  EXPECT_EQ(send(alice, "have " + m.root_hex() + " 0-7"), Replies{"+OK 8"});
  EXPECT_EQ(send(alice, "have " + std::string(64, 'b') + " 0"),
            Replies{"-ERR 404 You hold no part of bbbbbbbbbbbb: swarmget or share it first"});
  EXPECT_EQ(send(alice, "have " + m.root_hex() + " 0-"),
            Replies{"-ERR 400 '0-' is not a chunk number or a range such as 0-9"});
  EXPECT_TRUE(std::regex_match(
      send(alice, "swarmstat")[0],
      std::regex("\\+OK memory [0-9]+ of 65536 bytes, 1 devices, 1 names, 1 roots, 1 holders, 0 tickets")));
  EXPECT_EQ(send(alice, "unshare f"), Replies{"+OK f withdrawn"});
  EXPECT_EQ(send(alice, "unshare f"), Replies{"-ERR 404 You do not share f"});
  EXPECT_EQ(send(alice, "have " + m.root_hex() + " 0"),
            Replies{"-ERR 404 You hold no part of " + m.root_hex().substr(0, 12) + ": swarmget or share it first"});
}

TEST_F(SwarmCommandsTest, CommandsNeedLogin) {
  Device& d = connect();
  EXPECT_EQ(send(d, "searchfile f"), Replies{"-ERR 403 Please log in first: login NAME PASSWORD [UDPPORT]"});
}

}  // namespace
}  // namespace edgehub::hub::testing
