#pragma once
// Buffers of one size, handed out and taken back, never zeroed: a swarm
// download's chunk buffers (PartFile) and a seeder's read blocks
// (BlockCache). Allocating them per transfer faulted in fresh pages, which
// on the test VMs fault into the hypervisor (6 December,
// docs/BENCHMARKS.md#reading-the-swarm-figures). Buffers are aligned to
// 4 KiB and their size rounded up to it, so they suit O_DIRECT writes.
//
// Threading: not thread-safe; one thread at a time.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <vector>

namespace edgehub::p2p::swarm {

class BufferPool {
 public:
  static constexpr std::size_t kAlign = 4096;
  struct Free {
    void operator()(std::uint8_t* p) const noexcept { std::free(p); }
  };
  using Buffer = std::unique_ptr<std::uint8_t, Free>;

  // Buffers of at least `bytes`; up to `kept` given back are kept.
  BufferPool(std::size_t bytes, std::size_t kept);

  // A kept buffer, or a new one; throws std::bad_alloc.
  Buffer take();
  // Kept if there is room, else freed. Never allocates.
  void give_back(Buffer buffer) noexcept;

 private:
  std::size_t bytes_;
  std::size_t kept_;
  std::vector<Buffer> spare_;  // capacity kept_, reserved up front
};

}  // namespace edgehub::p2p::swarm
