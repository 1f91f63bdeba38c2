// RangeSource: serves a byte range of a shared file while it is unchanged
// (docs/SWARM.md#4-peer-wire).
#include "p2p/swarm/range_source.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>

#include "unit/p2p/swarm/swarm_files.hpp"

namespace edgehub::p2p::swarm {
namespace {

using testing::chunk_bytes;
using testing::manifest_of;
using testing::random_bytes;
using testing::TempDir;
using testing::write_file;

class RangeSourceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    write_file(path_, file_);
    stamp_ = stamp_of(path_);
  }
  std::vector<std::uint8_t> read_all(ChunkSource& s) {
    std::vector<std::uint8_t> out(s.size());
    for (std::size_t off = 0; off < out.size(); off += 1432)
      s.read(off, std::span(out).subspan(off, std::min<std::size_t>(1432, out.size() - off)));
    return out;
  }
  // Gives the file another modification time without changing its bytes.
  void touch() {
    struct timespec times[2] = {{0, UTIME_OMIT}, {12345, 678}};
    ASSERT_EQ(::utimensat(AT_FDCWD, path_.c_str(), times, 0), 0);
  }

  TempDir dir_;
  std::filesystem::path path_ = dir_.path() / "shared.bin";
  std::vector<std::uint8_t> file_ = random_bytes(3 * (1 << 20) + 5000, 3);  // several cache blocks
  Manifest manifest_ = manifest_of(file_, 1 << 20);
  FileStamp stamp_;
};

TEST_F(RangeSourceTest, ServesTheChunksOfARange) {
  auto s = RangeSource::for_chunks(path_, stamp_, manifest_, 1, 3);
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->size(), file_.size() - (1 << 20));
  EXPECT_EQ(read_all(*s), chunk_bytes(file_, manifest_, 1, 3));
  std::vector<std::uint8_t> past(2);
  EXPECT_THROW(s->read(s->size() - 1, past), std::runtime_error);
  EXPECT_EQ(RangeSource::for_chunks(path_, stamp_, manifest_, 3, 2), nullptr);
  EXPECT_EQ(RangeSource::for_chunks(path_, stamp_, manifest_, 0, 0), nullptr);
}

TEST_F(RangeSourceTest, AChangedFileIsRefusedWhenOpened) {
  touch();
  EXPECT_THROW(RangeSource::for_chunks(path_, stamp_, manifest_, 0, 1), FileChanged);
}

TEST_F(RangeSourceTest, AFileChangedWhileServingIsRefused) {
  auto s = RangeSource::for_chunks(path_, stamp_, manifest_, 0, 4);
  std::vector<std::uint8_t> out(1000);
  s->read(0, out);  // the first block is read and cached
  {
    std::fstream f(path_, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(2 << 20);
    f.put('x');
  }
  touch();  // whatever the clock's granularity, the mtime differs
  EXPECT_THROW(s->read(2 << 20, out), FileChanged);
}

TEST_F(RangeSourceTest, AShorterFileIsRefused) {
  auto s = RangeSource::for_chunks(path_, stamp_, manifest_, 2, 2);
  std::filesystem::resize_file(path_, 2 << 20);
  std::vector<std::uint8_t> out(1000);
  EXPECT_THROW(s->read(0, out), FileChanged);
}

}  // namespace
}  // namespace edgehub::p2p::swarm
