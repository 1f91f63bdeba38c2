#include "p2p/crypto/replay_window.hpp"

#include <gtest/gtest.h>

namespace edgehub::p2p::crypto {
namespace {

TEST(ReplayWindow, AcceptsEachCounterOnce) {
  ReplayWindow w;
  EXPECT_TRUE(w.accept(0));
  EXPECT_FALSE(w.accept(0));
  EXPECT_TRUE(w.accept(1));
  EXPECT_TRUE(w.accept(5));
  EXPECT_FALSE(w.accept(5));
  EXPECT_FALSE(w.accept(1));
}

TEST(ReplayWindow, AcceptsReorderedCountersInsideTheWindow) {
  ReplayWindow w;
  EXPECT_TRUE(w.accept(100));
  EXPECT_TRUE(w.accept(99));
  EXPECT_TRUE(w.accept(3));
  EXPECT_FALSE(w.accept(99));
  EXPECT_EQ(w.highest(), 100u);
}

TEST(ReplayWindow, RejectsCountersThatFellBehind) {
  ReplayWindow w;
  const auto top = 10 * ReplayWindow::kWindow;
  EXPECT_TRUE(w.accept(top));
  EXPECT_FALSE(w.fresh(top - ReplayWindow::kWindow));
  EXPECT_FALSE(w.accept(top - ReplayWindow::kWindow));
  EXPECT_TRUE(w.accept(top - ReplayWindow::kWindow + 1));  // the oldest still inside
  EXPECT_FALSE(w.accept(0));
}

TEST(ReplayWindow, SlidingForgetsOldSlotsButNotRecentOnes) {
  ReplayWindow w;
  for (std::uint64_t c = 0; c < 3 * ReplayWindow::kWindow; c += 2) ASSERT_TRUE(w.accept(c));
  // Odd counters inside the window were never seen; even ones were.
  const auto top = w.highest();
  EXPECT_TRUE(w.fresh(top - 1));
  EXPECT_FALSE(w.fresh(top - 2));
  EXPECT_TRUE(w.accept(top - 1));
  EXPECT_FALSE(w.accept(top - 1));
  // A jump larger than the window clears everything at once.
  EXPECT_TRUE(w.accept(top + 5 * ReplayWindow::kWindow));
  EXPECT_TRUE(w.accept(top + 5 * ReplayWindow::kWindow - 1));
  EXPECT_FALSE(w.accept(top));
}

TEST(ReplayWindow, FreshDoesNotRecord) {
  ReplayWindow w;
  EXPECT_TRUE(w.fresh(7));
  EXPECT_TRUE(w.fresh(7));
  EXPECT_TRUE(w.accept(7));
  EXPECT_FALSE(w.fresh(7));
}

TEST(ReplayWindow, HandlesTheLargestCounters) {
  ReplayWindow w;
  const auto max = ~std::uint64_t{0};
  EXPECT_TRUE(w.accept(max));
  EXPECT_FALSE(w.accept(max));
  EXPECT_TRUE(w.accept(max - 1));
}

}  // namespace
}  // namespace edgehub::p2p::crypto
