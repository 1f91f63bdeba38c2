#pragma once
// One end-to-end encrypted EHT conversation (docs/UDP.md#14-end-to-end-encryption):
// a UVF transfer, or a swarm REQUEST and the transfer that answers it. Its two
// one-way keys come from the devices' key exchange through the hub
// (SessionKeys, bound to the ticket) and a random salt the initiator picks,
// so no two conversations share a key even when a ticket is reused. Each
// datagram is sealed with the next value of a 64-bit counter (its nonce);
// received counters pass a ReplayWindow. Pure: no sockets, no clocks.
//
// Sealed datagram (version 2): the 8-byte header, the counter, and for dest
// conn id 0 (SYN, REQUEST) the ticket and salt that name the keys, all in
// clear and authenticated as associated data; then the body as in version 1,
// encrypted, and the 16-byte tag instead of the CRC32C.
#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "p2p/crypto/aead.hpp"
#include "p2p/crypto/key_exchange.hpp"
#include "p2p/crypto/replay_window.hpp"

namespace edgehub::p2p::crypto {

inline constexpr std::uint8_t kSealedVersion = 2;
inline constexpr std::size_t kCounterSize = 8;
inline constexpr std::size_t kSaltSize = 16;
inline constexpr std::size_t kTagSize = 16;
// What sealing adds to a version-1 datagram without its CRC32C: counter and tag.
inline constexpr std::size_t kSealOverhead = kCounterSize + kTagSize;
using Salt = std::array<std::uint8_t, kSaltSize>;

Salt random_salt();

// The clear parts of a sealed datagram; spans point into it.
struct SealedView {
  std::uint8_t type = 0, flags = 0;
  std::uint32_t dest_conn = 0;
  std::uint64_t counter = 0;
  std::string_view ticket;  // dest conn id 0 only
  Salt salt{};              // dest conn id 0 only
  std::span<const std::uint8_t> ad, cipher;
};

// Splits a version-2 datagram; nullopt if it is not one or too short.
std::optional<SealedView> parse_sealed(std::span<const std::uint8_t> datagram);

class Channel {
 public:
  // keys: this side's (rx opens what the peer sends, tx seals what it sends).
  Channel(const SessionKeys& keys, const Salt& salt, std::string ticket);

  // Seals a version-1 datagram made without its CRC32C (encode(..., false))
  // into out; returns the sealed size, 0 if out is too small.
  std::size_t seal(std::span<const std::uint8_t> plain, std::span<std::uint8_t> out);

  enum class Verdict { ok, forged, replayed };
  // Opens into out the version-1 datagram without CRC32C (for decode(...,
  // false)), setting n to its size. A forged or replayed datagram leaves the
  // channel as it was.
  Verdict open(const SealedView& v, std::span<std::uint8_t> out, std::size_t& n);

  const Salt& salt() const { return salt_; }
  const std::string& ticket() const { return ticket_; }
  const char* cipher() const { return tx_.name(); }

 private:
  Aead tx_, rx_;
  Salt salt_;
  std::string ticket_;
  std::uint64_t next_counter_ = 0;
  ReplayWindow window_;
};

}  // namespace edgehub::p2p::crypto
