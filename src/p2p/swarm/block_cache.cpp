#include "p2p/swarm/block_cache.hpp"

#include <vector>

namespace edgehub::p2p::swarm {
namespace {

struct BlockPool {
  std::vector<std::unique_ptr<std::uint8_t[]>> spare;
  BlockPool() { spare.reserve(BlockCache::kPooledBlocks); }  // so that give_back never allocates
};

BlockPool& pool() {
  thread_local BlockPool blocks;
  return blocks;
}

}  // namespace

BlockCache::~BlockCache() {
  for (Way& way : ways_) give_back(std::move(way.data));
}

std::unique_ptr<std::uint8_t[]> BlockCache::take_block() {
  auto& spare = pool().spare;
  if (spare.empty()) return std::make_unique_for_overwrite<std::uint8_t[]>(kBlock);
  auto block = std::move(spare.back());
  spare.pop_back();
  return block;
}

void BlockCache::give_back(std::unique_ptr<std::uint8_t[]> block) noexcept {
  auto& spare = pool().spare;
  if (block && spare.size() < kPooledBlocks) spare.push_back(std::move(block));  // within the reserved capacity
}

}  // namespace edgehub::p2p::swarm
