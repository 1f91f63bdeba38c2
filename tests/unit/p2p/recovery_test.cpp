// Loss recovery details: SACK blocks repeated most recent first, unneeded
// retransmissions detected by their timing (so reordering stops the
// duplicate-threshold rule), a closing receiver repeating its FINACK, and
// handshakes held while their ticket is on its way.
#include <gtest/gtest.h>

#include <vector>

#include "p2p/parked_handshakes.hpp"
#include "p2p/reorder_buffer.hpp"
#include "p2p/send_scoreboard.hpp"
#include "sim_network.hpp"

namespace edgehub::p2p {
namespace {

TEST(ReorderBuffer, RecentBlocksComeFirstThenAscending) {
  ReorderBuffer r(64, 1);
  std::uint8_t x[1] = {7};
  for (std::uint32_t s : {3u, 4u, 10u, 20u, 21u, 30u}) r.insert(s, x);
  std::vector<std::uint32_t> recent = {30, 10, 21};  // newest first
  auto blocks = r.sack_blocks(1, 31, recent);
  ASSERT_EQ(blocks.size(), 4u);
  EXPECT_EQ(blocks[0], (SackBlock{30, 31}));
  EXPECT_EQ(blocks[1], (SackBlock{10, 11}));
  EXPECT_EQ(blocks[2], (SackBlock{20, 22}));  // 21's block, listed once
  EXPECT_EQ(blocks[3], (SackBlock{3, 5}));    // the rest in ascending order
}

TEST(ReorderBuffer, AtMostSixteenBlocks) {
  ReorderBuffer r(256, 1);
  std::uint8_t x[1] = {7};
  std::vector<std::uint32_t> recent;
  for (std::uint32_t s = 2; s < 100; s += 2) {
    r.insert(s, x);
    recent.insert(recent.begin(), s);
  }
  auto blocks = r.sack_blocks(1, 100, recent);
  ASSERT_EQ(blocks.size(), kMaxSackBlocks);
  EXPECT_EQ(blocks[0], (SackBlock{98, 99}));
  EXPECT_EQ(blocks[1], (SackBlock{96, 97}));  // recent news before old
  EXPECT_EQ(blocks[15], (SackBlock{68, 69}));
}

TEST(ReceiverSack, ABlockLostWithItsAckIsRepeatedInTheNextOnes) {
  using test::MemorySink;
  MemorySink sink;
  Syn syn{5, TransferMode::windowed, 1, 100, 0, "t", "f"};
  ReceiverMachine rx(ReceiverParams{{}, 9, syn}, sink, 0);
  std::vector<std::uint8_t> buf(kMaxDatagram);
  std::uint8_t byte[1] = {1};
  auto ack_after = [&](std::uint32_t seq) {
    rx.on_packet(Packet{9, Data{seq, 0, byte}}, 10);
    std::size_t n = 0;
    while (std::size_t m = rx.poll_transmit(10, buf)) n = m;
    return std::get<Ack>(decode({buf.data(), n}).packet().body);
  };
  // 20 separate blocks, more than an ACK carries; say 38's ACK is lost.
  for (std::uint32_t s = 2; s < 40; s += 2) ack_after(s);
  auto a = ack_after(40);
  ASSERT_EQ(a.sacks.size(), kMaxSackBlocks);
  EXPECT_EQ(a.sacks[0], (SackBlock{40, 41}));
  EXPECT_EQ(a.sacks[1], (SackBlock{38, 39}));  // repeated, though older blocks exist
}

TEST(SendScoreboard, AnUnneededRetransmissionRevealsReordering) {
  SendScoreboard b;
  for (std::uint32_t s = 0; s < 8; ++s) b.on_sent(s, 1000, false);
  ASSERT_TRUE(b.on_ack(Ack{0, 100, 0, 0, {{1, 5}}}, 21000, 20000));
  EXPECT_EQ(b.detect_losses(21000, 5000), 1u);  // duplicate threshold: 4 above it
  b.on_sent(*b.pop_lost(), 21000, false);
  EXPECT_FALSE(b.reordering_seen());
  // The original arrives 1 ms after the retransmission left: too soon for a round trip of 20 ms.
  ASSERT_TRUE(b.on_ack(Ack{5, 100, 0, 0, {}}, 22000, 20000));
  EXPECT_TRUE(b.reordering_seen());
  EXPECT_EQ(b.spurious_retransmissions(), 1u);
  // From now on three packets above a hole are not enough; time is (RACK).
  ASSERT_TRUE(b.on_ack(Ack{5, 100, 0, 0, {{6, 8}}}, 22100, 20000));
  EXPECT_EQ(b.detect_losses(22100, 5000), 0u);
}

TEST(TransferSim, ClosingWhileLingeringRepeatsTheFinAck) {
  test::SimTransfer t(test::pattern(50'000), {}, {});
  while (!t.receiver || !t.receiver->completed()) t.step(10 * kSeconds);
  ASSERT_TRUE(t.receiver->succeeded());
  t.receiver->close(AbortReason::receiver_closed, "bob logged out");
  std::vector<std::uint8_t> buf(kMaxDatagram);
  auto n = t.receiver->poll_transmit(t.now, buf);
  ASSERT_GT(n, 0u);
  EXPECT_TRUE(std::holds_alternative<FinAck>(decode({buf.data(), n}).packet().body));
  EXPECT_TRUE(t.receiver->succeeded());  // the file stays
}

TEST(ParkedHandshakes, HoldsRefreshesExpiresAndStaysBounded) {
  ParkedHandshakes parked(2);
  boost::asio::ip::udp::endpoint a(boost::asio::ip::make_address("127.0.0.1"), 1000);
  boost::asio::ip::udp::endpoint b(boost::asio::ip::make_address("127.0.0.1"), 2000);
  Syn s1{1, TransferMode::windowed, 1432, 10, 0, "t1", "f"};
  Syn s2{2, TransferMode::windowed, 1432, 10, 0, "t2", "f"};
  EXPECT_FALSE(parked.park({a, s1, 100, {}, {}}));
  EXPECT_FALSE(parked.park({a, s1, 500, {}, {}}));  // a retransmission: keeps the first deadline
  EXPECT_EQ(parked.size(), 1u);
  EXPECT_EQ(parked.next_expiry(), 100u);
  EXPECT_FALSE(parked.park({b, s2, 200, {}, {}}));
  auto pushed = parked.park({b, s1, 300, {}, {}});  // full: the oldest makes room
  ASSERT_TRUE(pushed);
  EXPECT_EQ(pushed->syn.ticket, "t1");
  EXPECT_EQ(parked.take_expired(250).size(), 1u);
  EXPECT_EQ(parked.take_all().size(), 1u);
  EXPECT_EQ(parked.next_expiry(), kNever);
}

}  // namespace
}  // namespace edgehub::p2p

namespace edgehub::p2p {
namespace {

TEST(TransferSim, AcksStayAboutOnePerTwoPacketsDespiteLoss) {
  test::Impairments imp;
  imp.loss = 0.01;  // a hole is open most of the time
  test::SimTransfer t(test::pattern(5'000'000), {}, imp, 11);
  t.run(600 * kSeconds);
  ASSERT_TRUE(t.sink.committed);
  const double acks_per_packet = static_cast<double>(t.down.sent) / static_cast<double>(t.up.sent);
  EXPECT_LT(acks_per_packet, 0.65) << t.down.sent << " ACKs for " << t.up.sent << " packets";
}

}  // namespace
}  // namespace edgehub::p2p
