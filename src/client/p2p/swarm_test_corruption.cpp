#include "client/p2p/swarm_test_corruption.hpp"

#include <cstdlib>
#include <string_view>

namespace edgehub::client::swarm {
namespace {

class CorruptingSource final : public p2p::ChunkSource {
 public:
  CorruptingSource(std::unique_ptr<p2p::ChunkSource> inner, std::uint32_t chunk_size)
      : inner_(std::move(inner)), chunk_size_(chunk_size) {}
  std::uint64_t size() const override { return inner_->size(); }
  void read(std::uint64_t offset, std::span<std::uint8_t> out) override {
    inner_->read(offset, out);
    for (std::uint64_t at = (offset + chunk_size_ - 1) / chunk_size_ * chunk_size_; at < offset + out.size();
         at += chunk_size_)
      out[at - offset] ^= 0xff;
  }

 private:
  std::unique_ptr<p2p::ChunkSource> inner_;
  std::uint64_t chunk_size_;
};

}  // namespace

bool corrupt_chunks_for_tests() {
  static const bool on = [] {
    const char* v = std::getenv("EDGEHUB_TEST_CORRUPT_CHUNKS");
    return v != nullptr && std::string_view(v) == "1";
  }();
  return on;
}

std::unique_ptr<p2p::ChunkSource> corrupting(std::unique_ptr<p2p::ChunkSource> source, std::uint32_t chunk_size) {
  if (!source || chunk_size == 0) return source;
  return std::make_unique<CorruptingSource>(std::move(source), chunk_size);
}

}  // namespace edgehub::client::swarm
