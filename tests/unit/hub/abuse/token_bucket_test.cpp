#include "hub/abuse/token_bucket.hpp"

#include <gtest/gtest.h>

#include "unit/hub/injected_time.hpp"

namespace edgehub::hub {
namespace {

using namespace std::chrono_literals;
using Clock = TokenBucket::Clock;

using test::t0;  // injected time, never the real clock

TEST(TokenBucket, StartsFullAndEmptiesAfterTheBurst) {
  TokenBucket b(3, t0);
  EXPECT_TRUE(b.take(1, 3, t0));
  EXPECT_TRUE(b.take(1, 3, t0));
  EXPECT_TRUE(b.take(1, 3, t0));
  EXPECT_FALSE(b.take(1, 3, t0));
  EXPECT_FALSE(b.available(1, 3, t0));
}

TEST(TokenBucket, RefillsAtTheRate) {
  TokenBucket b(2, t0);
  ASSERT_TRUE(b.take(4, 2, t0));
  ASSERT_TRUE(b.take(4, 2, t0));
  EXPECT_FALSE(b.take(4, 2, t0 + 200ms));  // 0.8 of a token
  EXPECT_TRUE(b.take(4, 2, t0 + 250ms));   // 1.0
  EXPECT_FALSE(b.take(4, 2, t0 + 250ms));
  EXPECT_EQ(b.wait_time(4, 2, t0 + 250ms), 250ms);
}

TEST(TokenBucket, NeverHoldsMoreThanTheBurst) {
  TokenBucket b(2, t0);
  EXPECT_TRUE(b.full(1, 2, t0 + 1h));
  EXPECT_TRUE(b.take(1, 2, t0 + 1h));
  EXPECT_TRUE(b.take(1, 2, t0 + 1h));
  EXPECT_FALSE(b.take(1, 2, t0 + 1h));
  EXPECT_FALSE(b.full(1, 2, t0 + 1h + 1s));
  EXPECT_TRUE(b.full(1, 2, t0 + 1h + 2s));
}

TEST(TokenBucket, TimeGoingBackwardsAddsNothing) {
  TokenBucket b(1, t0);
  ASSERT_TRUE(b.take(1, 1, t0));
  EXPECT_FALSE(b.take(1, 1, t0 - 10s));
  EXPECT_TRUE(b.take(1, 1, t0 + 1s));
}

}  // namespace
}  // namespace edgehub::hub
