#include <gtest/gtest.h>

#include <string>

#include "data/fast_line.hpp"
#include "data/line_check.hpp"
#include "data/random.hpp"

namespace edgehub::data {
namespace {

TEST(FastLine, LeadingDigits) {
  EXPECT_EQ(fast::leading_digits(fast::load8("12345678")), 8u);
  EXPECT_EQ(fast::leading_digits(fast::load8("1234567\n")), 7u);
  EXPECT_EQ(fast::leading_digits(fast::load8("\n2345678")), 0u);
  EXPECT_EQ(fast::leading_digits(fast::load8("9:/01234")), 1u);  // ':' and '/' border the digits
  EXPECT_EQ(fast::leading_digits(fast::load8("0\xb0" "000000")), 1u);
  EXPECT_EQ(fast::leading_digits(fast::load8("0\x39\x3a" "00000")), 2u);
}

TEST(FastLine, DigitsValue) {
  EXPECT_EQ(fast::digits_value(fast::load8("12345678"), 8), 12345678u);
  EXPECT_EQ(fast::digits_value(fast::load8("90000000"), 1), 9u);
  EXPECT_EQ(fast::digits_value(fast::load8("0012\n\0\0\0"), 4), 12u);
  EXPECT_EQ(fast::digits_value(fast::load8("99999999"), 8), 99999999u);
}

// Whatever the fast path accepts, the careful path accepts with the same value.
TEST(FastLine, AgreesWithCarefulCheckOnRandomLines) {
  const std::string alphabet = "0123456789999-\r\n x/:";
  Xoshiro256 rng(2024);
  std::size_t accepted = 0;
  for (int round = 0; round < 200'000; ++round) {
    std::string line;
    const auto len = rng.uniform(0, 24);
    for (std::int64_t i = 0; i < len; ++i) {
      line += round % 2 ? alphabet[static_cast<std::size_t>(rng.uniform(0, 9))]
                        : alphabet[static_cast<std::size_t>(rng.uniform(0, static_cast<std::int64_t>(alphabet.size()) - 1))];
    }
    if (round % 2) line += rng.uniform(0, 1) ? "\n" : "\r\n";
    std::string padded = line + std::string(fast::window, 'z');
    std::int64_t value = 0;
    const char* end = fast::parse_line(padded.data(), value);
    if (end == nullptr) continue;
    ++accepted;
    const std::size_t consumed = static_cast<std::size_t>(end - padded.data());
    ASSERT_LE(consumed, line.size()) << line;
    ASSERT_EQ(padded[consumed - 1], '\n') << line;
    const std::size_t content = consumed - 1 - (consumed >= 2 && padded[consumed - 2] == '\r' ? 1 : 0);
    const LineCheck check = check_line(std::string_view(padded.data(), content));
    ASSERT_EQ(check.problem, LineProblem::none) << line;
    ASSERT_EQ(check.value, value) << line;
  }
  EXPECT_GT(accepted, 50'000u);  // the fast path is really taken
}

TEST(FastLine, Extremes) {
  std::int64_t v = 0;
  std::string s = "-9223372036854775808\n" + std::string(fast::window, 'z');
  ASSERT_NE(fast::parse_line(s.data(), v), nullptr);
  EXPECT_EQ(v, std::numeric_limits<std::int64_t>::min());
  s = "9223372036854775807\r\n" + std::string(fast::window, 'z');
  ASSERT_NE(fast::parse_line(s.data(), v), nullptr);
  EXPECT_EQ(v, std::numeric_limits<std::int64_t>::max());
  s = "9223372036854775808\n" + std::string(fast::window, 'z');
  EXPECT_EQ(fast::parse_line(s.data(), v), nullptr);
  s = "12345678901234567890\n" + std::string(fast::window, 'z');
  EXPECT_EQ(fast::parse_line(s.data(), v), nullptr);
  s = "-\n" + std::string(fast::window, 'z');
  EXPECT_EQ(fast::parse_line(s.data(), v), nullptr);
  s = "1234567812345678\n" + std::string(fast::window, 'z');
  ASSERT_NE(fast::parse_line(s.data(), v), nullptr);
  EXPECT_EQ(v, 1234567812345678);
}

}  // namespace
}  // namespace edgehub::data
