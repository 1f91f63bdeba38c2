// Messaging building blocks without sockets: the block list, the private
// session registry and letters.
#include <gtest/gtest.h>

#include "hub/messaging/blocks.hpp"
#include "hub/messaging/messaging_letter.hpp"
#include "hub/messaging/messaging_private.hpp"

namespace edgehub::hub {
namespace {

TEST(BlockListTest, DirectionMatters) {
  BlockList blocks;
  EXPECT_FALSE(blocks.blocks("bob", "alice"));
  EXPECT_TRUE(blocks.add("bob", "alice"));
  EXPECT_TRUE(blocks.blocks("bob", "alice"));
  EXPECT_FALSE(blocks.blocks("alice", "bob"));
  EXPECT_FALSE(blocks.add("bob", "alice"));
  EXPECT_EQ(blocks.size(), 1u);
}

TEST(BlockListTest, RemoveAndBlockersOf) {
  BlockList blocks;
  blocks.load({{"bob", "alice"}, {"carol", "alice"}, {"carol", "dave"}, {"bob", "alice"}});
  EXPECT_EQ(blocks.size(), 3u);
  EXPECT_EQ(blocks.blockers_of("alice"), (BlockList::Names{"bob", "carol"}));
  EXPECT_TRUE(blocks.blockers_of("erin").empty());
  EXPECT_TRUE(blocks.remove("bob", "alice"));
  EXPECT_FALSE(blocks.remove("bob", "alice"));
  EXPECT_FALSE(blocks.remove("nobody", "alice"));
  EXPECT_EQ(blocks.blockers_of("alice"), (BlockList::Names{"carol"}));
  EXPECT_FALSE(blocks.blocks("bob", "alice"));
  EXPECT_EQ(blocks.size(), 2u);
}

// A node reads the blocks again after missing the other nodes' events
// (docs/CLUSTER.md#events-between-nodes); a local change made while it read
// must not be undone by the older snapshot.
TEST(BlockListTest, ASnapshotReplacesTheListOnlyIfNothingChangedWhileItWasRead) {
  BlockList blocks;
  blocks.add("bob", "alice");
  const auto before = blocks.version();
  EXPECT_TRUE(blocks.load_if_unchanged({{"carol", "dave"}}, before));
  EXPECT_FALSE(blocks.blocks("bob", "alice"));
  EXPECT_TRUE(blocks.blocks("carol", "dave"));

  const auto read_at = blocks.version();
  blocks.add("erin", "alice");  // committed after the snapshot was read
  EXPECT_FALSE(blocks.load_if_unchanged({{"carol", "dave"}}, read_at));
  EXPECT_TRUE(blocks.blocks("erin", "alice"));
  EXPECT_FALSE(blocks.add("erin", "alice"));
  const auto unchanged = blocks.version();
  EXPECT_FALSE(blocks.remove("nobody", "alice"));  // no change: the version stays
  EXPECT_EQ(blocks.version(), unchanged);
}

TEST(PrivateRegistryTest, RequestAcceptStop) {
  PrivateRegistry r;
  EXPECT_TRUE(r.request("alice", "bob"));
  EXPECT_FALSE(r.take_request("bob", "alice"));  // the other direction was never asked
  EXPECT_TRUE(r.take_request("alice", "bob"));
  EXPECT_FALSE(r.take_request("alice", "bob"));  // an answer consumes the request
  r.activate("bob", "alice");
  EXPECT_TRUE(r.active("alice", "bob"));
  EXPECT_FALSE(r.request("bob", "alice"));  // already in a session
  EXPECT_TRUE(r.stop("bob", "alice"));
  EXPECT_FALSE(r.stop("alice", "bob"));
  EXPECT_FALSE(r.active("alice", "bob"));
}

TEST(PrivateRegistryTest, DropEndsSessionsAndForgetsRequests) {
  PrivateRegistry r;
  r.request("alice", "bob");
  r.take_request("alice", "bob");
  r.activate("bob", "alice");
  r.activate("carol", "alice");
  r.activate("carol", "dave");
  r.request("erin", "alice");
  r.request("alice", "frank");
  auto dropped = r.drop("alice");
  std::sort(dropped.partners.begin(), dropped.partners.end());
  EXPECT_EQ(dropped.partners, (std::vector<std::string>{"bob", "carol"}));
  // Both waiting requests, asked by alice and asked of her: their other side
  // is told (issue 13).
  std::sort(dropped.requests.begin(), dropped.requests.end());
  EXPECT_EQ(dropped.requests, (std::vector<std::string>{"erin", "frank"}));
  EXPECT_FALSE(r.take_request("erin", "alice"));
  EXPECT_FALSE(r.take_request("alice", "frank"));
  EXPECT_TRUE(r.active("carol", "dave"));  // others untouched
}

TEST(LetterTest, FrameAndViews) {
  const auto letter = make_letter('M', "alice", "hello  there", 1'700'000'000, 7);
  EXPECT_EQ(letter->frame, "!MSG alice hello  there\n");
  EXPECT_EQ(letter->sender(), "alice");
  EXPECT_EQ(letter->text(), "hello  there");
  EXPECT_EQ(letter->seq, 7);
  EXPECT_EQ(letter->stored_id, 0);
  const auto b = make_letter('B', "bob", "all", 1, 8, 42, true);
  EXPECT_EQ(b->stored_id, 42);
  EXPECT_TRUE(b->last_in_batch);
}

TEST(LetterTest, AStoredLetterSaysWhenItWasSent) {
  const auto m = make_letter('M', "alice", "hi  you", 1'796'392'588, 3, 17);
  EXPECT_EQ(m->frame, "!STOREDMSG 2026-12-04T13:56:28Z alice hi  you\n");
  EXPECT_EQ(m->sender(), "alice");  // a letter handed back is stored again from these
  EXPECT_EQ(m->text(), "hi  you");
  const auto b = make_letter('B', "bob", "all", 0, 8, 42, true);
  EXPECT_EQ(b->frame, "!STOREDBCAST 1970-01-01T00:00:00Z bob all\n");
}

TEST(LetterTest, BytesShareTheLetter) {
  const auto letter = make_letter('M', "alice", "x", 0, 1);
  const SharedBytes bytes = letter_bytes(letter);
  EXPECT_EQ(bytes.get(), &letter->frame);  // no copy
  EXPECT_EQ(letter.use_count(), 2);
}

}  // namespace
}  // namespace edgehub::hub
