// Fuzz target for the EHT packet decoders (src/p2p/packet.*, and the sealed
// version 2 of src/p2p/crypto/channel.*, docs/UDP.md#14-end-to-end-encryption).
// Any input must decode or fail cleanly; a packet that decodes must
// re-encode to the very same bytes (the format has exactly one encoding per
// packet). Each input is tried as a version-1 datagram as is and with a
// correct CRC32C trailer patched in (so the fuzzer reaches the body decoders),
// as the body of an opened datagram (no trailer), and as a sealed datagram
// opened with fixed test keys (the seeds named sealed_* open with them). A
// packet that decodes must also survive sealing and opening unchanged.
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <span>
#include <vector>

#include "p2p/crc32c.hpp"
#include "p2p/crypto/channel.hpp"
#include "p2p/packet.hpp"

namespace {

namespace p2p = edgehub::p2p;
namespace crypto = edgehub::p2p::crypto;

void require(bool ok) {
  if (!ok) std::abort();
}

// Seals the packet with one side's channel and opens it with the other's.
void seal_round_trip(const p2p::Packet& p) {
  static crypto::Channel sender(crypto::SessionKeys{std::array<std::uint8_t, 32>{1}, std::array<std::uint8_t, 32>{2}},
                                crypto::Salt{}, "fuzz");
  static crypto::Channel receiver(crypto::SessionKeys{std::array<std::uint8_t, 32>{2}, std::array<std::uint8_t, 32>{1}},
                                  crypto::Salt{}, "fuzz");
  const auto plain = p2p::encode(p, false);
  if (plain.empty()) return;
  std::vector<std::uint8_t> sealed(plain.size() + 512), opened(p2p::kMaxDatagram);
  const std::size_t n = sender.seal(plain, sealed);
  if (n == 0) return;  // too big once sealed
  const auto view = crypto::parse_sealed(std::span<const std::uint8_t>(sealed).first(n));
  require(view.has_value());
  std::size_t m = 0;
  require(receiver.open(*view, opened, m) == crypto::Channel::Verdict::ok);
  require(m == plain.size() && std::memcmp(opened.data(), plain.data(), m) == 0);
}

void check(std::span<const std::uint8_t> in, bool trailer) {
  auto r = p2p::decode(in, trailer);
  if (!r.ok()) return;
  auto again = p2p::encode(r.packet(), trailer);
  require(again.size() == in.size() && std::memcmp(again.data(), in.data(), in.size()) == 0);
  seal_round_trip(r.packet());
}

// Opens with the keys the sealed_* seeds were made with (initiator's rx =
// 0x01..., as tests/integration/eht_crypto.py seals with tx = 0x01...).
void check_sealed(std::span<const std::uint8_t> in) {
  const auto view = crypto::parse_sealed(in);
  if (!view) return;
  crypto::Channel fixed(crypto::SessionKeys{std::array<std::uint8_t, 32>{1}, std::array<std::uint8_t, 32>{2}},
                        view->salt, "fuzz");
  std::vector<std::uint8_t> out(p2p::kMaxDatagram);
  std::size_t n = 0;
  if (fixed.open(*view, out, n) != crypto::Channel::Verdict::ok) return;
  check(std::span<const std::uint8_t>(out).first(n), false);
}

std::vector<std::uint8_t> with_valid_crc(std::span<const std::uint8_t> in) {
  std::vector<std::uint8_t> v(in.begin(), in.end());
  if (v.size() < p2p::kTrailerSize) return v;
  auto body = v.size() - p2p::kTrailerSize;
  auto crc = p2p::crc32c(v.data(), body);
  for (int i = 0; i < 4; ++i) v[body + static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(crc >> (24 - 8 * i));
  return v;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto in = std::span<const std::uint8_t>(data, size);
  check(in, true);
  check(with_valid_crc(in), true);
  check(in, false);
  check_sealed(in);
  return 0;
}
