// Fuzz target for the EHT packet decoder (src/p2p/packet.*). Any input must
// decode or fail cleanly; a packet that decodes must re-encode to the very
// same bytes (the format has exactly one encoding per packet).
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <span>

#include "p2p/packet.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto in = std::span<const std::uint8_t>(data, size);
  auto r = edgehub::p2p::decode(in);
  if (!r.ok()) return 0;
  auto again = edgehub::p2p::encode(r.packet());
  if (again.size() != size || std::memcmp(again.data(), data, size) != 0) std::abort();
  return 0;
}
