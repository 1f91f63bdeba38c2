#pragma once
// Ephemeral X25519 key agreement for end-to-end encryption between devices
// (docs/SECURITY.md#end-to-end-encryption-private-sessions-and-verify).
// libsodium crypto_kx: each side makes a fresh key pair per session or
// transfer, the hub relays only the public keys, and both sides derive the
// same pair of one-way keys. A context (a one-time token, a ticket) is hashed
// into the keys with BLAKE2b, so keys for one session never serve another.
// Call sodium_init() once at process start before using these.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "p2p/crypto/aead.hpp"

namespace edgehub::p2p::crypto {

using PublicKey = std::array<std::uint8_t, 32>;

struct KxKeyPair {
  PublicKey public_key;
  std::array<std::uint8_t, 32> secret_key;
};

// A fresh random key pair (crypto_kx_keypair).
KxKeyPair make_kx_keypair();

// How a public key travels on the wire: 64 lower-case hex digits.
std::string encode_public_key(const PublicKey& pk);
// The key, or nullopt unless s is exactly 64 hex digits (either case).
std::optional<PublicKey> decode_public_key(std::string_view s);

// rx decrypts what the other side sends, tx encrypts what this side sends:
// one side's tx equals the other side's rx. cipher: what the AEAD runs, the
// one negotiated for UVF and swarm (p2p/crypto/cipher_choice.hpp), else the
// process default.
struct SessionKeys {
  std::array<std::uint8_t, 32> rx, tx;
  Cipher cipher = default_cipher();
};

// is_initiator picks crypto_kx's client role (the other side must pass the
// opposite). nullopt when theirs is a low-order point (all-zero shared secret).
std::optional<SessionKeys> derive_session_keys(const KxKeyPair& mine, const PublicKey& theirs, bool is_initiator,
                                               std::string_view context);

// What two users compare over another channel to rule out a substituted key:
// six groups of five digits ("12345 67890 ..."), about 99 bits, the same for
// (a, b) and (b, a). Long because the keys are exchanged without a commitment,
// so a key-substituting hub could search for a collision of a short string.
std::string short_authentication_string(const PublicKey& a, const PublicKey& b);

}  // namespace edgehub::p2p::crypto
