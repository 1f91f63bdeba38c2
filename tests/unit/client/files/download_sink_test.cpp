#include "client/files/download_sink.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <thread>

namespace edgehub::client {
namespace {

// A temporary file, open for the sink to write (or read-only, to make
// writes fail), removed afterwards.
class TempFile {
 public:
  explicit TempFile(int flags = O_RDWR) {
    char name[] = "/tmp/edgehub-sink-test.XXXXXX";
    const int fd = ::mkstemp(name);
    path_ = name;
    ::close(fd);
    fd_ = ::open(path_.c_str(), flags);
  }
  ~TempFile() {
    ::close(fd_);
    std::remove(path_.c_str());
  }
  int fd() const { return fd_; }
  std::string contents() const {
    std::ifstream in(path_, std::ios::binary);
    std::ostringstream all;
    all << in.rdbuf();
    return all.str();
  }

 private:
  std::string path_;
  int fd_ = -1;
};

std::string pattern(std::size_t size) {
  std::string s(size, '\0');
  for (std::size_t i = 0; i < size; ++i) s[i] = static_cast<char>((i * 7919) >> 5);
  return s;
}

// What ServerLink does with a block: room, copy, filled, until it is all in.
void give_block(DownloadBlockSink& sink, std::string_view bytes) {
  while (!bytes.empty()) {
    const auto room = sink.room(bytes.size());
    ASSERT_FALSE(room.empty());
    const std::size_t n = std::min(room.size(), bytes.size());
    std::memcpy(room.data(), bytes.data(), n);
    sink.filled(n);
    bytes.remove_prefix(n);
  }
  sink.block_end();
}

TEST(DownloadSink, WritesAndHashesEveryByteInOrder) {
  TempFile file;
  const std::string data = pattern(5 * (1 << 20) + 12345);  // more than a slab, not a multiple of one
  DownloadSink sink;
  sink.start(file.fd(), Sha256(), data.size());
  // Blocks of odd sizes, from another thread, as the I/O thread gives them.
  std::thread io([&] {
    for (std::size_t at = 0; at < data.size();) {
      const std::size_t n = std::min<std::size_t>(data.size() - at, 333'333 + at % 1000);
      give_block(sink, std::string_view(data).substr(at, n));
      at += n;
    }
  });
  io.join();
  EXPECT_TRUE(sink.wait_written(data.size()));
  EXPECT_EQ(sink.written(), data.size());
  EXPECT_EQ(sink.finish(), sha256_hex(data));
  EXPECT_FALSE(sink.write_error());
  EXPECT_EQ(file.contents(), data);
}

TEST(DownloadSink, HoldsBytesBackUntilStarted) {
  TempFile file;
  const std::string data = pattern(3 << 20);
  DownloadSink sink;
  std::thread io([&] { give_block(sink, data); });  // waits in room() until start()
  Sha256 prefix;
  prefix.update("already here");
  sink.start(file.fd(), std::move(prefix), data.size());
  io.join();
  EXPECT_EQ(sink.finish(), sha256_hex("already here" + data));
  EXPECT_EQ(file.contents(), data);
}

TEST(DownloadSink, MarksWhatArrivedBeforeEachWindowEnd) {
  TempFile file;
  DownloadSink sink;
  sink.start(file.fd(), Sha256(), 100);
  EXPECT_FALSE(sink.take_window_mark());
  give_block(sink, "abc");
  give_block(sink, "de");
  sink.window_end();
  give_block(sink, "fgh");
  sink.window_end();
  sink.window_end();
  EXPECT_EQ(sink.take_window_mark(), std::optional<std::uint64_t>(5));
  EXPECT_EQ(sink.take_window_mark(), std::optional<std::uint64_t>(8));
  EXPECT_EQ(sink.take_window_mark(), std::optional<std::uint64_t>(8));
  EXPECT_FALSE(sink.take_window_mark());
  EXPECT_EQ(sink.finish(), sha256_hex("abcdefgh"));
}

TEST(DownloadSink, DropsMoreThanExpectedButCountsIt) {
  TempFile file;
  DownloadSink sink;
  sink.start(file.fd(), Sha256(), 10);
  give_block(sink, "0123456789abcdef");
  sink.window_end();
  EXPECT_EQ(sink.take_window_mark(), std::optional<std::uint64_t>(16));
  EXPECT_TRUE(sink.wait_written(10));
  EXPECT_FALSE(sink.wait_written(11));
  EXPECT_EQ(sink.written(), 10u);
  EXPECT_EQ(sink.finish(), sha256_hex("0123456789"));
  EXPECT_EQ(file.contents(), "0123456789");
}

TEST(DownloadSink, DiscardDropsEverythingAfterIt) {
  TempFile file;
  DownloadSink sink;
  sink.start(file.fd(), Sha256(), 1 << 20);
  give_block(sink, "kept");
  ASSERT_TRUE(sink.wait_written(4));
  sink.discard();
  give_block(sink, pattern(200'000));  // still accepted, so the link reads on
  EXPECT_FALSE(sink.wait_written(5));
  EXPECT_EQ(sink.written(), 4u);
  EXPECT_EQ(file.contents(), "kept");
}

TEST(DownloadSink, DiscardBeforeStartReleasesTheWaitingReader) {
  DownloadSink sink;
  std::thread io([&] { give_block(sink, pattern(100'000)); });
  sink.discard();
  io.join();
  EXPECT_EQ(sink.written(), 0u);
}

TEST(DownloadSink, ReportsAWriteErrorAndStopsWriting) {
  TempFile file(O_RDONLY);
  DownloadSink sink;
  sink.start(file.fd(), Sha256(), 1 << 20);
  give_block(sink, "cannot be written");
  give_block(sink, "nor this");
  EXPECT_FALSE(sink.wait_written(1));
  ASSERT_TRUE(sink.write_error());
  EXPECT_EQ(*sink.write_error(), std::strerror(EBADF));
  EXPECT_EQ(sink.written(), 0u);
}

}  // namespace
}  // namespace edgehub::client
