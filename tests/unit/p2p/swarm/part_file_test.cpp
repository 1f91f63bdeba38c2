// PartFile: preallocation, per-chunk verification, resume, root mismatch,
// serving verified chunks, finish (docs/SWARM.md#4-peer-wire).
#include "p2p/swarm/part_file.hpp"

#include <gtest/gtest.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <stdexcept>

#include "unit/p2p/swarm/swarm_files.hpp"

namespace edgehub::p2p::swarm {
namespace {

using testing::chunk_bytes;
using testing::manifest_of;
using testing::random_bytes;
using testing::read_file;
using testing::TempDir;

// Feeds bytes to a sink in pieces of `piece` bytes, as a transfer would.
void feed(ChunkSink& sink, const std::vector<std::uint8_t>& bytes, std::size_t piece = 1432) {
  for (std::size_t off = 0; off < bytes.size(); off += piece)
    sink.write(std::span(bytes).subspan(off, std::min(piece, bytes.size() - off)));
}

class PartFileTest : public ::testing::Test {
 protected:
  TempDir dir_;
  std::vector<std::uint8_t> file_ = random_bytes(5 * kMinChunkSize + 1000, 1);  // 6 chunks, the last short
  Manifest manifest_ = manifest_of(file_);
  std::vector<std::uint32_t> verified_, bad_;

