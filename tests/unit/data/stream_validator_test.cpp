#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "data/reference_scan.hpp"
#include "data/stream_validator.hpp"

namespace edgehub::data {
namespace {

struct Verdict {
  bool ok;
  std::uint64_t line;
  std::string reason;
  Stats stats;
};

Verdict run(const std::vector<std::string_view>& chunks) {
  StreamValidator v;
  for (const auto c : chunks) {
    if (!v.feed(c)) break;
  }
  const bool ok = v.finish();
  return Verdict{ok, ok ? 0 : v.error()->line, ok ? "" : v.error()->reason, v.stats()};
}

Verdict whole(std::string_view s) { return run({s}); }

// Every split of s into two and into three pieces gives the same verdict as
// feeding it whole (and bytes one at a time too).
void expect_split_invariant(std::string_view s) {
  const Verdict expected = whole(s);
  for (std::size_t i = 0; i <= s.size(); ++i) {
    for (std::size_t j = i; j <= s.size(); ++j) {
      const Verdict got = run({s.substr(0, i), s.substr(i, j - i), s.substr(j)});
      ASSERT_EQ(got.ok, expected.ok) << "split " << i << "," << j << " of '" << s << "'";
      ASSERT_EQ(got.line, expected.line) << "split " << i << "," << j;
      ASSERT_EQ(got.reason, expected.reason) << "split " << i << "," << j;
      if (expected.ok) {
        ASSERT_TRUE(got.stats == expected.stats) << "split " << i << "," << j;
      }
    }
  }
  std::vector<std::string_view> bytes;
  for (std::size_t i = 0; i < s.size(); ++i) bytes.push_back(s.substr(i, 1));
  const Verdict one_by_one = run(bytes);
  EXPECT_EQ(one_by_one.ok, expected.ok);
  EXPECT_EQ(one_by_one.line, expected.line);
  EXPECT_EQ(one_by_one.reason, expected.reason);
}

// And the fast scanner agrees with the plain reference implementation.
void expect_matches_reference(std::string_view s) {
  const Verdict got = whole(s);
  const ReferenceResult ref = reference_scan(s);
  ASSERT_EQ(got.ok, ref.ok) << s;
  if (!ref.ok) {
    EXPECT_EQ(got.line, ref.bad_line) << s;
    EXPECT_EQ(got.reason, describe(LineCheck{ref.problem, 0, ref.offending})) << s;
    return;
  }
  EXPECT_EQ(got.stats.count, ref.count);
  EXPECT_TRUE(got.stats.sum == ref.sum);
  EXPECT_TRUE(got.stats.sum_of_squares() == ref.sumsq);
  if (ref.count > 0) {
    EXPECT_EQ(got.stats.min, ref.min);
    EXPECT_EQ(got.stats.max, ref.max);
  }
}

TEST(StreamValidator, EmptyInputIsValidWithNoValues) {
  const Verdict v = whole("");
  EXPECT_TRUE(v.ok);
  EXPECT_EQ(v.stats.count, 0u);
}

TEST(StreamValidator, EmptyChunksAreHarmless) {
  StreamValidator v;
  EXPECT_TRUE(v.feed(std::string_view{}));  // null data pointer
  EXPECT_TRUE(v.feed("1\n2"));
  EXPECT_TRUE(v.feed(""));
  EXPECT_TRUE(v.feed("3\n"));
  EXPECT_TRUE(v.finish());
  EXPECT_EQ(v.stats().count, 2u);  // "2" and "3" joined: 23
  EXPECT_TRUE(v.stats().sum == 24);
}

TEST(StreamValidator, SimpleStats) {
  const Verdict v = whole("3\n-1\n10\n");
  ASSERT_TRUE(v.ok);
  EXPECT_EQ(v.stats.count, 3u);
  EXPECT_TRUE(v.stats.sum == 12);
  EXPECT_EQ(v.stats.min, -1);
  EXPECT_EQ(v.stats.max, 10);
  EXPECT_TRUE(v.stats.sum_of_squares() == UInt256(UInt128{110}));
}

TEST(StreamValidator, FinalNewlineOptionalAndCrlfAccepted) {
  EXPECT_EQ(whole("1\n2").stats.count, 2u);
  EXPECT_EQ(whole("1\r\n2\r\n").stats.count, 2u);
  EXPECT_EQ(whole("1\r\n2\n3").stats.count, 3u);
  EXPECT_TRUE(whole("-0\n007\n").ok);
}

TEST(StreamValidator, BadLinesReportNumberAndReason) {
  struct Case {
    std::string_view input;
    std::uint64_t line;
    std::string_view reason;
  };
  const Case cases[] = {
      {"\n", 1, "empty line"},
      {"1\n\n2\n", 2, "empty line"},
      {"1\r\n\r\n", 2, "empty line"},
      {"1\n2\nx\n", 3, "not an integer (unexpected character 'x')"},
      {"1\n2\n3 \n", 3, "not an integer (unexpected byte 0x20)"},
      {" 3\n", 1, "not an integer (unexpected byte 0x20)"},
      {"+3\n", 1, "not an integer (unexpected character '+')"},
      {"1.5\n", 1, "not an integer (unexpected character '.')"},
      {"--1\n", 1, "not an integer (unexpected character '-')"},
      {"1-\n", 1, "not an integer (unexpected character '-')"},
      {"-\n", 1, "'-' without digits"},
      {"5\n-", 2, "'-' without digits"},
      {"5\r", 1, "not an integer (unexpected byte 0x0d)"},
      {"5\r\r\n", 1, "not an integer (unexpected byte 0x0d)"},
      {"5\r6\n", 1, "not an integer (unexpected byte 0x0d)"},
      {std::string_view("4\n\0\n", 4), 2, "not an integer (unexpected byte 0x00)"},
      {"9223372036854775808\n", 1, "value outside the 64-bit integer range"},
      {"1\n-9223372036854775809\n", 2, "value outside the 64-bit integer range"},
      {"99999999999999999999\n", 1, "more than 19 digits"},
      {"00000000000000000001\n", 1, "more than 19 digits"},
      {"1\n2\n3\n12345678901234567890123456789x\n", 4, "more than 19 digits"},
  };
  for (const Case& c : cases) {
    const Verdict v = whole(c.input);
    EXPECT_FALSE(v.ok) << c.input;
    EXPECT_EQ(v.line, c.line) << c.input;
    EXPECT_EQ(v.reason, c.reason) << c.input;
  }
}

TEST(StreamValidator, Int64Extremes) {
  const Verdict v = whole("-9223372036854775808\n9223372036854775807\n");
  ASSERT_TRUE(v.ok);
  EXPECT_EQ(v.stats.min, std::numeric_limits<std::int64_t>::min());
  EXPECT_EQ(v.stats.max, std::numeric_limits<std::int64_t>::max());
  EXPECT_TRUE(v.stats.sum == -1);
  EXPECT_TRUE(whole("-0000000000000000001\n").ok);  // 19 digits, leading zeros
}

TEST(StreamValidator, SumBeyondSixtyFourBits) {
  std::string text;
  for (int i = 0; i < 1000; ++i) text += "9223372036854775807\n";
  const Verdict v = whole(text);
  ASSERT_TRUE(v.ok);
  EXPECT_EQ(to_decimal(v.stats.sum), "9223372036854775807000");
  // 1000 * (2^63-1)^2 wraps a 128-bit accumulator several times.
  EXPECT_EQ(v.stats.sum_of_squares().to_decimal(), "85070591730234615847396907784232501249000");
  std::string negative;
  for (int i = 0; i < 300; ++i) negative += "-9223372036854775808\n";
  EXPECT_EQ(to_decimal(whole(negative).stats.sum), "-2767011611056432742400");
}

TEST(StreamValidator, SplitAnywhereGivesTheSameVerdict) {
  const std::string_view inputs[] = {
      "1\n22\n-333\n",
      "12\r\n-7\r\n8",
      "9223372036854775807\n-9223372036854775808\n",
      "1\n\n2\n",
      "5\r",
      "1\n123456789012345678901234\n",
      "1\n-12345678901234567890x\n",
      "1\n9223372036854775808",
      "-\n",
      "4\n5\r\r\n",
      "00000000000000000000000000\n",
      "1234567890123456789\r\n",
  };
  for (const auto s : inputs) {
    expect_split_invariant(s);
    expect_matches_reference(s);
  }
}

TEST(StreamValidator, LongInputsTakeTheFastPathAndAgreeWithReference) {
  std::string text;
  for (int i = 0; i < 2000; ++i) {
    const long long v = (i % 2 ? -1LL : 1LL) * (static_cast<long long>(i) * 2654435761LL % 100000000000LL);
    text += std::to_string(v) + (i % 7 == 0 ? "\r\n" : "\n");
  }
  expect_matches_reference(text);
  // A bad line deep inside, found by the fast loop's fallback.
  std::string bad = text;
  bad.insert(bad.size() / 2, "\n\n");  // an empty line wherever it lands
  expect_matches_reference(bad);
  EXPECT_FALSE(whole(bad).ok);
  // Chunked in odd sizes.
  for (std::size_t size : {1u, 3u, 7u, 31u, 32u, 33u, 4096u}) {
    std::vector<std::string_view> chunks;
    for (std::size_t i = 0; i < text.size(); i += size) chunks.push_back(std::string_view(text).substr(i, size));
    EXPECT_TRUE(run(chunks).stats == whole(text).stats) << size;
  }
}

TEST(StreamValidator, StopsAfterFirstError) {
  StreamValidator v;
  EXPECT_TRUE(v.feed("1\n2\n"));
  EXPECT_FALSE(v.feed("x\n3\n"));
  EXPECT_FALSE(v.feed("4\n"));
  EXPECT_FALSE(v.finish());
  EXPECT_EQ(v.error()->message(), "line 3: not an integer (unexpected character 'x')");
  EXPECT_EQ(v.stats().count, 2u);
}

TEST(StreamValidator, GarbageWithoutNewlineFailsEarlyWithBoundedMemory) {
  StreamValidator v;
  const std::string digits(10, '7');
  EXPECT_TRUE(v.feed(digits));
  EXPECT_TRUE(v.feed(digits));
  EXPECT_FALSE(v.feed(digits));  // the 20th digit is known by now
  EXPECT_EQ(v.error()->message(), "line 1: more than 19 digits");
}

}  // namespace
}  // namespace edgehub::data
