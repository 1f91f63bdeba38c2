#include "p2p/swarm/digest_stream.hpp"

#include <algorithm>
#include <bit>
#include <cstring>

#include <fmt/format.h>

namespace edgehub::p2p::swarm {

std::string geometry_problem(std::uint64_t size, std::uint32_t chunk_size) {
  // The same checks and words as manifest_problem(), before any digest.
  if (size == 0) return "the file is empty";
  if (chunk_size < kMinChunkSize || chunk_size > kMaxChunkSize || !std::has_single_bit(chunk_size))
    return "the chunk size must be a power of two from 16 KiB to 16 MiB";
  return {};
}

DigestStream::DigestStream(std::uint64_t size, std::uint32_t chunk_size, const Sha256Digest& root)
    : expected_(chunk_count_for(size, chunk_size) * 32) {
  manifest_.size = size;
  manifest_.chunk_size = chunk_size;
  manifest_.root = root;
}

void DigestStream::add(std::string_view bytes) {
  const std::uint64_t room = expected_ > buffer_.size() ? expected_ - buffer_.size() : 0;
  buffer_.append(bytes.substr(0, static_cast<std::size_t>(std::min<std::uint64_t>(room, bytes.size()))));
  received_ += bytes.size();
}

std::variant<Manifest, std::string> DigestStream::finish() {
  const std::uint64_t count = expected_ / 32;
  if (received_ != expected_)
    return fmt::format("expected {} bytes of chunk hashes ({} chunks of {} bytes in {} bytes), got {}", expected_,
                       count, manifest_.chunk_size, manifest_.size, received_);
  manifest_.chunks.resize(count);
  for (std::uint64_t i = 0; i < count; ++i) std::memcpy(manifest_.chunks[i].data(), buffer_.data() + 32 * i, 32);
  buffer_.clear();
  buffer_.shrink_to_fit();
  if (std::string problem = manifest_problem(manifest_); !problem.empty()) return problem;
  return std::move(manifest_);
}

}  // namespace edgehub::p2p::swarm
