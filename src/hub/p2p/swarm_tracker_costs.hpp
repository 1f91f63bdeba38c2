#pragma once
// What each piece of the tracker's state is charged against --swarm-max-memory
// (docs/SWARM.md#limits): its payload plus a fixed estimate of the
// containers' overhead (map nodes, strings, shared_ptr control blocks).
// Every insertion adds exactly what the matching removal subtracts. The
// constants are calibrated against edgehubd's RSS (bench/swarm_tracker_memory.py):
// 5000 manifests of 16 chunks grew it by 1729 bytes each.
#include <cstddef>
#include <string>

#include "hub/p2p/swarm_tracker.hpp"

namespace edgehub::hub::swarm_cost {

inline std::size_t root(std::size_t digest_bytes) { return 640 + digest_bytes; }
inline std::size_t holder(const std::string& device, std::uint32_t chunks) {
  return 160 + device.size() + (std::size_t{chunks} + 7) / 8;
}
inline std::size_t name(const std::string& file_name) { return 384 + 2 * file_name.size(); }
inline std::size_t device(const std::string& device_name, const std::string& ip) {
  return 256 + device_name.size() + ip.size();
}
inline std::size_t ticket(const std::string& holder) { return 256 + holder.size(); }

}  // namespace edgehub::hub::swarm_cost
