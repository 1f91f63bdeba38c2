#include <gtest/gtest.h>

#include <string>

#include "data/fast_line.hpp"
#include "data/line_check.hpp"
#include "data/random.hpp"
#include "data/simd_line.hpp"

namespace edgehub::data {
namespace {

LineCheck check_terminated_line_for_test(const std::string& content) {
  std::string_view c = content;
  if (!c.empty() && c.back() == '\r') c.remove_suffix(1);
  return check_line(c);
}

TEST(FastLine, LeadingDigits) {
  EXPECT_EQ(fast::leading_digits(fast::load8("12345678")), 8u);
  EXPECT_EQ(fast::leading_digits(fast::load8("1234567\n")), 7u);
  EXPECT_EQ(fast::leading_digits(fast::load8("\n2345678")), 0u);
  EXPECT_EQ(fast::leading_digits(fast::load8("9:/01234")), 1u);  // ':' and '/' border the digits
  EXPECT_EQ(fast::leading_digits(fast::load8("0\xb0"
                                             "000000")),
            1u);
  EXPECT_EQ(fast::leading_digits(fast::load8("0\x39\x3a"
                                             "00000")),
            2u);
}

TEST(FastLine, DigitsValue) {
  EXPECT_EQ(fast::digits_value(fast::load8("12345678"), 8), 12345678u);
  EXPECT_EQ(fast::digits_value(fast::load8("90000000"), 1), 9u);
  EXPECT_EQ(fast::digits_value(fast::load8("0012\n\0\0\0"), 4), 12u);
  EXPECT_EQ(fast::digits_value(fast::load8("99999999"), 8), 99999999u);
}

// Parses `text` (which must hold one '\n') through the fast path.
bool fast_parse(const std::string& text, std::int64_t& value) {
  const std::string padded = text + std::string(fast::window, 'z');
  return fast::parse_bounded(padded.data(), padded.data() + text.find('\n'), value);
}

// Whatever the fast path accepts, the careful path accepts with the same value.
TEST(FastLine, AgreesWithCarefulCheckOnRandomLines) {
  const std::string alphabet = "0123456789999-\r x/:";
  Xoshiro256 rng(2024);
  std::size_t accepted = 0;
  for (int round = 0; round < 300'000; ++round) {
    std::string line;
    const auto len = rng.uniform(0, 24);
    const auto letters = round % 2 ? 9 : static_cast<std::int64_t>(alphabet.size()) - 1;
    for (std::int64_t i = 0; i < len; ++i) line += alphabet[static_cast<std::size_t>(rng.uniform(0, letters))];
    if (round % 3 == 0) line = "-" + line;
    if (round % 5 == 0) line += "\r";
    std::int64_t value = 0;
    if (!fast_parse(line + "\n", value)) continue;
    ++accepted;
    const LineCheck check = check_terminated_line_for_test(line);
    ASSERT_EQ(check.problem, LineProblem::none) << line;
    ASSERT_EQ(check.value, value) << line;
  }
  EXPECT_GT(accepted, 50'000u);  // the fast path is really taken
}

// The SSE2 path, with and without room to look back before the line.
TEST(FastLine, SimdAgreesWithCarefulCheck) {
  const std::string alphabet = "0123456789999-\r x/:\x80\xff";
  Xoshiro256 rng(99);
  std::size_t accepted = 0;
  for (int round = 0; round < 300'000; ++round) {
    std::string line;
    const auto len = rng.uniform(0, 20);
    const auto letters = round % 2 ? 9 : static_cast<std::int64_t>(alphabet.size()) - 1;
    for (std::int64_t i = 0; i < len; ++i) line += alphabet[static_cast<std::size_t>(rng.uniform(0, letters))];
    if (round % 3 == 0) line = "-" + line;
    if (round % 5 == 0) line += "\r";
    const std::size_t lead = static_cast<std::size_t>(rng.uniform(0, 20));
    const std::string padded = std::string(lead, round % 4 ? '7' : '\n') + line + "\n" + std::string(fast::window, 'z');
    std::int64_t value = 0;
    const char* s = padded.data() + lead;
    if (!fast::parse_line_simd(padded.data(), s, s + line.size(), value)) continue;
    ++accepted;
    const LineCheck check = check_terminated_line_for_test(line);
    ASSERT_EQ(check.problem, LineProblem::none) << line;
    ASSERT_EQ(check.value, value) << line;
  }
  EXPECT_GT(accepted, 50'000u);
}

TEST(FastLine, Extremes) {
  std::int64_t v = 0;
  ASSERT_TRUE(fast_parse("-9223372036854775808\n", v));
  EXPECT_EQ(v, std::numeric_limits<std::int64_t>::min());
  ASSERT_TRUE(fast_parse("9223372036854775807\r\n", v));
  EXPECT_EQ(v, std::numeric_limits<std::int64_t>::max());
  ASSERT_TRUE(fast_parse("1234567812345678\n", v));
  EXPECT_EQ(v, 1234567812345678);
  ASSERT_TRUE(fast_parse("-12345678\n", v));
  EXPECT_EQ(v, -12345678);
  ASSERT_TRUE(fast_parse("0\n", v));
  EXPECT_EQ(v, 0);
  EXPECT_FALSE(fast_parse("9223372036854775808\n", v));
  EXPECT_FALSE(fast_parse("-9223372036854775809\n", v));
  EXPECT_FALSE(fast_parse("12345678901234567890\n", v));
  EXPECT_FALSE(fast_parse("-\n", v));
  EXPECT_FALSE(fast_parse("\n", v));
  EXPECT_FALSE(fast_parse("\r\n", v));
  EXPECT_FALSE(fast_parse("-\r\n", v));
  EXPECT_FALSE(fast_parse("12\r\r\n", v));
  EXPECT_FALSE(fast_parse("1234567x\n", v));
  EXPECT_FALSE(fast_parse("123456789x\n", v));
  EXPECT_FALSE(fast_parse("12345678901234567x\n", v));
}

}  // namespace
}  // namespace edgehub::data
