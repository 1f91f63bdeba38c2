// RTT estimator (RFC 6298), scoreboard loss detection, reorder buffer SACKs.
#include <gtest/gtest.h>

#include "p2p/reorder_buffer.hpp"
#include "p2p/rtt_estimator.hpp"
#include "p2p/send_scoreboard.hpp"

namespace edgehub::p2p {
namespace {

TEST(RttEstimator, FollowsRfc6298) {
  RttEstimator r(1 * kSeconds, 200 * kMillis, 60 * kSeconds);
  EXPECT_EQ(r.rto(), 1 * kSeconds);  // before any sample
  r.on_sample(100 * kMillis);
  EXPECT_EQ(r.srtt(), 100 * kMillis);
  EXPECT_EQ(r.rttvar(), 50 * kMillis);
  EXPECT_EQ(r.rto(), 300 * kMillis);  // SRTT + 4 RTTVAR
  r.on_sample(200 * kMillis);
  EXPECT_EQ(r.rttvar(), (3 * 50 * kMillis + 100 * kMillis) / 4);
  EXPECT_EQ(r.srtt(), (7 * 100 * kMillis + 200 * kMillis) / 8);
}

TEST(RttEstimator, ClampsAndBacksOff) {
  RttEstimator r(1 * kSeconds, 200 * kMillis, 60 * kSeconds);
  r.on_sample(1 * kMillis);
  EXPECT_EQ(r.rto(), 200 * kMillis);  // floor
  r.on_timeout();
  EXPECT_EQ(r.rto(), 400 * kMillis);
  for (int i = 0; i < 20; ++i) r.on_timeout();
  EXPECT_EQ(r.rto(), 60 * kSeconds);  // ceiling
  r.on_sample(1 * kMillis);
  EXPECT_EQ(r.rto(), 200 * kMillis);  // a sample clears the backoff
}

TEST(SendScoreboard, ThreeHigherSacksTriggerFastRetransmit) {
  SendScoreboard b;
  for (std::uint32_t s = 0; s < 10; ++s) b.on_sent(s, 100, false);
  ASSERT_TRUE(b.on_ack(Ack{2, 100, 0, 0, {{3, 5}}}, 200));  // 2 missing, 2 above it
  EXPECT_EQ(b.detect_losses(200, 1000 * kMillis), 0u);
  ASSERT_TRUE(b.on_ack(Ack{2, 100, 0, 0, {{3, 6}}}, 210));  // now 3 above
  EXPECT_EQ(b.detect_losses(210, 1000 * kMillis), 1u);
  EXPECT_EQ(b.pop_lost(), 2u);
  EXPECT_FALSE(b.pop_lost());
  EXPECT_EQ(b.cum_ack(), 2u);
  EXPECT_EQ(b.in_flight(), 10u - 2 - 3 - 1);
}

TEST(SendScoreboard, RackDeclaresALostRetransmissionLost) {
  SendScoreboard b;
  for (std::uint32_t s = 0; s < 6; ++s) b.on_sent(s, 1000, false);
  ASSERT_TRUE(b.on_ack(Ack{0, 100, 0, 0, {{1, 6}}}, 2000));
  EXPECT_EQ(b.detect_losses(2000, 100), 1u);
  b.on_sent(*b.pop_lost(), 2000, false);  // retransmission of 0
  for (std::uint32_t s = 6; s < 8; ++s) b.on_sent(s, 2100, false);
  ASSERT_TRUE(b.on_ack(Ack{0, 100, 0, 0, {{1, 8}}}, 3100));  // sent after it, delivered
  EXPECT_EQ(b.detect_losses(3100, 200), 0u);                 // not yet: RTT + window not elapsed
  EXPECT_NE(b.loss_deadline(), kNever);
  EXPECT_EQ(b.loss_deadline(), 2000u + 1000 + 200);
  EXPECT_EQ(b.detect_losses(b.loss_deadline(), 200), 1u);
}

TEST(SendScoreboard, RejectsAcksForUnsentData) {
  SendScoreboard b;
  b.on_sent(0, 1, false);
  EXPECT_FALSE(b.on_ack(Ack{5, 100, 0, 0, {}}, 2));
  EXPECT_FALSE(b.on_ack(Ack{0, 100, 0, 0, {{1, 9}}}, 2));
  EXPECT_TRUE(b.on_ack(Ack{1, 100, 0, 0, {}}, 2));
  EXPECT_TRUE(b.on_ack(Ack{0, 100, 0, 0, {}}, 3));  // stale but harmless
  EXPECT_EQ(b.cum_ack(), 1u);
}

TEST(SendScoreboard, RtoMarksEverythingInFlightLost) {
  SendScoreboard b;
  for (std::uint32_t s = 0; s < 5; ++s) b.on_sent(s, 1, false);
  EXPECT_EQ(b.mark_all_lost(), 5u);
  EXPECT_EQ(b.in_flight(), 0u);
  EXPECT_EQ(b.pop_lost(), 0u);
}

TEST(ReorderBuffer, StoresAndReportsSackBlocks) {
  ReorderBuffer r(16, 4);
  std::uint8_t x[4] = {1, 2, 3, 4};
  EXPECT_TRUE(r.insert(3, x));
  EXPECT_FALSE(r.insert(3, x));
  r.insert(4, x);
  r.insert(7, x);
  r.insert(9, x);
  r.insert(10, x);
  auto blocks = r.sack_blocks(1, 11, 7);
  ASSERT_EQ(blocks.size(), 3u);
  EXPECT_EQ(blocks[0], (SackBlock{7, 8}));  // the newest first
  EXPECT_EQ(blocks[1], (SackBlock{3, 5}));
  EXPECT_EQ(blocks[2], (SackBlock{9, 11}));
  EXPECT_EQ(r.get(9).size(), 4u);
  r.release(3);
  EXPECT_FALSE(r.holds(3));
  EXPECT_FALSE(r.holds(3 + 16));  // same slot, other seq
}

TEST(ReorderBuffer, FreeStorageForgetsEverythingAndStaysUsable) {
  ReorderBuffer r(16, 4);
  std::uint8_t x[4] = {1, 2, 3, 4};
  r.insert(3, x);
  r.free_storage();
  EXPECT_EQ(r.held(), 0u);
  EXPECT_FALSE(r.holds(3));
  EXPECT_TRUE(r.insert(3, x));
  EXPECT_EQ(r.get(3)[3], 4);
}

}  // namespace
}  // namespace edgehub::p2p
