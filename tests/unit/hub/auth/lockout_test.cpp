#include "hub/auth/lockout.hpp"

#include <gtest/gtest.h>

#include "unit/hub/injected_time.hpp"

namespace edgehub::hub {
namespace {

using namespace std::chrono_literals;
using Clock = Lockout::Clock;
using Outcome = Lockout::Outcome;

using test::t0;  // injected time, never the real clock

TEST(Lockout, NFailuresBlock) {
  Lockout l(3, 10s);
  EXPECT_FALSE(l.is_blocked("alice", t0));
  EXPECT_EQ(l.record_failure("alice", t0), Outcome::TryAgain);
  EXPECT_EQ(l.record_failure("alice", t0 + 1s), Outcome::TryAgain);
  EXPECT_FALSE(l.is_blocked("alice", t0 + 1s));
  EXPECT_EQ(l.record_failure("alice", t0 + 2s), Outcome::NowBlocked);
  EXPECT_TRUE(l.is_blocked("alice", t0 + 2s));
  EXPECT_TRUE(l.is_blocked("alice", t0 + 11s));  // 9 s into a 10 s block
}

TEST(Lockout, BlockLiftsAfterTheBlockTime) {
  Lockout l(2, 10s);
  l.record_failure("bob", t0);
  ASSERT_EQ(l.record_failure("bob", t0), Outcome::NowBlocked);
  EXPECT_TRUE(l.is_blocked("bob", t0 + 10s - 1ms));
  EXPECT_FALSE(l.is_blocked("bob", t0 + 10s));
  // The count starts afresh: one failure does not re-block.
  EXPECT_EQ(l.record_failure("bob", t0 + 11s), Outcome::TryAgain);
  EXPECT_FALSE(l.is_blocked("bob", t0 + 11s));
  EXPECT_EQ(l.record_failure("bob", t0 + 12s), Outcome::NowBlocked);
}

// SIGHUP (docs/OPERATIONS.md#reloading-sighup): the next failure counts
// against the new attempts, a new block lasts the new time, a block already
// set keeps its end.
TEST(Lockout, ReconfiguredLimitsHoldFromTheNextFailure) {
  Lockout l(2, 10s);
  l.record_failure("bob", t0);
  ASSERT_EQ(l.record_failure("bob", t0), Outcome::NowBlocked);
  l.record_failure("alice", t0);
  l.reconfigure(3, 60s);
  EXPECT_EQ(l.block_time(), 60s);
  EXPECT_FALSE(l.is_blocked("bob", t0 + 10s)) << "bob's block keeps its end";
  EXPECT_EQ(l.record_failure("alice", t0 + 1s), Outcome::TryAgain) << "her first failure counts; 3 now block";
  EXPECT_EQ(l.record_failure("alice", t0 + 2s), Outcome::NowBlocked);
  EXPECT_TRUE(l.is_blocked("alice", t0 + 61s));
  EXPECT_FALSE(l.is_blocked("alice", t0 + 62s));
}

TEST(Lockout, OneAttemptBlocksAtOnce) {
  Lockout l(1, 5s);
  EXPECT_EQ(l.record_failure("carol", t0), Outcome::NowBlocked);
  EXPECT_TRUE(l.is_blocked("carol", t0));
}

TEST(Lockout, SuccessResetsTheCount) {
  Lockout l(3, 10s);
  l.record_failure("dave", t0);
  l.record_failure("dave", t0);
  l.record_success("dave");
  EXPECT_EQ(l.record_failure("dave", t0), Outcome::TryAgain);
  EXPECT_EQ(l.record_failure("dave", t0), Outcome::TryAgain);
  EXPECT_EQ(l.record_failure("dave", t0), Outcome::NowBlocked);
}

TEST(Lockout, NamesAreCountedSeparatelyAndCaseSensitively) {
  Lockout l(2, 10s);
  l.record_failure("erin", t0);
  EXPECT_EQ(l.record_failure("Erin", t0), Outcome::TryAgain);
  EXPECT_EQ(l.record_failure("frank", t0), Outcome::TryAgain);
  EXPECT_EQ(l.record_failure("erin", t0), Outcome::NowBlocked);
  EXPECT_FALSE(l.is_blocked("frank", t0));
  EXPECT_FALSE(l.is_blocked("Erin", t0));
}

TEST(Lockout, UnknownNamesAreCountedLikeKnownOnes) {
  // Lockout has no idea which names exist: that is the point.
  Lockout l(2, 10s);
  l.record_failure("nobody-at-all", t0);
  EXPECT_EQ(l.record_failure("nobody-at-all", t0), Outcome::NowBlocked);
  EXPECT_TRUE(l.is_blocked("nobody-at-all", t0 + 1s));
}

TEST(Lockout, TableIsBoundedButKeepsActiveBlocks) {
  Lockout l(2, 100s, 8);
  l.record_failure("victim", t0);
  ASSERT_EQ(l.record_failure("victim", t0), Outcome::NowBlocked);
  for (int i = 0; i < 1000; ++i) l.record_failure("spray" + std::to_string(i), t0 + 1s);
  EXPECT_TRUE(l.is_blocked("victim", t0 + 2s)) << "eviction must not lift a live block";
}

TEST(Lockout, BlockedForSaysHowLongIsLeft) {
  Lockout l(1, 10s);
  EXPECT_EQ(l.blocked_for("gina", t0), Clock::duration{});
  l.record_failure("gina", t0);
  EXPECT_EQ(l.blocked_for("gina", t0 + 3s), 7s);
  EXPECT_EQ(l.blocked_for("gina", t0 + 10s), Clock::duration{});
}

TEST(Lockout, SecondsPhraseRoundsUp) {
  EXPECT_EQ(seconds_phrase(10s), "10 seconds");
  EXPECT_EQ(seconds_phrase(1s), "1 second");
  EXPECT_EQ(seconds_phrase(100ms), "1 second");  // never "0 seconds" while still blocked
  EXPECT_EQ(seconds_phrase(6s + 1ms), "7 seconds");
}

}  // namespace
}  // namespace edgehub::hub
