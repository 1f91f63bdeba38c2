#include "hub/files/repository_name.hpp"

#include <gtest/gtest.h>

#include <string>

namespace edgehub::hub {
namespace {

using namespace std::string_literals;

TEST(RepositoryName, PlainNamesAreAccepted) {
  for (const std::string& name : {"a"s, "report.pdf"s, "data-2024_01.tar.gz"s, "caf\xc3\xa9.txt"s, "x."s, "a..b"s, std::string(255, 'n')})
    EXPECT_FALSE(file_name_problem(name)) << name;
}

TEST(RepositoryName, EverythingThatCouldLeaveTheDirectoryIsRefused) {
  const std::string cases[] = {"",           "../etc/passwd", "/etc/passwd", "a/b",       "sub/../x",  "..",
                               ".",          ".hidden",       ".meta",       ".upload-1.part",       "..\\x",     "a\\b",
                               "nul\0byte"s, "\0"s,           "tab\there",   "new\nline", "bell\x07", "del\x7f",
                               "sp ace",     std::string(256, 'n')};
  for (const auto& name : cases) {
    const auto problem = file_name_problem(name);
    ASSERT_TRUE(problem) << printable_file_name(name);
    EXPECT_FALSE(problem->empty());
  }
}

TEST(RepositoryName, ReasonsSayWhatIsWrong) {
  EXPECT_NE(file_name_problem("../x")->find("'/'"), std::string::npos);
  EXPECT_NE(file_name_problem("..")->find("starting with '.'"), std::string::npos);
  EXPECT_NE(file_name_problem(std::string(300, 'x'))->find("300 bytes"), std::string::npos);
  EXPECT_NE(file_name_problem("a\0b"s)->find("NUL"), std::string::npos);
  EXPECT_NE(file_name_problem("")->find("empty"), std::string::npos);
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
}  // namespace edgehub::hub
