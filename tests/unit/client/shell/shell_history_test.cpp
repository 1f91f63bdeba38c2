#include "client/shell/shell_history.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace edgehub::client {
namespace {

namespace fs = std::filesystem;

class HistoryFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("edgehub-history-" + std::to_string(::getpid()) + "-" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    path_ = dir_ / "history";
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::vector<std::string> file_lines() const {
    std::ifstream in(path_);
    std::vector<std::string> lines;
    for (std::string l; std::getline(in, l);) lines.push_back(l);
    return lines;
  }

  fs::path dir_;
  fs::path path_;
};

TEST(WorthRemembering, SkipsBlankAndSecretCarryingLines) {
  EXPECT_TRUE(worth_remembering("AED"));
  EXPECT_TRUE(worth_remembering("msg bob login tomorrow"));
  EXPECT_FALSE(worth_remembering("   "));
  EXPECT_FALSE(worth_remembering("login alice secret"));
  EXPECT_FALSE(worth_remembering("  LOGIN alice secret"));
  EXPECT_FALSE(worth_remembering("resume alice t0ken"));
}

TEST_F(HistoryFileTest, AppendsPrivatelyAndLoadsNewestFirstLast) {
  HistoryFile h(path_, 3);
  EXPECT_TRUE(h.load().empty());
  for (const char* l : {"a", "b", "b", "c", "d"}) h.append(l);
  EXPECT_EQ(file_lines(), (std::vector<std::string>{"a", "b", "c", "d"}));  // a repeat is stored once
  struct stat st {};
  ASSERT_EQ(::stat(path_.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  HistoryFile again(path_, 3);
  EXPECT_EQ(again.load(), (std::vector<std::string>{"b", "c", "d"}));
}

TEST_F(HistoryFileTest, CutsTheFileBackWhenItHasGrownToTwiceTheLimit) {
  HistoryFile h(path_, 2);
  for (const char* l : {"1", "2", "3"}) h.append(l);
  EXPECT_EQ(HistoryFile(path_, 2).load(), (std::vector<std::string>{"2", "3"}));
  EXPECT_EQ(file_lines().size(), 3u);  // below twice the limit: left alone
  h.append("4");
  EXPECT_EQ(HistoryFile(path_, 2).load(), (std::vector<std::string>{"3", "4"}));
  EXPECT_EQ(file_lines(), (std::vector<std::string>{"3", "4"}));
  struct stat st {};
  ASSERT_EQ(::stat(path_.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
}

TEST_F(HistoryFileTest, NoPathMeansNoFile) {
  HistoryFile h(std::nullopt, 10);
  h.append("AED");
  EXPECT_TRUE(h.load().empty());
}

TEST(DefaultHistoryPath, EnvironmentDecides) {
  ::setenv("EDGEHUB_HISTORY", "/tmp/x-history", 1);
  EXPECT_EQ(default_history_path(), fs::path("/tmp/x-history"));
  ::setenv("EDGEHUB_HISTORY", "", 1);
  EXPECT_EQ(default_history_path(), std::nullopt);
  ::unsetenv("EDGEHUB_HISTORY");
  ::setenv("HOME", "/home/someone", 1);
  EXPECT_EQ(default_history_path(), fs::path("/home/someone/.edgehub_history"));
}

}  // namespace
}  // namespace edgehub::client
