// BlockCache: reads across blocks, one fill per block held, a failed fill
// holds nothing, and blocks reused from the thread's pool
// (docs/SWARM.md#4-peer-wire).
#include "p2p/swarm/block_cache.hpp"

#include <gtest/gtest.h>

#include <stdexcept>
#include <vector>

namespace edgehub::p2p::swarm {
namespace {

constexpr std::uint64_t kBlock = BlockCache::kBlock;

// The range's byte at `at`: a pattern that differs from block to block.
std::uint8_t byte_at(std::uint64_t at) { return static_cast<std::uint8_t>(at * 7 + at / kBlock); }

struct CountingFill {
  std::vector<std::uint64_t> starts;
  std::vector<const std::uint8_t*> memory;
  void operator()(std::uint64_t start, std::span<std::uint8_t> out) {
    starts.push_back(start);
    memory.push_back(out.data());
    for (std::size_t i = 0; i < out.size(); ++i) out[i] = byte_at(start + i);
  }
};

TEST(BlockCache, ReadsAcrossBlocksAndFillsEachBlockOnce) {
  const std::uint64_t length = 2 * kBlock + 1000;  // the last block short
  BlockCache cache(length);
  CountingFill fill;
  std::vector<std::uint8_t> out(3000);
  cache.read(kBlock - 1000, out, [&](auto s, auto o) { fill(s, o); });
  for (std::size_t i = 0; i < out.size(); ++i) ASSERT_EQ(out[i], byte_at(kBlock - 1000 + i)) << i;
  EXPECT_EQ(fill.starts, (std::vector<std::uint64_t>{0, kBlock}));
  cache.read(kBlock + 5, std::span(out).first(100), [&](auto s, auto o) { fill(s, o); });
  EXPECT_EQ(fill.starts.size(), 2u);  // held already
  std::vector<std::uint8_t> tail(1000);
  cache.read(2 * kBlock, tail, [&](auto s, auto o) { fill(s, o); });
  EXPECT_EQ(tail.back(), byte_at(length - 1));
  EXPECT_THROW(cache.read(length - 10, std::span(out).first(11), [&](auto s, auto o) { fill(s, o); }),
               std::runtime_error);
}

TEST(BlockCache, AFailedFillHoldsNothing) {
  BlockCache cache(kBlock);
  std::vector<std::uint8_t> out(10);
  EXPECT_THROW(cache.read(0, out, [](auto, auto) { throw std::runtime_error("the file changed"); }),
               std::runtime_error);
  CountingFill fill;
  cache.read(0, out, [&](auto s, auto o) { fill(s, o); });
  EXPECT_EQ(fill.starts.size(), 1u);
  EXPECT_EQ(out[3], byte_at(3));
}

TEST(BlockCache, ADestroyedCachesBlocksServeTheNext) {
  CountingFill first, second;
  std::vector<std::uint8_t> out(10);
  {
    BlockCache cache(kBlock);
    cache.read(0, out, [&](auto s, auto o) { first(s, o); });
  }
  BlockCache cache(kBlock);
  cache.read(0, out, [&](auto s, auto o) { second(s, o); });
  EXPECT_EQ(second.memory.at(0), first.memory.at(0));
}

}  // namespace
}  // namespace edgehub::p2p::swarm