  std::unique_ptr<ChunkSink> sink(PartFile& part, std::uint32_t first, std::uint32_t count) {
    return part.chunk_sink(
        first, count, [this](std::uint32_t c) { verified_.push_back(c); },
        [this](std::uint32_t c) { bad_.push_back(c); });
  }
  void fetch(PartFile& part, std::uint32_t first, std::uint32_t count) {
    auto s = sink(part, first, count);
    feed(*s, chunk_bytes(file_, manifest_, first, count));
    s->commit();
  }
};

TEST_F(PartFileTest, FreshStartPreallocatesAndRecordsTheRoot) {
  auto part = PartFile::open(dir_.path(), "movie.bin", manifest_);
  EXPECT_EQ(part->resumed_chunks(), 0u);
  EXPECT_EQ(std::filesystem::file_size(dir_.path() / ".movie.bin.swarm-part"), file_.size());
  auto have = read_file(dir_.path() / ".movie.bin.swarm-have");
  EXPECT_NE(std::string(have.begin(), have.end()).find(manifest_.root_hex()), std::string::npos);
  EXPECT_FALSE(std::filesystem::exists(dir_.path() / "movie.bin"));
}

// The blocks are reserved by a thread of their own; the destructor waits
// for it, so a filesystem with fallocate then holds every block.
TEST_F(PartFileTest, AFreshPartFilesBlocksAreReservedByTheTimeItCloses) {
  const auto path = dir_.path() / ".movie.bin.swarm-part";
  {
    auto part = PartFile::open(dir_.path(), "movie.bin", manifest_);
    fetch(*part, 0, 1);  // a write while the reservation may still run
  }
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(static_cast<std::uint64_t>(st.st_size), file_.size());
  const int probe = ::open((dir_.path() / "probe").c_str(), O_RDWR | O_CREAT, 0600);
  ASSERT_GE(probe, 0);
  const bool can_reserve = ::fallocate(probe, 0, 0, 4096) == 0;
  ::close(probe);
  if (!can_reserve) GTEST_SKIP() << "this filesystem has no fallocate";
  EXPECT_GE(static_cast<std::uint64_t>(st.st_blocks) * 512, file_.size());
  // The chunk written meanwhile is intact (the destructor synced it).
  auto part = PartFile::open(dir_.path(), "movie.bin", manifest_);
  ASSERT_EQ(part->resumed_chunks(), 1u);
  std::vector<std::uint8_t> out(kMinChunkSize);
  part->read(0, out);
  EXPECT_TRUE(std::equal(out.begin(), out.end(), file_.begin()));
}

// Sinks take chunk buffers from the part file and give them back, so a
// download reuses a few instead of faulting in fresh ones per chunk.
TEST_F(PartFileTest, ChunkBuffersAreAlignedAndReused) {
  auto part = PartFile::open(dir_.path(), "movie.bin", manifest_);
  auto first = part->take_buffer();
  const std::uint8_t* address = first.get();
  EXPECT_EQ(reinterpret_cast<std::uintptr_t>(address) % 4096, 0u);
  part->give_back(std::move(first));
  fetch(*part, 0, 2);  // the sink takes that buffer, and gives it back when done
  auto again = part->take_buffer();
  EXPECT_EQ(again.get(), address);
  std::vector<PartFile::ChunkBuffer> many;
  for (std::size_t i = 0; i < PartFile::kSpareBuffers + 2; ++i) many.push_back(part->take_buffer());
  for (auto& b : many) part->give_back(std::move(b));  // the ones over kSpareBuffers are freed
  EXPECT_EQ(part->have().count(), 2u);
}

TEST_F(PartFileTest, EveryChunkVerifiedThenFinishRenames) {
  auto part = PartFile::open(dir_.path(), "movie.bin", manifest_);
  fetch(*part, 0, 4);
  fetch(*part, 4, 2);
  EXPECT_EQ(verified_, (std::vector<std::uint32_t>{0, 1, 2, 3, 4, 5}));
  EXPECT_TRUE(part->complete());
  EXPECT_EQ(part->finish(), dir_.path() / "movie.bin");
  EXPECT_EQ(read_file(dir_.path() / "movie.bin"), file_);
  EXPECT_FALSE(std::filesystem::exists(part->part_path()));
  EXPECT_FALSE(std::filesystem::exists(part->have_path()));
  // Still served after the rename (the file stays open).
  std::vector<std::uint8_t> out(100);
  part->read(kMinChunkSize, out);
  EXPECT_TRUE(std::equal(out.begin(), out.end(), file_.begin() + kMinChunkSize));
}

TEST_F(PartFileTest, FinishRefusesWhileChunksAreMissing) {
  auto part = PartFile::open(dir_.path(), "movie.bin", manifest_);
  fetch(*part, 0, 5);
  EXPECT_THROW(part->finish(), std::runtime_error);
  EXPECT_FALSE(std::filesystem::exists(dir_.path() / "movie.bin"));
  EXPECT_TRUE(std::filesystem::exists(part->part_path()));
}

TEST_F(PartFileTest, ResumesTheVerifiedChunks) {
  {
    auto part = PartFile::open(dir_.path(), "movie.bin", manifest_);
    fetch(*part, 1, 3);
  }
  auto part = PartFile::open(dir_.path(), "movie.bin", manifest_);
  EXPECT_EQ(part->resumed_chunks(), 3u);
  EXPECT_FALSE(part->have().test(0));
  EXPECT_TRUE(part->have().test(1) && part->have().test(2) && part->have().test(3));
  fetch(*part, 0, 1);
  fetch(*part, 4, 2);
  part->finish();
  EXPECT_EQ(read_file(dir_.path() / "movie.bin"), file_);
}

TEST_F(PartFileTest, AnotherRootStartsOver) {
  {
    auto part = PartFile::open(dir_.path(), "movie.bin", manifest_);
    fetch(*part, 0, 3);
  }
  auto other_file = random_bytes(file_.size(), 2);
  auto other = manifest_of(other_file);
  auto part = PartFile::open(dir_.path(), "movie.bin", other);
  EXPECT_EQ(part->resumed_chunks(), 0u);
  EXPECT_EQ(part->have().count(), 0u);
  // Nothing of the old version can be served as the new one.
  EXPECT_EQ(part->range_source(0, 1), nullptr);
}

TEST_F(PartFileTest, ABadChunkThrowsNamesItAndIsNotStored) {
  auto part = PartFile::open(dir_.path(), "movie.bin", manifest_);
  auto bytes = chunk_bytes(file_, manifest_, 2, 3);
  bytes[kMinChunkSize + 7] ^= 0x40;  // inside chunk 3
  auto s = sink(*part, 2, 3);
  try {
    feed(*s, bytes);
    FAIL() << "a bad chunk must throw";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("chunk 3"), std::string::npos) << e.what();
  }
  s->discard();
  EXPECT_EQ(verified_, (std::vector<std::uint32_t>{2}));
  EXPECT_EQ(bad_, (std::vector<std::uint32_t>{3}));
  EXPECT_TRUE(part->have().test(2));
  EXPECT_FALSE(part->have().test(3));
  // Only verified bytes reach the file: chunk 3 is still the preallocated zeros.
  auto on_disk = read_file(part->part_path());
  EXPECT_EQ(on_disk[manifest_.chunk_offset(3) + 7], 0);
}

TEST_F(PartFileTest, ALateBadDuplicateLeavesTheVerifiedChunk) {
  auto part = PartFile::open(dir_.path(), "movie.bin", manifest_);
  auto good = sink(*part, 1, 1), liar = sink(*part, 1, 1);
  auto bad_bytes = chunk_bytes(file_, manifest_, 1, 1);
  bad_bytes[0] ^= 1;
  feed(*liar, std::vector<std::uint8_t>(bad_bytes.begin(), bad_bytes.begin() + 100));
  feed(*good, chunk_bytes(file_, manifest_, 1, 1));
  EXPECT_THROW(feed(*liar, std::vector<std::uint8_t>(bad_bytes.begin() + 100, bad_bytes.end())), std::runtime_error);
  std::vector<std::uint8_t> out(kMinChunkSize);
  part->read(manifest_.chunk_offset(1), out);
  EXPECT_EQ(out, chunk_bytes(file_, manifest_, 1, 1));
}

TEST_F(PartFileTest, CommitBeforeTheLastByteThrows) {
  auto part = PartFile::open(dir_.path(), "movie.bin", manifest_);
  auto s = sink(*part, 4, 2);
  auto bytes = chunk_bytes(file_, manifest_, 4, 2);
  bytes.pop_back();
  feed(*s, bytes);
  EXPECT_THROW(s->commit(), std::runtime_error);
  EXPECT_TRUE(part->have().test(4));
  EXPECT_FALSE(part->have().test(5));
  // More bytes than the range holds are refused too.
  auto extra = sink(*part, 5, 1);
  auto tail = chunk_bytes(file_, manifest_, 5, 1);
  tail.push_back(0);
  EXPECT_THROW(feed(*extra, tail, tail.size()), std::runtime_error);
}

TEST_F(PartFileTest, ServesOnlyVerifiedChunks) {
  auto part = PartFile::open(dir_.path(), "movie.bin", manifest_);
  EXPECT_EQ(part->range_source(0, 2), nullptr);
  fetch(*part, 0, 2);
  auto source = part->range_source(0, 2);
  ASSERT_NE(source, nullptr);
  ASSERT_EQ(source->size(), 2u * kMinChunkSize);
  std::vector<std::uint8_t> out(source->size());
  for (std::size_t off = 0; off < out.size(); off += 1432)  // datagram by datagram, as a transfer reads
    source->read(off, std::span(out).subspan(off, std::min<std::size_t>(1432, out.size() - off)));
  EXPECT_EQ(out, chunk_bytes(file_, manifest_, 0, 2));
  EXPECT_EQ(part->range_source(1, 2), nullptr);  // chunk 2 is missing
  EXPECT_EQ(part->range_source(5, 2), nullptr);  // out of range
  std::vector<std::uint8_t> across(10);
  EXPECT_THROW(part->read(2 * kMinChunkSize - 5, across), std::runtime_error);
  EXPECT_THROW(part->chunk_sink(6, 1, {}, {}), std::out_of_range);
}

TEST(PartFileServing, AVerifiedRangeOfSeveralMiBIsServedWhole) {
  TempDir dir;
  auto file = random_bytes((3 << 20) + 777, 9);
  auto manifest = manifest_of(file, 64 * 1024);
  auto part = PartFile::open(dir.path(), "big.bin", manifest);
  auto sink = part->chunk_sink(0, manifest.chunk_count(), {}, {});
  feed(*sink, file, 65000);
  sink->commit();
  auto source = part->range_source(3, manifest.chunk_count() - 3);
  ASSERT_NE(source, nullptr);
  std::vector<std::uint8_t> out(source->size());
  for (std::size_t off = 0; off < out.size(); off += 1432)
    source->read(off, std::span(out).subspan(off, std::min<std::size_t>(1432, out.size() - off)));
  EXPECT_EQ(out, chunk_bytes(file, manifest, 3, manifest.chunk_count() - 3));
  std::vector<std::uint8_t> again(100);
  source->read(10, again);  // an early block again, as for a retransmission
  EXPECT_TRUE(std::equal(again.begin(), again.end(), file.begin() + 3 * 65536 + 10));
}

}  // namespace
}  // namespace edgehub::p2p::swarm
