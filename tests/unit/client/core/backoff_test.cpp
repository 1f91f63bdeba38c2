#include "client/core/backoff.hpp"

#include <gtest/gtest.h>

namespace edgehub::client {
namespace {

using std::chrono::milliseconds;

TEST(Backoff, DoublesFromHalfASecondUpToTenSeconds) {
  Backoff b;
  const double middle = 0.5;  // no jitter
  EXPECT_EQ(b.next(middle), milliseconds(500));
  EXPECT_EQ(b.next(middle), milliseconds(1000));
  EXPECT_EQ(b.next(middle), milliseconds(2000));
  EXPECT_EQ(b.next(middle), milliseconds(4000));
  EXPECT_EQ(b.next(middle), milliseconds(8000));
  EXPECT_EQ(b.next(middle), milliseconds(10000));
  EXPECT_EQ(b.next(middle), milliseconds(10000));
}

TEST(Backoff, JitterStaysWithinAQuarterEitherWay) {
  Backoff low;
  Backoff high;
  EXPECT_EQ(low.next(0.0), milliseconds(375));
  EXPECT_EQ(high.next(0.999999), milliseconds(624));
  for (int i = 0; i < 10; ++i) {
    EXPECT_GE(low.next(0.0), milliseconds(375));
    EXPECT_LE(high.next(1.0), milliseconds(12'500));
  }
}

}  // namespace
}  // namespace edgehub::client
