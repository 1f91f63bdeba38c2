#include "hub/auth/credentials.hpp"

#include <gtest/gtest.h>

namespace edgehub::hub {
namespace {

TEST(Credentials, ParsesNamePasswordLines) {
  const auto p = parse_credentials("alice wonder1and\nbob bu1lder\r\ncarol c4rol#pw");
  EXPECT_TRUE(p.warnings.empty());
  ASSERT_EQ(p.entries.size(), 3u);
  EXPECT_EQ(p.entries[0].name, "alice");
  EXPECT_EQ(p.entries[0].password, "wonder1and");
  EXPECT_EQ(p.entries[1].password, "bu1lder") << "CRLF files work";
  EXPECT_EQ(p.entries[2].password, "c4rol#pw") << "no final newline, '#' inside a password";
}

TEST(Credentials, SkipsBlankAndCommentLines) {
  const auto p = parse_credentials("# devices\n\nalice pw\n#bob x\n");
  EXPECT_TRUE(p.warnings.empty());
  ASSERT_EQ(p.entries.size(), 1u);
}

TEST(Credentials, BadLinesAreReportedWithLineNumbers) {
  const auto p = parse_credentials(
      "alice ok1\n"     // 1 good
      "nopassword\n"    // 2 no space
      "two  spaces\n"   // 3 password starts with a space
      "tab\tsep\n"      // 4 tab, no space
      "-dash pw\n"      // 5 invalid device name
      "alice again\n"   // 6 duplicate
      "bob pw extra\n"  // 7 whitespace in the password
      "bob fine\n");    // 8 good
  ASSERT_EQ(p.entries.size(), 2u);
  EXPECT_EQ(p.entries[1].name, "bob");
  EXPECT_EQ(p.entries[1].password, "fine");
  ASSERT_EQ(p.warnings.size(), 6u);
  const char* prefixes[] = {"line 2:", "line 3:", "line 4:", "line 5:", "line 6:", "line 7:"};
  for (std::size_t i = 0; i < 6; ++i) EXPECT_EQ(p.warnings[i].rfind(prefixes[i], 0), 0u) << p.warnings[i];
  EXPECT_NE(p.warnings[4].find("duplicate"), std::string::npos);
}

TEST(Credentials, NamesAreCaseSensitive) {
  const auto p = parse_credentials("Alice a\nalice b\n");
  EXPECT_TRUE(p.warnings.empty());
  EXPECT_EQ(p.entries.size(), 2u);
}

TEST(Credentials, ValidDeviceNames) {
  for (const char* ok : {"a", "Client01", "edge_1.dev-2", "x0123456789012345678901234567890"})
    EXPECT_TRUE(is_valid_device_name(ok)) << ok;
  for (const char* bad : {"", ".hidden", "-opt", "a/b", "../x", "sp ace", "caf\xC3\xA9",
                          "x01234567890123456789012345678901", "semi;colon"})
    EXPECT_FALSE(is_valid_device_name(bad)) << bad;
}

}  // namespace
}  // namespace edgehub::hub
