#include <gtest/gtest.h>

#include <cstdint>
#include <limits>

#include "data/int128.hpp"
#include "data/uint256.hpp"

namespace edgehub::data {
namespace {

constexpr std::int64_t i64_min = std::numeric_limits<std::int64_t>::min();
constexpr std::int64_t i64_max = std::numeric_limits<std::int64_t>::max();

TEST(Int128, DecimalRoundTripAtTheExtremes) {
  const Int128 max = static_cast<Int128>((~UInt128{0}) >> 1);
  const Int128 min = -max - 1;
  EXPECT_EQ(to_decimal(max), "170141183460469231731687303715884105727");
  EXPECT_EQ(to_decimal(min), "-170141183460469231731687303715884105728");
  EXPECT_EQ(parse_int128(to_decimal(max)), max);
  EXPECT_EQ(parse_int128(to_decimal(min)), min);
  EXPECT_EQ(to_decimal(Int128{0}), "0");
  EXPECT_EQ(to_decimal(Int128{-1}), "-1");
}

TEST(Int128, ParseRefusesJunkAndOverflow) {
  EXPECT_FALSE(parse_int128(""));
  EXPECT_FALSE(parse_int128("-"));
  EXPECT_FALSE(parse_int128("+5"));
  EXPECT_FALSE(parse_int128("1 "));
  EXPECT_FALSE(parse_int128("170141183460469231731687303715884105728"));
  EXPECT_FALSE(parse_int128("-170141183460469231731687303715884105729"));
  EXPECT_FALSE(parse_uint128("340282366920938463463374607431768211456"));
  EXPECT_EQ(parse_uint128("340282366920938463463374607431768211455"), ~UInt128{0});
}

TEST(UInt256, MultiplyAndSubtractCarryAcrossLimbs) {
  const UInt128 big = ~UInt128{0};                 // 2^128 - 1
  const UInt256 square = UInt256(big).times(big);  // 2^256 - 2^129 + 1
  EXPECT_EQ(square.limbs()[0], 1u);
  EXPECT_EQ(square.limbs()[1], 0u);
  EXPECT_EQ(square.limbs()[2], ~std::uint64_t{0} - 1);
  EXPECT_EQ(square.limbs()[3], ~std::uint64_t{0});
  EXPECT_EQ(square - square, UInt256{});
  EXPECT_EQ(UInt256(UInt128{5}) - UInt256(UInt128{3}), UInt256(UInt128{2}));
  const UInt256 borrowed = UInt256::from_limbs({0, 0, 1, 0}) - UInt256(UInt128{1});
  EXPECT_EQ(borrowed, UInt256(~UInt128{0}));
}

TEST(UInt256, DecimalRoundTrip) {
  const UInt256 v = UInt256(~UInt128{0}).times(std::uint64_t{1'000'000'007});
  EXPECT_EQ(v.to_decimal(), "340282369302915031909943851675390463477377480185");
  EXPECT_EQ(UInt256::parse_decimal(v.to_decimal()), v);
  const UInt256 square = UInt256(~UInt128{0}).times(~UInt128{0});
  EXPECT_EQ(square.to_decimal(), "115792089237316195423570985008687907852589419931798687112530834793049593217025");
  EXPECT_EQ(UInt256::parse_decimal(square.to_decimal()), square);
  EXPECT_EQ(UInt256{}.to_decimal(), "0");
  EXPECT_EQ(UInt256(UInt128{10'000'000'000'000'000'000ULL}).to_decimal(), "10000000000000000000");
}

TEST(UInt256, ParseRefusesOverflowAndJunk) {
  // 2^256 = 115792089237316195423570985008687907853269984665640564039457584007913129639936
  EXPECT_FALSE(
      UInt256::parse_decimal("115792089237316195423570985008687907853269984665640564039457584007913129639936"));
  EXPECT_TRUE(UInt256::parse_decimal("115792089237316195423570985008687907853269984665640564039457584007913129639935"));
  EXPECT_FALSE(UInt256::parse_decimal(""));
  EXPECT_FALSE(UInt256::parse_decimal("12a"));
  EXPECT_FALSE(UInt256::parse_decimal("-1"));
}

TEST(UInt256, ToLongDoubleKeepsMagnitude) {
  const UInt256 two_189 = UInt256::from_limbs({0, 0, std::uint64_t{1} << 61, 0});
  EXPECT_EQ(two_189.to_long_double(), 784637716923335095479473677900958302012794430558004314112.0L);
  EXPECT_EQ(UInt256(UInt128{i64_max}).to_long_double(), static_cast<long double>(i64_max));
  EXPECT_NE(i64_min, 0);
}

}  // namespace
}  // namespace edgehub::data
