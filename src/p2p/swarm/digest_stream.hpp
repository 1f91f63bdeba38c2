#pragma once
// A manifest as it travels to the tracker (docs/SWARM.md#share): the line
// "share SIZE CHUNKSIZE ROOT NAME" gives the geometry and the root, then
// $N blocks carry the raw 32-byte chunk digests, split anyhow. This
// collects them without ever holding more than the manifest needs, and
// says at the end whether they make a consistent manifest. Pure code.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "p2p/swarm/manifest.hpp"

namespace edgehub::p2p::swarm {

// Why a share line's geometry is refused, or empty: the chunk size must be
// a power of two from 16 KiB to 16 MiB and the file not empty.
std::string geometry_problem(std::uint64_t size, std::uint32_t chunk_size);

class DigestStream {
 public:
  // Expects chunk_count_for(size, chunk_size) digests. The geometry must be
  // acceptable (geometry_problem() empty).
  DigestStream(std::uint64_t size, std::uint32_t chunk_size, const Sha256Digest& root);

  // One block's bytes; bytes past the expected count are counted, not kept.
  void add(std::string_view bytes);
  std::uint64_t expected_bytes() const { return expected_; }
  std::uint64_t received_bytes() const { return received_; }

  // At the end of the stream: the manifest, or what is wrong with it
  // (a digest count that does not match, a root that does not match).
  std::variant<Manifest, std::string> finish();

 private:
  Manifest manifest_;
  std::uint64_t expected_ = 0;
  std::uint64_t received_ = 0;
  std::string buffer_;
};

}  // namespace edgehub::p2p::swarm
