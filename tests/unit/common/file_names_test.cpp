#include "common/file_names.hpp"

#include <gtest/gtest.h>

#include <string>

namespace edgehub {
namespace {

using namespace std::string_literals;

bool refused(std::string_view name, FileNameRule rule) { return file_name_problem(name, rule).has_value(); }

TEST(RepositoryName, PlainNamesAreAccepted) {
  for (const std::string& name :
       {"a"s, "report.pdf"s, "data-2024_01.tar.gz"s, "caf\xc3\xa9.txt"s, "x."s, "a..b"s, std::string(255, 'n')})
    EXPECT_FALSE(file_name_problem(name, kRepositoryName)) << name;
}

TEST(RepositoryName, EverythingThatCouldLeaveTheDirectoryIsRefused) {
  const std::string cases[] = {"",
                               "../etc/passwd",
                               "/etc/passwd",
                               "a/b",
                               "sub/../x",
                               "..",
                               ".",
                               ".hidden",
                               ".meta",
                               ".upload-1.part",
                               "..\\x",
                               "a\\b",
                               "nul\0byte"s,
                               "\0"s,
                               "tab\there",
                               "new\nline",
                               "bell\x07",
                               "del\x7f",
                               "sp ace",
                               std::string(256, 'n')};
  for (const auto& name : cases) {
    const auto problem = file_name_problem(name, kRepositoryName);
    ASSERT_TRUE(problem) << printable_file_name(name);
    EXPECT_FALSE(problem->empty());
  }
}

TEST(RepositoryName, ReasonsSayWhatIsWrong) {
  EXPECT_NE(file_name_problem("../x", kRepositoryName)->find("'/'"), std::string::npos);
  EXPECT_NE(file_name_problem("..", kRepositoryName)->find("starting with '.'"), std::string::npos);
  EXPECT_NE(file_name_problem(std::string(300, 'x'), kRepositoryName)->find("300 bytes"), std::string::npos);
  EXPECT_NE(file_name_problem("a\0b"s, kRepositoryName)->find("NUL"), std::string::npos);
  EXPECT_NE(file_name_problem("", kRepositoryName)->find("empty"), std::string::npos);
}

// What every rule refuses: anything that is not one plain component.
TEST(FileNames, TheBaseRuleHoldsForEveryVariant) {
  const std::string bad[] = {"",     std::string(256, 'n'), "a/b",       "/",         "..",      ".",
                             "a\\b", "nul\0byte"s,          "tab\there", "new\nline", "del\x7f", "esc\x1b[2J"};
  for (const FileNameRule rule : {kPlainName, kLocalName, kRepositoryName, kSharedName})
    for (const auto& name : bad) EXPECT_TRUE(refused(name, rule)) << printable_file_name(name);
  for (const FileNameRule rule : {kPlainName, kLocalName, kRepositoryName, kSharedName})
    for (const auto& name : {"a"s, "a..b"s, "x."s, "caf\xc3\xa9"s, std::string(255, 'n')})
      EXPECT_FALSE(refused(name, rule)) << name;
}

TEST(FileNames, TheVariantsDifferOnlyWhereTheySayTheyDo) {
  EXPECT_FALSE(refused(".profile", kPlainName));  // UVF saves it as "SENDER_.profile"
  EXPECT_FALSE(refused(".profile", kSharedName));
  EXPECT_TRUE(refused(".profile", kLocalName));  // would overwrite a dotfile or a partial download
  EXPECT_TRUE(refused(".profile", kRepositoryName));

  EXPECT_FALSE(refused("my file", kPlainName));  // the last argument of its command
  EXPECT_FALSE(refused("my file", kLocalName));
  EXPECT_FALSE(refused("my file", kSharedName));
  EXPECT_TRUE(refused("my file", kRepositoryName));  // one word of "put NAME SIZE SHA256"

  EXPECT_FALSE(refused("me@home", kPlainName));
  EXPECT_FALSE(refused("me@home", kRepositoryName));
  EXPECT_TRUE(refused("me@home", kSharedName));  // NAME@ROOTPREFIX chooses a version
}

TEST(FileNames, IsPlainFileNameIsTheBaseRule) {
  EXPECT_TRUE(is_plain_file_name("report.pdf"));
  EXPECT_TRUE(is_plain_file_name(".hidden"));
  EXPECT_FALSE(is_plain_file_name(".."));
  EXPECT_FALSE(is_plain_file_name("a\\b"));
  EXPECT_FALSE(is_plain_file_name("bell\x07"));
}

TEST(FileNames, ReasonsOfTheOtherRulesSayWhatIsWrong) {
  EXPECT_NE(file_name_problem("..", kPlainName)->find("'.' or '..'"), std::string::npos);
  EXPECT_NE(file_name_problem("a\tb", kPlainName)->find("control character"), std::string::npos);
  EXPECT_NE(file_name_problem("a@b", kSharedName)->find("'@'"), std::string::npos);
}

TEST(RepositoryName, LoggedNamesCannotForgeLogLines) {
  EXPECT_EQ(printable_file_name("ok.txt"), "ok.txt");
  EXPECT_EQ(printable_file_name("a\nb"), "a\\x0ab");
  EXPECT_EQ(printable_file_name("a\0b"s), "a\\x00b");
  EXPECT_EQ(printable_file_name("back\\slash"), "back\\x5cslash");
  EXPECT_EQ(printable_file_name("caf\xc3\xa9"), "caf\\xc3\\xa9");
  const std::string shown = printable_file_name(std::string(500, 'x'));
  EXPECT_EQ(shown, std::string(120, 'x') + "...(500 bytes)");
}

}  // namespace
}  // namespace edgehub
