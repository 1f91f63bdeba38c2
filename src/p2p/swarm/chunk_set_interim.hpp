#pragma once
// Stand-in for ChunkSet (src/p2p/swarm/chunk_ranges.hpp, branch swarm-tracker)
// until that branch lands on main; same member names, in its own namespace so
// the two never collide. Removed when the real one is merged.
#include <cstdint>
#include <vector>

namespace edgehub::p2p::swarm::interim {

class ChunkSet {
 public:
  ChunkSet() = default;
  explicit ChunkSet(std::uint32_t size) : bits_(size, false) {}
  std::uint32_t size() const { return static_cast<std::uint32_t>(bits_.size()); }
  bool test(std::uint32_t i) const { return i < bits_.size() && bits_[i]; }
  void set(std::uint32_t i) {
    if (i < bits_.size()) bits_[i] = true;
  }
  std::uint32_t count() const {
    std::uint32_t n = 0;
    for (bool b : bits_) n += b ? 1 : 0;
    return n;
  }

 private:
  std::vector<bool> bits_;
};

}  // namespace edgehub::p2p::swarm::interim
