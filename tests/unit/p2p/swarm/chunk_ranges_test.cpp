// Chunk lists and ChunkSet (docs/SWARM.md#2-tracker-protocol).
#include "p2p/swarm/chunk_ranges.hpp"

#include <gtest/gtest.h>

namespace edgehub::p2p::swarm {
namespace {

using Chunks = std::vector<std::uint32_t>;

Chunks parse_ok(std::string_view text, std::uint32_t count) {
  std::string error;
  const auto chunks = parse_chunk_list(text, count, &error);
  EXPECT_TRUE(chunks.has_value()) << text << ": " << error;
  return chunks.value_or(Chunks{});
}

std::string parse_error(std::string_view text, std::uint32_t count) {
  std::string error;
  EXPECT_FALSE(parse_chunk_list(text, count, &error).has_value()) << text;
  return error;
}

TEST(ChunkList, ParsesNumbersAndInclusiveRanges) {
  EXPECT_EQ(parse_ok("0-9,12", 40), (Chunks{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 12}));
  EXPECT_EQ(parse_ok("7", 8), (Chunks{7}));
  EXPECT_EQ(parse_ok("3-3", 8), (Chunks{3}));
}

TEST(ChunkList, SortsAndMergesDuplicatesAndOverlaps) {
  EXPECT_EQ(parse_ok("5,1-3,2,3-6,1", 10), (Chunks{1, 2, 3, 4, 5, 6}));
  std::string many = "0-9";
  for (int i = 0; i < 100; ++i) many += ",0-9";
  EXPECT_EQ(parse_ok(many, 10).size(), 10u);
}

TEST(ChunkList, NamesTheBadToken) {
  EXPECT_EQ(parse_error("1,x,3", 10), "'x' is not a chunk number or a range such as 0-9");
  EXPECT_EQ(parse_error("5-2", 10), "'5-2' is not a chunk number or a range such as 0-9");
  for (const char* bad : {"", "1,", ",1", "1-", "-1", "1-2-3", " 1", "1 ", "+1", "0x1", "99999999999"})
    EXPECT_FALSE(parse_error(bad, 10).empty()) << bad;
}

TEST(ChunkList, RefusesChunksOutOfRange) {
  EXPECT_EQ(parse_error("0-9,99", 40), "chunk 99 is out of range (the file has 40 chunks)");
  EXPECT_EQ(parse_error("0-40", 40), "chunk 40 is out of range (the file has 40 chunks)");
  EXPECT_EQ(parse_error("1", 1), "chunk 1 is out of range (the file has 1 chunk)");
  EXPECT_EQ(parse_error("0", 0), "chunk 0 is out of range (the file has 0 chunks)");
  EXPECT_FALSE(parse_chunk_list("4294967295", 10, nullptr).has_value());  // no error text asked for
}

TEST(ChunkList, FormatsRanges) {
  EXPECT_EQ(format_chunk_ranges({}), "");
  EXPECT_EQ(format_chunk_ranges({0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 12}), "0-9,12");
  EXPECT_EQ(format_chunk_ranges({3, 5, 6, 8}), "3,5-6,8");
  EXPECT_EQ(parse_ok(format_chunk_ranges({1, 2, 3, 7, 9, 10}), 11), (Chunks{1, 2, 3, 7, 9, 10}));
}

TEST(ChunkSet, SetsTestsAndCounts) {
  ChunkSet set(10);
  EXPECT_EQ(set.count(), 0u);
  EXPECT_TRUE(set.set(0));
  EXPECT_FALSE(set.set(0));   // already held
  EXPECT_FALSE(set.set(10));  // past the end: ignored
  EXPECT_TRUE(set.set(9));
  EXPECT_TRUE(set.test(0));
  EXPECT_TRUE(set.test(9));
  EXPECT_FALSE(set.test(5));
  EXPECT_FALSE(set.test(100));
  EXPECT_EQ(set.count(), 2u);
  EXPECT_FALSE(set.complete());
  EXPECT_EQ(set.count_of({0, 1, 2, 9}), 2u);
  EXPECT_EQ(set.ranges(), "0,9");
}

TEST(ChunkSet, HexPutsChunkZeroInTheHighBit) {
  ChunkSet set(12);
  set.set(0);
  EXPECT_EQ(set.to_hex(), "8000");
  for (std::uint32_t i = 0; i < 10; ++i) set.set(i);
  EXPECT_EQ(set.to_hex(), "ffc0");
  set.set(11);
  EXPECT_EQ(set.to_hex(), "ffd0");
  EXPECT_EQ(ChunkSet::from_hex("80", 1)->chunks(), (Chunks{0}));
}

TEST(ChunkSet, FullSetLeavesUnusedBitsClear) {
  EXPECT_EQ(ChunkSet::full(9).to_hex(), "ff80");
  EXPECT_EQ(ChunkSet::full(8).to_hex(), "ff");
  EXPECT_EQ(ChunkSet::full(0).to_hex(), "");
  EXPECT_TRUE(ChunkSet::full(0).complete());
  EXPECT_EQ(ChunkSet::full(13).count(), 13u);
  EXPECT_EQ(ChunkSet::full(13).ranges(), "0-12");
}

TEST(ChunkSet, FromHexRoundTripsAndRefusesJunk) {
  ChunkSet set(20);
  for (std::uint32_t i : {1u, 4u, 5u, 19u}) set.set(i);
  const auto back = ChunkSet::from_hex(set.to_hex(), 20);
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(*back, set);
  EXPECT_EQ(back->count(), 4u);
  EXPECT_FALSE(ChunkSet::from_hex("ff", 9).has_value());      // too short
  EXPECT_FALSE(ChunkSet::from_hex("ff8000", 9).has_value());  // too long
  EXPECT_FALSE(ChunkSet::from_hex("ffC0", 10).has_value());   // upper case
  EXPECT_FALSE(ChunkSet::from_hex("ffzz", 10).has_value());
  EXPECT_FALSE(ChunkSet::from_hex("ffe0", 10).has_value());  // bit 10 set in a 10-chunk file
  EXPECT_TRUE(ChunkSet::from_hex("ffc0", 10).has_value());
}

}  // namespace
}  // namespace edgehub::p2p::swarm
