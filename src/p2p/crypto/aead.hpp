#pragma once
// One AEAD key for one direction of an end-to-end encrypted peer-to-peer
// channel (docs/UDP.md#14-end-to-end-encryption, docs/SECURITY.md#end-to-end-encryption-uvf-and-swarm):
// AES-256-GCM (OpenSSL) or XChaCha20-Poly1305 (libsodium), as the two ends
// negotiated (p2p/crypto/cipher_choice.hpp) or, where nothing is
// negotiated, the process default (AES-256-GCM unless
// EDGEHUB_P2P_CIPHER=xchacha20poly1305; both ends must agree). The
// nonce is the 64-bit counter the caller gives (the datagram's or record's
// sequence number), zero-padded, so the caller must never use a counter
// twice with one key: GCM loses both secrecy and integrity on a repeat.
#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>

namespace edgehub::p2p::crypto {

enum class Cipher : std::uint8_t { aes256gcm, xchacha20poly1305 };

// "aes256gcm" or "xchacha20poly1305".
const char* cipher_name(Cipher c);
// The process default where no choice was negotiated: EDGEHUB_P2P_CIPHER,
// else AES-256-GCM.
Cipher default_cipher();

class Aead {
 public:
  static Aead make(const std::array<std::uint8_t, 32>& key, Cipher cipher = default_cipher());

  // Tag bytes appended to every sealed message (16 for both ciphers).
  std::size_t overhead() const;
  // Writes plain.size() + overhead() bytes to out (ciphertext, then tag).
  // out may equal plain.data() (in place), but must not otherwise overlap.
  void seal(std::uint64_t counter, std::span<const std::uint8_t> ad, std::span<const std::uint8_t> plain,
            std::uint8_t* out) const;
  // Writes cipher.size() - overhead() bytes to out; false (out unspecified)
  // if the tag does not match the key, counter, AD and ciphertext, or cipher
  // is shorter than the tag.
  bool open(std::uint64_t counter, std::span<const std::uint8_t> ad, std::span<const std::uint8_t> cipher,
            std::uint8_t* out) const;
  // "aes256gcm" or "xchacha20poly1305".
  const char* name() const;

  struct State;

 private:
  explicit Aead(std::shared_ptr<const State> s) : state_(std::move(s)) {}
  std::shared_ptr<const State> state_;  // immutable once made: copies share it
};

// Makes libsodium usable (sodium_init); cheap after the first call. Aead::make calls it.
void ensure_sodium();

}  // namespace edgehub::p2p::crypto
