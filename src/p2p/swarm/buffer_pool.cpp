#include "p2p/swarm/buffer_pool.hpp"

#include <new>

namespace edgehub::p2p::swarm {

BufferPool::BufferPool(std::size_t bytes, std::size_t kept)
    : bytes_((bytes + kAlign - 1) / kAlign * kAlign), kept_(kept) {
  spare_.reserve(kept_);
}

BufferPool::Buffer BufferPool::take() {
  if (!spare_.empty()) {
    Buffer buffer = std::move(spare_.back());
    spare_.pop_back();
    return buffer;
  }
  Buffer buffer(static_cast<std::uint8_t*>(std::aligned_alloc(kAlign, bytes_)));
  if (!buffer) throw std::bad_alloc();
  return buffer;
}

void BufferPool::give_back(Buffer buffer) noexcept {
  if (buffer && spare_.size() < kept_) spare_.push_back(std::move(buffer));  // within the reserved capacity
}

}  // namespace edgehub::p2p::swarm
