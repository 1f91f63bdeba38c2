// End-to-end behaviour of the sender and receiver state machines over the
// simulated network (sim_network.hpp): virtual time, no sockets, no sleeps.
#include <gtest/gtest.h>

#include "sim_network.hpp"

namespace edgehub::p2p::test {
namespace {

constexpr Micros kLimit = 600 * kSeconds;

void expect_delivered(SimTransfer& t) {
  ASSERT_EQ(t.sender->state(), SenderMachine::State::done) << t.sender->error();
  ASSERT_TRUE(t.receiver);
  EXPECT_TRUE(t.receiver->succeeded()) << t.receiver->error();
  EXPECT_TRUE(t.sink.committed);
  EXPECT_FALSE(t.sink.discarded);
  EXPECT_TRUE(t.sink.data == t.source.data);
}

TEST(TransferSim, CleanPathDeliversExactBytes) {
  SimTransfer t(pattern(3'000'000), {}, {});
  t.run(kLimit);
  expect_delivered(t);
  EXPECT_EQ(t.sender->retransmissions(), 0u);
}

TEST(TransferSim, LossDuplicationReorderingAndCorruptionAreRepaired) {
  Impairments imp;
  imp.loss = 0.05;
  imp.dup = 0.02;
  imp.reorder = 0.05;
  imp.corrupt = 0.01;
  for (std::uint64_t seed = 1; seed <= 5; ++seed) {
    SimTransfer t(pattern(2'000'000, seed), {}, imp, seed);
    t.run(kLimit);
    expect_delivered(t);
    EXPECT_GT(t.sender->retransmissions(), 0u);
    EXPECT_GT(t.bad, 0u);  // corrupt datagrams were seen and dropped
  }
}

TEST(TransferSim, HeavyLossStillCompletes) {
  Impairments imp;
  imp.loss = 0.3;
  SimTransfer t(pattern(300'000), {}, imp, 9);
  t.run(kLimit);
  expect_delivered(t);
}

TEST(TransferSim, EmptyAndOddSizedFiles) {
  for (std::size_t n : {std::size_t{0}, std::size_t{1}, std::size_t{1432}, std::size_t{1433}, std::size_t{99999}}) {
    SimTransfer t(pattern(n), {}, {});
    t.run(kLimit);
    expect_delivered(t);
    EXPECT_EQ(t.sink.data.size(), n);
  }
}

TEST(TransferSim, StopAndWaitWorksAndIsMuchSlower) {
  TransportConfig saw;
  saw.stop_and_wait = true;
  SimTransfer slow(pattern(200'000), saw, {});
  slow.run(kLimit);
  expect_delivered(slow);
  SimTransfer fast(pattern(200'000), {}, {});
  fast.run(kLimit);
  expect_delivered(fast);
  // Virtual time, so this is exact and repeatable, not a wall-clock assertion.
  EXPECT_GT(slow.sender_done_at - 1'000'000, 5 * (fast.sender_done_at - 1'000'000));
}

TEST(TransferSim, WindowedTransferUsesMostOfTheLinkDespiteRandomLoss) {
  Impairments imp;
  imp.loss = 0.01;
  imp.delay = 10 * kMillis;  // 20 ms RTT, 100 Mbit/s as in the benchmark
  SimTransfer t(pattern(30'000'000), {}, imp, 4);
  Micros start = t.now;
  t.run(kLimit);
  expect_delivered(t);
  double seconds = static_cast<double>(t.sender_done_at - start) / 1e6;
  double mbit = 30'000'000.0 * 8 / seconds / 1e6;
  EXPECT_GT(mbit, 70.0) << "goodput " << mbit << " Mbit/s in virtual time";
}

TEST(TransferSim, ReceiverThatVanishesFailsTheSenderAfterTheIdleTimeout) {
  TransportConfig cfg;
  cfg.idle_timeout = 3 * kSeconds;
  SimTransfer t(pattern(5'000'000), cfg, {});
  while (!t.receiver || t.receiver->bytes_received() < 100'000) t.step(kLimit);
  t.receiver_dead = true;
  Micros died = t.now;
  t.run(kLimit);
  EXPECT_EQ(t.sender->state(), SenderMachine::State::failed);
  EXPECT_NE(t.sender->error().find("receiver stopped responding"), std::string::npos) << t.sender->error();
  EXPECT_LE(t.sender_done_at - died, cfg.idle_timeout + 2 * kSeconds);
}

TEST(TransferSim, SenderThatVanishesLeavesNothingAtTheReceiver) {
  TransportConfig cfg;
  cfg.idle_timeout = 3 * kSeconds;
  SimTransfer t(pattern(5'000'000), cfg, {});
  while (!t.receiver || t.receiver->bytes_received() < 100'000) t.step(kLimit);
  t.sender_dead = true;
  while (!t.receiver->finished() && t.now < kLimit) t.step(kLimit);
  EXPECT_EQ(t.receiver->state(), ReceiverMachine::State::failed);
  EXPECT_TRUE(t.sink.discarded);
  EXPECT_FALSE(t.sink.committed);
}

TEST(TransferSim, SenderCancelTellsTheReceiver) {
  SimTransfer t(pattern(5'000'000), {}, {});
  while (!t.receiver || t.receiver->bytes_received() < 100'000) t.step(kLimit);
  t.sender->cancel("interrupted");
  t.run(t.now + 1 * kSeconds);
  EXPECT_EQ(t.receiver->state(), ReceiverMachine::State::failed);
  EXPECT_NE(t.receiver->error().find("interrupted"), std::string::npos);
  EXPECT_TRUE(t.sink.discarded);
}

TEST(TransferSim, ReceiverCloseFailsTheSenderWithAClearMessage) {
  SimTransfer t(pattern(5'000'000), {}, {});
  while (!t.receiver || t.receiver->bytes_received() < 100'000) t.step(kLimit);
  t.receiver->close(AbortReason::receiver_closed, "bob logged out");
  t.run(t.now + 1 * kSeconds);
  EXPECT_EQ(t.sender->state(), SenderMachine::State::failed);
  EXPECT_EQ(t.sender->error(), "receiver closed the transfer: bob logged out");
}

TEST(TransferSim, NoReceiverMeansHandshakeTimeout) {
  SimTransfer t(pattern(1000), {}, {});
  t.receiver_dead = true;
  t.run(kLimit);
  EXPECT_EQ(t.sender->state(), SenderMachine::State::failed);
  EXPECT_NE(t.sender->error().find("handshake timed out"), std::string::npos);
}

TEST(TransferSim, HashMismatchIsReportedAndTheFileDiscarded) {
  // Feed the receiver a FIN whose digest is wrong.
  MemorySink sink;
  Syn syn{7, TransferMode::windowed, 100, 150, 0, "t", "n"};
  ReceiverMachine r(ReceiverParams{{}, 99, syn}, sink, 0);
  auto payload = pattern(150);
  r.on_packet({99, Data{0, 1, std::span(payload).first(100)}}, 10);
  r.on_packet({99, Data{1, 2, std::span(payload).subspan(100)}}, 20);
  r.on_packet({99, Fin{150, {}, 3}}, 30);
  EXPECT_FALSE(r.succeeded());
  EXPECT_TRUE(sink.discarded);
  std::vector<std::uint8_t> buf(kMaxDatagram);
  bool saw_finack = false;
  while (auto n = r.poll_transmit(40, buf)) {
    auto p = decode(std::span(buf).first(n)).packet();
    if (auto* f = std::get_if<FinAck>(&p.body)) saw_finack = f->status == FinStatus::hash_mismatch;
  }
  EXPECT_TRUE(saw_finack);
}

}  // namespace
}  // namespace edgehub::p2p::test
