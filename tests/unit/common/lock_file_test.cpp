#include "common/lock_file.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>

namespace edgehub {
namespace {

namespace fs = std::filesystem;

class LockFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("lock_file_test-" + std::to_string(::getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path path() const { return dir_ / "edgehubd.lock"; }
  std::string content() const {
    std::ifstream in(path());
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }
  fs::path dir_;
};

TEST_F(LockFileTest, HoldsThePidOfItsOwner) {
  LockFile lock(path());
  EXPECT_EQ(content(), std::to_string(::getpid()) + "\n");
}

// flock belongs to an open file description, so a second LockFile in the
// same process conflicts just as a second process would.
TEST_F(LockFileTest, ASecondLockIsRefusedWithTheHoldersPid) {
  LockFile first(path());
  try {
    LockFile second(path());
    FAIL() << "the second lock was granted";
  } catch (const LockBusy& busy) {
    EXPECT_EQ(busy.holder_pid, std::optional<long>(::getpid()));
  }
  EXPECT_EQ(content(), std::to_string(::getpid()) + "\n") << "the refused one leaves the file alone";
}

TEST_F(LockFileTest, ReleasedWhenDestroyedAndTheStaleFileIsReused) {
  { std::ofstream(path()) << "999999999\nleft by a crash\n"; }
  { LockFile first(path()); }
  LockFile again(path());
  EXPECT_EQ(content(), std::to_string(::getpid()) + "\n");
}

TEST_F(LockFileTest, AHolderThatHasNotWrittenItsPidYetIsReportedWithout) {
  LockFile first(path());
  fs::resize_file(path(), 0);
  try {
    LockFile second(path());
    FAIL() << "the second lock was granted";
  } catch (const LockBusy& busy) {
    EXPECT_FALSE(busy.holder_pid.has_value());
  }
}

TEST_F(LockFileTest, AMissingDirectoryIsASystemError) {
  EXPECT_THROW(LockFile(dir_ / "no" / "such" / "dir" / "x.lock"), std::system_error);
}

}  // namespace
}  // namespace edgehub
