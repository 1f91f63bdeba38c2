// Server-side histogram binning (docs/HTTP_API.md#edge-data).
#include "data/histogram.hpp"

#include <gtest/gtest.h>

#include <limits>
#include <numeric>
#include <string>

namespace edgehub::data {
namespace {

std::uint64_t total(const Histogram& h) {
  return std::accumulate(h.bins.begin(), h.bins.end(), std::uint64_t{0},
                         [](std::uint64_t sum, const HistogramBin& b) { return sum + b.count; });
}

TEST(Histogram, EqualWidthBinsFromMinToMax) {
  std::string text;
  for (int v = 0; v < 100; ++v) text += std::to_string(v) + "\n";
  const auto h = histogram_of_lines(text, 10);
  EXPECT_EQ(h.values, 100u);
  EXPECT_EQ(h.min, 0);
  EXPECT_EQ(h.max, 99);
  ASSERT_EQ(h.bins.size(), 10u);
  for (const auto& b : h.bins) EXPECT_EQ(b.count, 10u);
  EXPECT_DOUBLE_EQ(h.bins[0].lo, 0);
  EXPECT_DOUBLE_EQ(h.bins[9].hi, 100);
}

TEST(Histogram, TheMaximumFallsInTheLastBinAndNegativesCount) {
  const auto h = histogram_of_lines("-5\n5\n-5\n0\n", 2);
  ASSERT_EQ(h.bins.size(), 2u);
  // 11 integers (-5..5) in bins of 5.5: [-5, 0.5) and [0.5, 6)
  EXPECT_EQ(h.bins[0].count, 3u);  // -5 -5 0
  EXPECT_EQ(h.bins[1].count, 1u);  // 5
}

TEST(Histogram, NoMoreBinsThanDistinctIntegers) {
  const auto h = histogram_of_lines("7\n7\n7\n", 20);
  ASSERT_EQ(h.bins.size(), 1u);
  EXPECT_EQ(h.bins[0].count, 3u);
}

TEST(Histogram, EmptyFileHasNoBins) {
  EXPECT_TRUE(histogram_of_lines("", 20).bins.empty());
  EXPECT_EQ(histogram_of_lines("\n", 20).values, 0u);
}

TEST(Histogram, ExtremeValuesDoNotOverflow) {
  const std::string text = std::to_string(std::numeric_limits<std::int64_t>::min()) + "\n" +
                           std::to_string(std::numeric_limits<std::int64_t>::max()) + "\r\n0\n";
  const auto h = histogram_of_lines(text, 200);
  EXPECT_EQ(h.bins.size(), 200u);
  EXPECT_EQ(total(h), 3u);
  EXPECT_EQ(h.bins.front().count, 1u);
  EXPECT_EQ(h.bins.back().count, 1u);
}

}  // namespace
}  // namespace edgehub::data
