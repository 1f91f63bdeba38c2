#include "p2p/crypto/aead.hpp"

#include <sodium.h>

#include <cstdlib>
#include <cstring>
#include <stdexcept>

namespace edgehub::p2p::crypto {
namespace {

// Chosen once per process. Both ends of a channel must choose alike: every
// edgehub on a CPU with AES-NI picks AES-256-GCM; EDGEHUB_P2P_CIPHER=
// xchacha20poly1305 makes a device use XChaCha20-Poly1305 to talk to devices
// without AES-NI (docs/SECURITY.md#end-to-end-encryption-uvf-and-swarm).
bool use_aes() {
  static const bool aes = [] {
    ensure_sodium();
    const char* forced = std::getenv("EDGEHUB_P2P_CIPHER");
    if (forced != nullptr && std::strcmp(forced, "xchacha20poly1305") == 0) return false;
    return crypto_aead_aes256gcm_is_available() != 0;
  }();
  return aes;
}

// 12-byte (GCM) or 24-byte (XChaCha) nonce: the counter, big-endian, in the last 8 bytes.
template <std::size_t N>
std::array<unsigned char, N> nonce_of(std::uint64_t counter) {
  std::array<unsigned char, N> n{};
  for (std::size_t i = 0; i < 8; ++i) n[N - 1 - i] = static_cast<unsigned char>(counter >> (8 * i));
  return n;
}

}  // namespace

struct Aead::State {
  bool aes = false;
  // The expanded AES key schedule and GHASH table (aes256gcm_beforenm), 16-byte aligned.
  alignas(16) crypto_aead_aes256gcm_state aes_state{};
  std::array<unsigned char, crypto_aead_xchacha20poly1305_ietf_KEYBYTES> chacha_key{};
  ~State() {
    sodium_memzero(&aes_state, sizeof aes_state);
    sodium_memzero(chacha_key.data(), chacha_key.size());
  }
};

void ensure_sodium() {
  static const int ok = sodium_init();
  if (ok < 0) throw std::runtime_error("libsodium failed to initialise");
}

Aead Aead::make(const std::array<std::uint8_t, 32>& key) {
  auto s = std::make_shared<State>();
  s->aes = use_aes();
  if (s->aes)
    crypto_aead_aes256gcm_beforenm(&s->aes_state, key.data());
  else
    std::memcpy(s->chacha_key.data(), key.data(), key.size());
  return Aead(std::move(s));
}

std::size_t Aead::overhead() const {
  static_assert(crypto_aead_aes256gcm_ABYTES == 16 && crypto_aead_xchacha20poly1305_ietf_ABYTES == 16);
  return 16;
}

const char* Aead::name() const { return state_->aes ? "aes256gcm" : "xchacha20poly1305"; }

void Aead::seal(std::uint64_t counter, std::span<const std::uint8_t> ad, std::span<const std::uint8_t> plain,
                std::uint8_t* out) const {
  unsigned char* tag = out + plain.size();
  if (state_->aes) {
    const auto n = nonce_of<crypto_aead_aes256gcm_NPUBBYTES>(counter);
    crypto_aead_aes256gcm_encrypt_detached_afternm(out, tag, nullptr, plain.data(), plain.size(), ad.data(), ad.size(),
                                                   nullptr, n.data(), &state_->aes_state);
    return;
  }
  const auto n = nonce_of<crypto_aead_xchacha20poly1305_ietf_NPUBBYTES>(counter);
  crypto_aead_xchacha20poly1305_ietf_encrypt_detached(out, tag, nullptr, plain.data(), plain.size(), ad.data(),
                                                      ad.size(), nullptr, n.data(), state_->chacha_key.data());
}

bool Aead::open(std::uint64_t counter, std::span<const std::uint8_t> ad, std::span<const std::uint8_t> cipher,
                std::uint8_t* out) const {
  if (cipher.size() < overhead()) return false;
  const std::size_t len = cipher.size() - overhead();
  const unsigned char* tag = cipher.data() + len;
  if (state_->aes) {
    const auto n = nonce_of<crypto_aead_aes256gcm_NPUBBYTES>(counter);
    return crypto_aead_aes256gcm_decrypt_detached_afternm(out, nullptr, cipher.data(), len, tag, ad.data(), ad.size(),
                                                          n.data(), &state_->aes_state) == 0;
  }
  const auto n = nonce_of<crypto_aead_xchacha20poly1305_ietf_NPUBBYTES>(counter);
  return crypto_aead_xchacha20poly1305_ietf_decrypt_detached(out, nullptr, cipher.data(), len, tag, ad.data(),
                                                             ad.size(), n.data(), state_->chacha_key.data()) == 0;
}

}  // namespace edgehub::p2p::crypto
