// PathShares: the swarm serves to one peer split what they measured together
// (docs/UDP.md#13-swarm-requests, "One path, several serves").
#include "p2p/path_shares.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace edgehub::p2p {
namespace {

using Peer = PathShares::Peer;

Peer peer(unsigned short port) { return Peer(boost::asio::ip::make_address("127.0.0.2"), port); }

// A controller past start-up whose estimate is `bw` packets per second.
BbrLite cruising_at(double bw) {
  BbrLite cc;
  cc.set_path_share(bw, 2 * kMillis, 0);
  return cc;
}

TEST(PathShares, TheSurvivorOfTwoTransfersTakesTheWholePath) {
  PathShares shares;
  auto a = cruising_at(4000), b = cruising_at(4000);
  std::vector<BbrLite*> both{&a, &b}, survivor{&b};
  shares.remember(peer(1), both, kSeconds);  // a ends
  shares.share(peer(1), survivor, kSeconds);
  EXPECT_EQ(b.bottleneck_bw(), 8000);
  EXPECT_DOUBLE_EQ(b.pacing_rate(), 8000);
}

TEST(PathShares, ANewTransferStartsFromItsShareInsteadOfStartUp) {
  PathShares shares;
  auto a = cruising_at(8000);
  BbrLite fresh;
  std::vector<BbrLite*> first{&a}, both{&a, &fresh};
  shares.remember(peer(1), first, kSeconds);
  shares.share(peer(1), both, kSeconds);
  EXPECT_EQ(fresh.mode(), BbrLite::Mode::probe_bw);
  EXPECT_EQ(fresh.bottleneck_bw(), 4000);
  EXPECT_EQ(a.bottleneck_bw(), 4000);
  EXPECT_EQ(fresh.min_rtt(), 2 * kMillis);
}

TEST(PathShares, TransfersStillInStartUpTeachNothing) {
  PathShares shares;
  BbrLite starting;
  std::vector<BbrLite*> one{&starting};
  shares.remember(peer(1), one, kSeconds);
  EXPECT_EQ(shares.size(), 0u);
}

TEST(PathShares, WhatTheLiveTransfersMeasureWinsWhenItIsMore) {
  PathShares shares;
  auto old = cruising_at(6000);
  std::vector<BbrLite*> before{&old};
  shares.remember(peer(1), before, kSeconds);
  auto a = cruising_at(5000), b = cruising_at(5000);
  std::vector<BbrLite*> live{&a, &b};
  shares.share(peer(1), live, 2 * kSeconds);
  EXPECT_EQ(a.bottleneck_bw(), 5000);
  EXPECT_EQ(b.bottleneck_bw(), 5000);
}

TEST(PathShares, ARateOlderThanTheMemoryIsNotUsed) {
  PathShares shares;
  auto a = cruising_at(8000);
  BbrLite fresh;
  std::vector<BbrLite*> first{&a}, later{&fresh};
  shares.remember(peer(1), first, kSeconds);
  shares.share(peer(1), later, kSeconds + PathShares::kMemory + 1);
  EXPECT_EQ(fresh.mode(), BbrLite::Mode::startup);
}

TEST(PathShares, AnotherPeersRateIsNotUsed) {
  PathShares shares;
  auto a = cruising_at(8000);
  BbrLite fresh;
  std::vector<BbrLite*> first{&a}, other{&fresh};
  shares.remember(peer(1), first, kSeconds);
  shares.share(peer(2), other, kSeconds);
  EXPECT_EQ(fresh.mode(), BbrLite::Mode::startup);
}

TEST(PathShares, AtMostMaxPeersAreKeptAndTheStalestGoFirst) {
  PathShares shares;
  auto a = cruising_at(8000);
  std::vector<BbrLite*> one{&a};
  for (unsigned short p = 1; p <= PathShares::kMaxPeers + 1; ++p) shares.remember(peer(p), one, kSeconds + p);
  EXPECT_EQ(shares.size(), PathShares::kMaxPeers);
  BbrLite fresh;
  std::vector<BbrLite*> to_first{&fresh};
  shares.share(peer(1), to_first, 2 * kSeconds);
  EXPECT_EQ(fresh.mode(), BbrLite::Mode::startup);  // peer 1's rate was the stalest
  shares.share(peer(2), to_first, 2 * kSeconds);
  EXPECT_EQ(fresh.mode(), BbrLite::Mode::probe_bw);
}

}  // namespace
}  // namespace edgehub::p2p
