#pragma once
// The swarm tracker's limits (docs/SWARM.md#limits), set by edgehubd's
// --swarm-max-files, --swarm-max-chunks, --swarm-max-manifest-bytes and
// --swarm-max-memory.
#include <cstddef>
#include <cstdint>

namespace edgehub::hub {

struct SwarmLimits {
  std::size_t max_files = 1000;                      // names per device (shared or being downloaded)
  std::uint32_t max_chunks = 65536;                  // chunks of one manifest
  std::size_t max_manifest_bytes = 2 * 1024 * 1024;  // digest bytes of one manifest
  std::size_t max_memory = 256 * 1024 * 1024;        // the tracker's whole state, estimated
};

}  // namespace edgehub::hub
