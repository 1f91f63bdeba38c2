// BbrLite::set_path_share (the share PathShares hands out) and MaxFilter::reset.
#include "p2p/bbr_lite.hpp"

#include <gtest/gtest.h>

namespace edgehub::p2p {
namespace {

TEST(MaxFilter, ResetForgetsEveryOtherSample) {
  MaxFilter f(10);
  f.update(1, 100);
  f.update(2, 50);
  EXPECT_EQ(f.get(), 100);
  f.reset(3, 40);
  EXPECT_EQ(f.get(), 40);
  f.update(4, 45);
  EXPECT_EQ(f.get(), 45);
}

TEST(BbrLite, APathShareSkipsStartupAndPacesAtTheShare) {
  BbrLite cc;
  EXPECT_EQ(cc.mode(), BbrLite::Mode::startup);
  cc.set_path_share(8000, 2000, 1'000'000);
  EXPECT_EQ(cc.mode(), BbrLite::Mode::probe_bw);
  EXPECT_EQ(cc.bottleneck_bw(), 8000);
  EXPECT_EQ(cc.min_rtt(), 2000);
  EXPECT_DOUBLE_EQ(cc.pacing_rate(), 8000);  // a cruising phase (gain 1), not a probe
  EXPECT_GE(cc.cwnd(), 2 * 8000 * 0.002);    // two BDPs at least
}

TEST(BbrLite, ALowerShareReplacesAHigherOne) {
  BbrLite cc;
  cc.set_path_share(8000, 2000, 0);
  cc.set_path_share(4000, 3000, 10);
  EXPECT_EQ(cc.bottleneck_bw(), 4000);  // not the window's maximum: another transfer took half
  EXPECT_EQ(cc.min_rtt(), 2000);        // the lower RTT stays
}

TEST(BbrLite, AnUnknownPathChangesNothing) {
  BbrLite cc;
  cc.set_path_share(0, 2000, 0);
  cc.set_path_share(8000, kNever, 0);
  EXPECT_EQ(cc.mode(), BbrLite::Mode::startup);
  EXPECT_EQ(cc.bottleneck_bw(), 0);
}

}  // namespace
}  // namespace edgehub::p2p
