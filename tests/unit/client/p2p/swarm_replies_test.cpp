// The tracker's replies as the client reads and prints them.
#include <gtest/gtest.h>

#include "client/p2p/swarm_replies.hpp"
#include "client/p2p/swarm_report.hpp"

namespace edgehub::client::swarm {
namespace {

const std::string kRoot(64, 'a');

TEST(SwarmReplies, VersionLines) {
  const auto v = parse_version_line(kRoot + " 1048576 16384 64 alice:64,bob:10");
  ASSERT_TRUE(v);
  EXPECT_EQ(v->size, 1048576u);
  EXPECT_EQ(v->chunk_count, 64u);
  ASSERT_EQ(v->holders.size(), 2u);
  EXPECT_EQ(v->holders[1].user, "bob");
  EXPECT_EQ(v->holders[1].have, 10u);
  EXPECT_EQ(format_version("a.bin", *v),
            "a.bin aaaaaaaaaaaa: 1.0 MiB in 64 chunks of 16.0 KiB, 2 holders: alice all, bob 10/64");
  EXPECT_NE(format_version("a.bin", *v, 10).find("2 holders: alice all, bob all"), std::string::npos);
  EXPECT_FALSE(parse_version_line("xyz 1 2 3 a:1"));
  EXPECT_FALSE(parse_version_line(kRoot + " 1 2 3 a:x"));
  EXPECT_FALSE(parse_version_line(kRoot + " 1 2 3"));
}

TEST(SwarmReplies, PeersAndTickets) {
  // Each with the other side's public key (docs/UDP.md#14-end-to-end-encryption).
  const std::string key(64, 'b');
  const auto p = parse_peer_line("bob 127.0.0.1 40000 00ff " + key + " all");
  ASSERT_TRUE(p);
  EXPECT_TRUE(p->all);
  EXPECT_EQ(p->address.port(), 40000);
  EXPECT_EQ(p->key.key[31], 0xbb);
  EXPECT_FALSE(p->key.offer);  // an older holder or hub: no cipher offer
  const auto q = parse_peer_line("bob 127.0.0.1 40000 00ff " + key + " xc0");
  ASSERT_TRUE(q);
  EXPECT_EQ(q->bitmap_hex, "c0");
  // With the holder's cipher offer (docs/UDP.md#14-end-to-end-encryption).
  const auto o = parse_peer_line("bob 127.0.0.1 40000 00ff " + key + ":xchacha20poly1305 all");
  ASSERT_TRUE(o);
  EXPECT_EQ(o->key.offer, "xchacha20poly1305");
  EXPECT_FALSE(parse_peer_line("bob 127.0.0.1 40000 00ff " + key + ":X all"));
  EXPECT_FALSE(parse_peer_line("bob 127.0.0.1 40000 00ff all"));  // no key: an old server
  EXPECT_FALSE(parse_peer_line("bob 127.0.0.1 0 00ff " + key + " all"));
  EXPECT_FALSE(parse_peer_line("bob nowhere 1 00ff " + key + " all"));
  EXPECT_FALSE(parse_peer_line("bob 127.0.0.1 1 00ff " + key + " some"));
  const auto t = parse_ticket_event("alice 0123abcd " + kRoot + " " + key);
  ASSERT_TRUE(t);
  EXPECT_EQ(t->asker, "alice");
  EXPECT_EQ(t->key.key[0], 0xbb);
  const auto u = parse_ticket_event("alice 0123abcd " + kRoot + " " + key + ":aes256gcm,xchacha20poly1305");
  ASSERT_TRUE(u);
  EXPECT_EQ(u->key.offer, "aes256gcm,xchacha20poly1305");
  EXPECT_FALSE(parse_ticket_event("alice 0123abcd " + kRoot));
  EXPECT_FALSE(parse_ticket_event("alice 0123abcd notaroot " + key));
  const auto g = parse_swarmget(kRoot + " 300 16384 1");
  ASSERT_TRUE(g);
  EXPECT_EQ(g->chunk_size, 16384u);
}

TEST(SwarmReplies, NameAndRootPrefix) {
  std::string error;
  auto c = parse_name_choice("a b.bin@abcd", &error);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->name, "a b.bin");
  EXPECT_EQ(c->root_prefix, "abcd");
  c = parse_name_choice("plain", &error);
  ASSERT_TRUE(c);
  EXPECT_TRUE(c->root_prefix.empty());
  EXPECT_FALSE(parse_name_choice("x@abc", &error));  // too short
  EXPECT_FALSE(parse_name_choice("x@ABCD", &error));
  EXPECT_NE(error.find("root prefix"), std::string::npos);
}

TEST(SwarmReport, SummaryNamesEveryPeerByShare) {
  const std::vector<PeerShare> shares{{"bob", 350, 35}, {"alice", 400, 40}, {"carol", 250, 25}, {"dave", 0, 0}};
  EXPECT_EQ(format_summary("f.bin", 1000, 2.04, shares),
            "Downloaded f.bin (1000 B) in 2.0 s from 3 peers: alice 40%, bob 35%, carol 25%");
  EXPECT_EQ(format_summary("f.bin", 1000, 0.5, {}), "Downloaded f.bin (1000 B) in 0.5 s: every chunk was already here");
}

TEST(SwarmReport, EtaAtTheCurrentRate) {
  const ProgressFigures p{50, 100, 10, 3};
  EXPECT_DOUBLE_EQ(eta_seconds(p), 5.0);
}

}  // namespace
}  // namespace edgehub::client::swarm
