#pragma once
// The encrypted records of a private session
// (docs/MESSAGING.md#private-sessions, docs/SECURITY.md#end-to-end-encryption-private-sessions-and-verify).
// After the clear handshake every line travels as one record:
//   4-byte big-endian LENGTH, then LENGTH bytes of AEAD output (the line,
//   without "\n", then the 16-byte tag); the 4 length bytes are the
//   additional data, the nonce is the record's number in its direction
//   (0, 1, 2...), so a record dropped, repeated, reordered or changed on the
//   way fails to open. Pure: no sockets, so the unit tests drive it.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "p2p/crypto/aead.hpp"
#include "p2p/crypto/cipher_choice.hpp"
#include "p2p/crypto/key_exchange.hpp"

namespace edgehub::client {

// Who is who in one session: the initiator asked (startprivate) and
// connects; the listener accepted and listens.
struct PrivateParties {
  std::string initiator;
  std::string listener;
  std::string token;  // the one-time token the listener chose
};

// Both directions' state of one session. Not thread-safe: the client's I/O
// thread owns it.
class PrivateCipher {
 public:
  // nullopt when theirs is a bad (low-order) key.
  // The cipher is negotiated as UVF's (p2p/crypto/cipher_choice.hpp): the
  // first of kCipherOrder that my_offer and theirs.offer both name, both
  // offers bound into the keys; a peer that offered none (an older client
  // or hub) gets the process default and the keys of before negotiation.
  static std::optional<PrivateCipher> make(const p2p::crypto::KxKeyPair& mine, std::string_view my_offer,
                                           const p2p::crypto::PeerKey& theirs, bool is_initiator,
                                           const PrivateParties& parties);

  // One record carrying line (no "\n"); each call uses the next number.
  std::string seal(std::string_view line);

  struct NeedMore {};
  struct Bad {
    std::string why;
  };
  using Opened = std::string;  // the line
  // Takes one whole record from the front of buffer and opens it: the line,
  // NeedMore (buffer unchanged), or Bad (an oversized length, or a record
  // that fails authentication: nothing of it is returned).
  std::variant<Opened, NeedMore, Bad> open(std::string& buffer);

  // "aes256gcm" or "xchacha20poly1305": what the records run.
  const char* cipher_name() const { return tx_.name(); }

  // The short authentication string of the two public keys (`verify`).
  const std::string& sas() const { return sas_; }

 private:
  PrivateCipher(p2p::crypto::Aead tx, p2p::crypto::Aead rx, std::string sas)
      : tx_(std::move(tx)), rx_(std::move(rx)), sas_(std::move(sas)) {}

  p2p::crypto::Aead tx_, rx_;
  std::uint64_t sent_ = 0, received_ = 0;
  std::string sas_;
};

// The session keys' context: the hello's protocol, both names and the token.
std::string private_key_context(const PrivateParties& parties);

}  // namespace edgehub::client
