#include "p2p/swarm/block_cache.hpp"

namespace edgehub::p2p::swarm {

BufferPool& BlockCache::pool() {
  thread_local BufferPool blocks(kBlock, kPooledBlocks);
  return blocks;
}

BlockCache::~BlockCache() {
  for (Way& way : ways_) pool().give_back(std::move(way.data));
}

}  // namespace edgehub::p2p::swarm
