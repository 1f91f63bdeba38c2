#pragma once
// What each piece of the tracker's state is charged against --swarm-max-memory
// (docs/SWARM.md#limits): its payload plus a fixed estimate of the
// containers' overhead (map nodes, strings, shared_ptr control blocks).
// Every insertion adds exactly what the matching removal subtracts.
#include <cstddef>
#include <string>

#include "hub/p2p/swarm_tracker.hpp"

namespace edgehub::hub::swarm_cost {

inline std::size_t root(std::size_t digest_bytes) { return 256 + digest_bytes; }
inline std::size_t holder(const std::string& device, std::uint32_t chunks) {
  return 96 + device.size() + (std::size_t{chunks} + 7) / 8;
}
inline std::size_t name(const std::string& file_name) { return 160 + 2 * file_name.size(); }
inline std::size_t device(const std::string& device_name, const std::string& ip) {
  return 192 + device_name.size() + ip.size();
}
inline std::size_t ticket(const std::string& holder) { return 192 + holder.size(); }

}  // namespace edgehub::hub::swarm_cost
