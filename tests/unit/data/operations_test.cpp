#include <gtest/gtest.h>

#include <limits>

#include "data/answer.hpp"
#include "data/operation.hpp"
#include "data/stats_format.hpp"
#include "unit/data/stats_of.hpp"

namespace edgehub::data {
namespace {

using test::stats_of;

TEST(Operation, ParsesCaseInsensitively) {
  EXPECT_EQ(parse_operation("sum"), Operation::sum);
  EXPECT_EQ(parse_operation("Average"), Operation::average);
  EXPECT_EQ(parse_operation("MAX"), Operation::max);
  EXPECT_EQ(parse_operation("min"), Operation::min);
  EXPECT_EQ(parse_operation("count"), Operation::count);
  EXPECT_EQ(parse_operation("MeDiAn"), Operation::median);
  EXPECT_EQ(parse_operation("stddev"), Operation::stddev);
  EXPECT_FALSE(parse_operation("avg"));
  EXPECT_FALSE(parse_operation("SUMS"));
  EXPECT_FALSE(parse_operation(""));
  EXPECT_EQ(operation_name(Operation::average), "AVERAGE");
  EXPECT_TRUE(needs_values(Operation::median));
  EXPECT_FALSE(needs_values(Operation::sum));
}

TEST(Operation, ArgErrors) {
  EXPECT_EQ(parse_operation_arg("").error(), "missing OP (expected SUM, AVERAGE, MAX, MIN, COUNT, MEDIAN or STDDEV)");
  EXPECT_EQ(parse_operation_arg("mean").error(),
            "unknown OP 'mean' (expected SUM, AVERAGE, MAX, MIN, COUNT, MEDIAN or STDDEV)");
}

TEST(Average, RoundsExactlyToSixDecimals) {
  EXPECT_EQ(format_average(5, 2), "2.500000");
  EXPECT_EQ(format_average(1, 3), "0.333333");
  EXPECT_EQ(format_average(2, 3), "0.666667");
  EXPECT_EQ(format_average(-2, 3), "-0.666667");
  EXPECT_EQ(format_average(-1, 3), "-0.333333");
  EXPECT_EQ(format_average(0, 3), "0.000000");
  EXPECT_EQ(format_average(-1, 4'000'000), "0.000000");  // -2.5e-7 rounds to zero: no "-0"
  EXPECT_EQ(format_average(1, 2'000'000), "0.000001");   // 5e-7: half away from zero
  EXPECT_EQ(format_average(-1, 2'000'000), "-0.000001");
  EXPECT_EQ(format_average(1'999'999, 2'000'000), "1.000000");  // 0.9999995 carries into the integer part
  EXPECT_EQ(format_average(-7, 1), "-7.000000");
}

TEST(Average, HugeSumsStayExact) {
  // (2^63-1) * 3 / 2 = 13835058055282163710.5 : a double would print ...3712.
  const Int128 sum = Int128{std::numeric_limits<std::int64_t>::max()} * 3;
  EXPECT_EQ(format_average(sum, 2), "13835058055282163710.500000");
  EXPECT_EQ(format_average(-sum, 2), "-13835058055282163710.500000");
}

TEST(Stddev, PopulationStandardDeviation) {
  EXPECT_EQ(format_stddev(stats_of({2, 4, 4, 4, 5, 5, 7, 9})), "2.000000");
  EXPECT_EQ(format_stddev(stats_of({5})), "0.000000");
  EXPECT_EQ(format_stddev(stats_of({1, 2})), "0.500000");
  EXPECT_EQ(format_stddev(stats_of({1, 2, 3, 4})), "1.118034");
  const auto lo = std::numeric_limits<std::int64_t>::min();
  const auto hi = std::numeric_limits<std::int64_t>::max();
  // Values ±2^63: the stddev is 2^63 - 0.5 exactly; long double shows it to
  // well within a unit.
  const std::string big = format_stddev(stats_of({lo, hi}));
  EXPECT_EQ(big.substr(0, 17), "92233720368547758") << big;
  // Catastrophic cancellation would hit a naive double formula here.
  EXPECT_EQ(format_stddev(stats_of({1'000'000'000'000'000'001, 1'000'000'000'000'000'003})), "1.000000");
}

TEST(Median, FormatHalf) {
  EXPECT_EQ(format_half(8), "4");
  EXPECT_EQ(format_half(7), "3.5");
  EXPECT_EQ(format_half(-7), "-3.5");
  EXPECT_EQ(format_half(-1), "-0.5");
  EXPECT_EQ(format_half(0), "0");
}

TEST(Answer, FromStats) {
  const FileId id(7);
  const Stats s = stats_of({1, 2, 4});
  EXPECT_EQ(answer_from_stats(id, Operation::sum, s), "file 7: SUM = 7");
  EXPECT_EQ(answer_from_stats(id, Operation::average, s), "file 7: AVERAGE = 2.333333");
  EXPECT_EQ(answer_from_stats(id, Operation::min, s), "file 7: MIN = 1");
  EXPECT_EQ(answer_from_stats(id, Operation::max, s), "file 7: MAX = 4");
  EXPECT_EQ(answer_from_stats(id, Operation::count, s), "file 7: COUNT = 3");
  EXPECT_EQ(answer_from_stats(id, Operation::stddev, s), "file 7: STDDEV = 1.247219");
}

TEST(Answer, EmptyFile) {
  const FileId id(7);
  const Stats empty;
  EXPECT_EQ(answer_from_stats(id, Operation::average, empty), "file 7 holds no values: AVERAGE is undefined");
  EXPECT_EQ(answer_from_stats(id, Operation::min, empty), "file 7 holds no values: MIN is undefined");
  EXPECT_EQ(answer_from_stats(id, Operation::max, empty), "file 7 holds no values: MAX is undefined");
  EXPECT_EQ(answer_from_stats(id, Operation::stddev, empty), "file 7 holds no values: STDDEV is undefined");
  EXPECT_EQ(answer_from_stats(id, Operation::sum, empty), "file 7: SUM = 0");
  EXPECT_EQ(answer_from_stats(id, Operation::count, empty), "file 7: COUNT = 0");
}

}  // namespace
}  // namespace edgehub::data
