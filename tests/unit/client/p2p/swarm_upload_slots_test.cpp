// The seeder's upload slots: at most `capacity` at once, the rest queued,
// freed slots handed out round-robin between downloaders.
#include <gtest/gtest.h>

#include "client/p2p/swarm_upload_slots.hpp"

namespace edgehub::client::swarm {
namespace {

using Admission = UploadSlots::Admission;

TEST(UploadSlots, StartsUpToCapacityThenQueues) {
  UploadSlots slots(2);
  EXPECT_EQ(slots.admit("alice", 1), Admission::start);
  EXPECT_EQ(slots.admit("alice", 2), Admission::start);
  EXPECT_EQ(slots.admit("alice", 3), Admission::queued);
  EXPECT_EQ(slots.in_use(), 2u);
  EXPECT_EQ(slots.queued(), 1u);
  const auto next = slots.release("alice");
  ASSERT_TRUE(next);
  EXPECT_EQ(next->downloader, "alice");
  EXPECT_EQ(next->request, 3u);
  EXPECT_EQ(slots.in_use(), 2u);  // the slot went straight to the queued request
  EXPECT_FALSE(slots.release("alice"));
  EXPECT_FALSE(slots.release("alice"));
  EXPECT_EQ(slots.in_use(), 0u);
}

// One downloader filled every slot and queued more; a second one's request
// gets the next free slot, not the first one's queue: a freed slot goes to
// the waiting downloader holding fewest.
TEST(UploadSlots, FreedSlotsGoRoundRobin) {
  UploadSlots slots(2);
  slots.admit("alice", 1);
  slots.admit("alice", 2);
  for (std::uint64_t r = 10; r < 14; ++r) EXPECT_EQ(slots.admit("alice", r), Admission::queued);
  EXPECT_EQ(slots.admit("bob", 20), Admission::queued);
  EXPECT_EQ(slots.admit("bob", 21), Admission::queued);
  std::vector<std::string> order;
  for (const char* ended : {"alice", "alice", "bob", "alice"}) {
    const auto next = slots.release(ended);
    ASSERT_TRUE(next);
    order.push_back(next->downloader);
  }
  EXPECT_EQ(order, (std::vector<std::string>{"bob", "alice", "bob", "alice"}));
}

TEST(UploadSlots, NewRequestsWaitBehindTheQueue) {
  UploadSlots slots(1);
  slots.admit("alice", 1);
  EXPECT_EQ(slots.admit("bob", 2), Admission::queued);
  EXPECT_EQ(slots.admit("carol", 3), Admission::queued);
  EXPECT_TRUE(slots.unqueue("bob", 2));
  EXPECT_FALSE(slots.unqueue("bob", 2));
  const auto next = slots.release("alice");
  ASSERT_TRUE(next);
  EXPECT_EQ(next->downloader, "carol");
}

TEST(UploadSlots, ABoundedQueuePerDownloader) {
  UploadSlots slots(1);
  slots.admit("alice", 0);
  for (std::uint64_t r = 1; r <= UploadSlots::kMaxQueuedPerDownloader; ++r)
    ASSERT_EQ(slots.admit("alice", r), Admission::queued);
  EXPECT_EQ(slots.admit("alice", 9999), Admission::busy);
  EXPECT_EQ(slots.admit("bob", 1), Admission::queued);  // the bound is per downloader
}

}  // namespace
}  // namespace edgehub::client::swarm
