// Fuzz target for the EHT packet decoder (src/p2p/packet.*). Any input must
// decode or fail cleanly; a packet that decodes must re-encode to the very
// same bytes (the format has exactly one encoding per packet). Each input is
// tried twice: as is, and with a correct CRC32C trailer patched in, so the
// fuzzer also reaches the body decoders instead of stopping at the checksum.
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <span>
#include <vector>

#include "p2p/crc32c.hpp"
#include "p2p/packet.hpp"

namespace {

void check(std::span<const std::uint8_t> in) {
  auto r = edgehub::p2p::decode(in);
  if (!r.ok()) return;
  auto again = edgehub::p2p::encode(r.packet());
  if (again.size() != in.size() || std::memcmp(again.data(), in.data(), in.size()) != 0) std::abort();
}

std::vector<std::uint8_t> with_valid_crc(std::span<const std::uint8_t> in) {
  std::vector<std::uint8_t> v(in.begin(), in.end());
  if (v.size() < edgehub::p2p::kTrailerSize) return v;
  auto body = v.size() - edgehub::p2p::kTrailerSize;
  auto crc = edgehub::p2p::crc32c(v.data(), body);
  for (int i = 0; i < 4; ++i) v[body + static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(crc >> (24 - 8 * i));
  return v;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto in = std::span<const std::uint8_t>(data, size);
  check(in);
  check(with_valid_crc(in));
  return 0;
}
