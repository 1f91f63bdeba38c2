// UploadWriter (hub/edge_data/upload_writer.hpp): what arrives in blocks of
// any size is what the file holds, whether the file system takes direct
// writes or not, and a failed write is reported with its errno.
#include "hub/edge_data/upload_writer.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <tuple>

namespace edgehub::hub {
namespace {

std::string pattern(std::size_t size) {
  std::string out(size, '\0');
  std::uint32_t x = 12345;
  for (auto& c : out) {
    x = x * 1103515245 + 12345;
    c = static_cast<char>(x >> 24);
  }
  return out;
}

std::string read_all(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// Blocks of awkward sizes: below, at and above the direct-write unit, so
// that gathering, the aligned prefix and the unaligned tail all happen.
void write_in_odd_blocks(UploadWriter& writer, const std::string& data) {
  const std::size_t sizes[] = {1, 4095, 4097, 1 << 20, (1 << 20) + 3, 3 << 20, 77};
  std::size_t at = 0;
  for (std::size_t i = 0; at < data.size(); ++i) {
    const std::size_t n = std::min(sizes[i % std::size(sizes)], data.size() - at);
    ASSERT_EQ(writer.append(std::string_view(data).substr(at, n)), 0);
    at += n;
  }
  ASSERT_EQ(writer.finish(), 0);
}

class UploadWriterTest : public ::testing::TestWithParam<std::tuple<const char*, bool>> {};

// Each directory (/tmp: ext4 here; /dev/shm: tmpfs), with direct writes
// where the file system takes them, and with buffered writes only.
TEST_P(UploadWriterTest, TheFileHoldsExactlyTheBlocks) {
  const std::filesystem::path dir = std::get<0>(GetParam());
  if (!std::filesystem::is_directory(dir)) GTEST_SKIP() << dir << " is not there";
  const auto path = dir / ("upload-writer-test-" + std::to_string(::getpid()));
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  ASSERT_GE(fd, 0);
  const std::string data = pattern((9 << 20) + 12345);
  {
    UploadWriter writer(fd, std::get<1>(GetParam()));
    write_in_odd_blocks(writer, data);
    EXPECT_FALSE(writer.direct()) << "finish() leaves the fd as it was opened";
  }
  EXPECT_EQ(::fcntl(fd, F_GETFL) & O_DIRECT, 0);
  ::close(fd);
  EXPECT_TRUE(read_all(path) == data);
  std::filesystem::remove(path);
}

INSTANTIATE_TEST_SUITE_P(Dirs, UploadWriterTest,
                         ::testing::Combine(::testing::Values("/tmp", "/dev/shm"), ::testing::Bool()));

TEST(UploadWriter, AFullDiskIsReportedWithItsErrno) {
  const int fd = ::open("/dev/full", O_WRONLY | O_CLOEXEC);
  if (fd < 0) GTEST_SKIP() << "no /dev/full";
  UploadWriter writer(fd);
  const std::string data = pattern(3 << 20);  // more than one direct write
  int error = writer.append(data);
  if (error == 0) error = writer.finish();
  EXPECT_EQ(error, ENOSPC);
  ::close(fd);
}

}  // namespace
}  // namespace edgehub::hub
