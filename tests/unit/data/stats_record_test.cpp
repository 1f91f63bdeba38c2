#include <gtest/gtest.h>

#include "data/stats_record.hpp"
#include "unit/data/stats_of.hpp"

namespace edgehub::data {
namespace {

using test::stats_of;

TEST(StatsRecord, SerialisesToOneLine) {
  EXPECT_EQ(serialize_stats(stats_of({-3, -1, -2})), "edgehub-stats 1 count=3 sum=-6 min=-3 max=-1 sumsq=14\n");
  EXPECT_EQ(serialize_stats(Stats{}), "edgehub-stats 1 count=0 sum=0 min=- max=- sumsq=0\n");
}

TEST(StatsRecord, RoundTripsHugeValues) {
  Stats s;
  for (int i = 0; i < 50; ++i) {
    s.add(std::numeric_limits<std::int64_t>::min());
    s.add(std::numeric_limits<std::int64_t>::max());
    s.add(std::numeric_limits<std::int64_t>::min());
  }
  EXPECT_GT(s.sum_of_squares().limbs()[2], 0u);  // beyond 128 bits
  const auto back = parse_stats(serialize_stats(s));
  ASSERT_TRUE(back);
  EXPECT_TRUE(*back == s);
  EXPECT_EQ(back->sum_of_squares(), s.sum_of_squares());
  const auto empty = parse_stats(serialize_stats(Stats{}));
  ASSERT_TRUE(empty);
  EXPECT_EQ(empty->count, 0u);
}

TEST(StatsRecord, RefusesMalformedLines) {
  EXPECT_FALSE(parse_stats(""));
  EXPECT_FALSE(parse_stats("edgehub-stats 2 count=1 sum=1 min=1 max=1 sumsq=1"));
  EXPECT_FALSE(parse_stats("edgehub-stats 1 count=1 sum=1 min=1 max=1"));
  EXPECT_FALSE(parse_stats("edgehub-stats 1 count=1 sum=1 min=1 max=1 sumsq=1 extra=2"));
  EXPECT_FALSE(parse_stats("edgehub-stats 1 count=1 sum=1 max=1 min=1 sumsq=1"));
  EXPECT_FALSE(parse_stats("edgehub-stats 1 count=x sum=1 min=1 max=1 sumsq=1"));
  EXPECT_FALSE(parse_stats("edgehub-stats 1 count=1 sum=1 min=2 max=1 sumsq=1"));
  EXPECT_FALSE(parse_stats("edgehub-stats 1 count=1 sum=1 min=- max=- sumsq=1"));
  EXPECT_FALSE(parse_stats("edgehub-stats 1 count=0 sum=0 min=1 max=1 sumsq=0"));
  // sumsq beyond 192 bits cannot come from a real file.
  EXPECT_FALSE(
      parse_stats("edgehub-stats 1 count=1 sum=1 min=1 max=1 sumsq="
                  "6277101735386680763835789423207666416102355444464034512896"));
  EXPECT_TRUE(parse_stats("edgehub-stats 1 count=1 sum=1 min=1 max=1 sumsq=1"));
}

TEST(Stats, MergeEqualsSequentialAdd) {
  Stats a = stats_of({5, -7, 9});
  const Stats b = stats_of({100, -200});
  a.merge(b);
  EXPECT_TRUE(a == stats_of({5, -7, 9, 100, -200}));
  Stats e;
  e.merge(stats_of({3}));
  EXPECT_TRUE(e == stats_of({3}));
}

}  // namespace
}  // namespace edgehub::data
