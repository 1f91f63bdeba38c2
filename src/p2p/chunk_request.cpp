#include "p2p/chunk_request.hpp"

namespace edgehub::p2p {

std::string swarm_transfer_name(const Sha256Digest& root, std::uint32_t first_chunk, std::uint32_t count) {
  return "swarm:" + digest_hex(root) + ":" + std::to_string(first_chunk) + "+" + std::to_string(count);
}

}  // namespace edgehub::p2p
