#pragma once
// What a swarm ChunkSource reads a range through (docs/SWARM.md#4-peer-wire):
// blocks of 1 MiB, direct-mapped over 4 ways. A transfer reads one
// datagram's worth at a time; whole blocks save a system call per datagram,
// and retransmissions stay within a few blocks.
//
// The blocks' memory comes from a small per-thread pool and goes back to it
// when the cache is destroyed, not zeroed: each transfer used to allocate
// and zero its own, and on the test VMs a fresh MiB faults in 256 pages into
// the hypervisor: a seeder's first datagram left 10 ms after the request
// (6 December, docs/BENCHMARKS.md#reading-the-swarm-figures).
//
// Threading: one thread at a time; the pool is the calling thread's.
#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <stdexcept>

#include "p2p/swarm/buffer_pool.hpp"

namespace edgehub::p2p::swarm {

class BlockCache {
 public:
  static constexpr std::size_t kBlock = 1 << 20;
  static constexpr std::size_t kWays = 4;
  static constexpr std::size_t kPooledBlocks = 16;  // per thread, kept for the next caches

  explicit BlockCache(std::uint64_t length) : length_(length) {}
  ~BlockCache();
  BlockCache(const BlockCache&) = delete;
  BlockCache& operator=(const BlockCache&) = delete;

  std::uint64_t size() const { return length_; }

  // Copies [offset, offset + out.size()) of the range into out. A block not
  // held is read with fill(start, bytes): bytes [start, start + bytes.size())
  // of the range, or an exception, which leaves the block not held.
  template <class Fill>
  void read(std::uint64_t offset, std::span<std::uint8_t> out, Fill&& fill) {
    if (offset + out.size() > length_) throw std::runtime_error("read past the end of the range");
    std::size_t done = 0;
    while (done < out.size()) {
      const auto pos = offset + done;
      const std::span<const std::uint8_t> b = block(pos / kBlock, fill);
      const auto in_block = static_cast<std::size_t>(pos % kBlock);
      const auto n = std::min(out.size() - done, b.size() - in_block);
      std::memcpy(out.data() + done, b.data() + in_block, n);
      done += n;
    }
  }

 private:
  struct Way {
    BufferPool::Buffer data;  // kBlock bytes once used
    std::size_t size = 0;
    std::uint64_t index_plus_one = 0;  // 0: nothing held
  };

  template <class Fill>
  std::span<const std::uint8_t> block(std::uint64_t index, Fill& fill) {
    Way& way = ways_[static_cast<std::size_t>(index % kWays)];
    if (way.index_plus_one == index + 1) return {way.data.get(), way.size};
    if (!way.data) way.data = pool().take();
    const std::uint64_t start = index * kBlock;
    way.index_plus_one = 0;
    way.size = static_cast<std::size_t>(std::min<std::uint64_t>(kBlock, length_ - start));
    fill(start, std::span<std::uint8_t>(way.data.get(), way.size));
    way.index_plus_one = index + 1;
    return {way.data.get(), way.size};
  }

  static BufferPool& pool();  // the calling thread's

  std::uint64_t length_;
  std::array<Way, kWays> ways_{};
};

}  // namespace edgehub::p2p::swarm
