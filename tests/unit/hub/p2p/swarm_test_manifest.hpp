#pragma once
// Manifests for the tracker's tests: count chunks of 16 KiB (the last one
// shorter when tail > 0), digests made up from seed, the root computed.
#include <memory>
#include <string>

#include "common/sha256.hpp"
#include "hub/p2p/swarm_tracker.hpp"
#include "p2p/swarm/manifest.hpp"

namespace edgehub::hub::testing {

inline SwarmManifest make_manifest(std::uint32_t count, unsigned char seed = 1, std::uint32_t tail = 0) {
  SwarmManifest m;
  m.chunk_size = p2p::swarm::kMinChunkSize;
  m.size = std::uint64_t{count} * m.chunk_size - (tail > 0 ? m.chunk_size - tail : 0);
  for (std::uint32_t i = 0; i < count; ++i) {
    Sha256Digest d{};
    d[0] = seed;
    d[1] = static_cast<unsigned char>(i);
    d[2] = static_cast<unsigned char>(i >> 8);
    d[3] = static_cast<unsigned char>(i >> 16);
    m.chunks.push_back(d);
  }
  m.root = p2p::swarm::root_of(m.size, m.chunk_size, m.chunks);
  return m;
}

inline std::shared_ptr<const SwarmManifest> shared_manifest(std::uint32_t count, unsigned char seed = 1) {
  return std::make_shared<const SwarmManifest>(make_manifest(count, seed));
}

// The digests as the wire carries them: count * 32 raw bytes.
inline std::string digest_bytes(const SwarmManifest& m) {
  return std::string(reinterpret_cast<const char*>(m.chunks.data()), m.chunks.size() * 32);
}

}  // namespace edgehub::hub::testing
