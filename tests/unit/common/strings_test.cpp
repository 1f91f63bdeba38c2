#include "common/strings.hpp"

#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

namespace edgehub {
namespace {

using Words = std::vector<std::string_view>;

TEST(Strings, Trim) {
  EXPECT_EQ(trim("  a b \t"), "a b");
  EXPECT_EQ(trim("\t\t"), "");
  EXPECT_EQ(trim(""), "");
  EXPECT_EQ(trim("x"), "x");
  // Only spaces and tabs: other bytes are the caller's business.
  EXPECT_EQ(trim("\nx\n"), "\nx\n");
}

TEST(Strings, IsDecimalIntegerTellsTooLargeFromNotANumber) {
  for (const char* yes : {"0", "7", "-1", "99999999999999999999", "-99999999999999999999"})
    EXPECT_TRUE(is_decimal_integer(yes)) << yes;
  for (const char* no : {"", "-", "abc", "1.5", "+1", " 1", "1 ", "1e5", "0x10", "--1"})
    EXPECT_FALSE(is_decimal_integer(no)) << no;
  EXPECT_FALSE(parse_uint64("99999999999999999999").has_value()) << "overflow: the case is_decimal_integer tells apart";
}

TEST(Strings, SplitFirstWord) {
  auto [verb, rest] = split_first_word("  message  bob hi  there ");
  EXPECT_EQ(verb, "message");
  EXPECT_EQ(rest, "bob hi  there");
  auto [only, nothing] = split_first_word("AED");
  EXPECT_EQ(only, "AED");
  EXPECT_EQ(nothing, "");
  auto [empty, none] = split_first_word("   ");
  EXPECT_EQ(empty, "");
  EXPECT_EQ(none, "");
  auto [tabbed, after] = split_first_word("echo\thello");
  EXPECT_EQ(tabbed, "echo");
  EXPECT_EQ(after, "hello");
}

TEST(Strings, SplitWordsLastPartKeepsTheRest) {
  EXPECT_EQ(split_words("bob hi  there", 2), (Words{"bob", "hi  there"}));
  EXPECT_EQ(split_words("  a b c  ", 5), (Words{"a", "b", "c"}));
  EXPECT_EQ(split_words("a b c", 1), (Words{"a b c"}));
  EXPECT_EQ(split_words("a\t\tb", 3), (Words{"a", "b"}));
  EXPECT_TRUE(split_words("", 3).empty());
  EXPECT_TRUE(split_words("   ", 3).empty());
  EXPECT_TRUE(split_words("a b", 0).empty());
}

TEST(Strings, ParseInt64IsStrict) {
  EXPECT_EQ(parse_int64("0"), 0);
  EXPECT_EQ(parse_int64("-42"), -42);
  EXPECT_EQ(parse_int64("9223372036854775807"), INT64_MAX);
  EXPECT_EQ(parse_int64("-9223372036854775808"), INT64_MIN);
  for (const char* bad : {"", "+1", " 1", "1 ", "1x", "0x10", "9223372036854775808", "-", "1.0", "abc"})
    EXPECT_FALSE(parse_int64(bad).has_value()) << bad;
}

TEST(Strings, ParseUint64IsStrict) {
  EXPECT_EQ(parse_uint64("18446744073709551615"), UINT64_MAX);
  EXPECT_EQ(parse_uint64("007"), 7u);
  for (const char* bad : {"", "-1", "-0", "+1", "18446744073709551616", "1e3", " 5"})
    EXPECT_FALSE(parse_uint64(bad).has_value()) << bad;
}

TEST(Strings, Iequals) {
  EXPECT_TRUE(iequals("WhoElse", "whoelse"));
  EXPECT_TRUE(iequals("", ""));
  EXPECT_FALSE(iequals("who", "whoelse"));
  EXPECT_FALSE(iequals("out", "oux"));
}

TEST(Strings, ToLowerAndHex) {
  EXPECT_EQ(to_lower("AeD-42"), "aed-42");
  const unsigned char bytes[] = {0x00, 0x0f, 0xa5, 0xff};
  EXPECT_EQ(to_hex(bytes, sizeof bytes), "000fa5ff");
  EXPECT_EQ(to_hex(bytes, 0), "");
}

// Digests travel and are stored in lower case only: an upper-case digit is
// refused, never folded, so one digest has exactly one spelling.
TEST(Strings, LowerHexOnly) {
  EXPECT_TRUE(is_lower_hex("0123456789abcdef"));
  EXPECT_TRUE(is_lower_hex(""));
  for (const std::string_view bad : {"A", "0F", "g", " 0", "0x1", "\xc3\xa9"}) EXPECT_FALSE(is_lower_hex(bad)) << bad;
}

TEST(Strings, Sha256HexIsSixtyFourLowerCaseDigits) {
  const std::string digest(64, 'e');
  EXPECT_TRUE(is_sha256_hex(digest));
  EXPECT_TRUE(is_sha256_hex(std::string(32, '0') + std::string(32, 'f')));
  EXPECT_FALSE(is_sha256_hex(digest.substr(1)));
  EXPECT_FALSE(is_sha256_hex(digest + "e"));
  EXPECT_FALSE(is_sha256_hex(std::string(64, 'E')));
  EXPECT_FALSE(is_sha256_hex(std::string(63, 'e') + "g"));
  EXPECT_FALSE(is_sha256_hex(""));
}

TEST(Strings, FromHexIsTheInverseOfToHex) {
  const unsigned char bytes[] = {0x00, 0x0f, 0xa5, 0xff};
  unsigned char back[4] = {};
  ASSERT_TRUE(from_hex(to_hex(bytes, sizeof bytes), back, sizeof back));
  EXPECT_EQ(std::memcmp(bytes, back, sizeof bytes), 0);
  EXPECT_FALSE(from_hex("000fa5f", back, sizeof back));     // odd length
  EXPECT_FALSE(from_hex("000fa5ff00", back, sizeof back));  // too long for out
  EXPECT_FALSE(from_hex("000FA5FF", back, sizeof back));    // upper case
  EXPECT_FALSE(from_hex("000fa5fg", back, sizeof back));
}

}  // namespace
}  // namespace edgehub
