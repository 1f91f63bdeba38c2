#include "p2p/crypto/aead.hpp"

#include <openssl/evp.h>
#include <sodium.h>

#include <cstdlib>
#include <cstring>
#include <mutex>
#include <stdexcept>

namespace edgehub::p2p::crypto {
namespace {

// 12-byte (GCM) or 24-byte (XChaCha) nonce: the counter, big-endian, in the last 8 bytes.
template <std::size_t N>
std::array<unsigned char, N> nonce_of(std::uint64_t counter) {
  std::array<unsigned char, N> n{};
  for (std::size_t i = 0; i < 8; ++i) n[N - 1 - i] = static_cast<unsigned char>(counter >> (8 * i));
  return n;
}

}  // namespace

// AES-256-GCM runs through OpenSSL 3's EVP rather than libsodium's: the same
// cipher and wire format (12-byte nonce, 16-byte tag), but OpenSSL uses
// VAES/AVX-512 where the CPU has them and was about 4 times faster here,
// which is what keeps encrypted EHT near plaintext speed
// (docs/BENCHMARKS.md#end-to-end-encrypted-udp). One context per direction
// of use, keyed once; the mutex makes a shared Aead safe to use from two
// threads (uncontended, it costs nanoseconds per datagram).
struct Aead::State {
  bool aes = false;
  EVP_CIPHER_CTX* enc = nullptr;
  EVP_CIPHER_CTX* dec = nullptr;
  mutable std::mutex mutex;
  std::array<unsigned char, crypto_aead_xchacha20poly1305_ietf_KEYBYTES> chacha_key{};
  ~State() {
    EVP_CIPHER_CTX_free(enc);  // clears the key schedule
    EVP_CIPHER_CTX_free(dec);
    sodium_memzero(chacha_key.data(), chacha_key.size());
  }
};

const char* cipher_name(Cipher c) { return c == Cipher::aes256gcm ? "aes256gcm" : "xchacha20poly1305"; }

// Chosen once per process, for what is not negotiated (private sessions,
// udp_send, a peer whose client predates negotiation): both ends must choose
// alike, so it never depends on the CPU (docs/UDP.md#14-end-to-end-encryption).
Cipher default_cipher() {
  static const Cipher c = [] {
    const char* forced = std::getenv("EDGEHUB_P2P_CIPHER");
    return forced != nullptr && std::strcmp(forced, "xchacha20poly1305") == 0 ? Cipher::xchacha20poly1305
                                                                              : Cipher::aes256gcm;
  }();
  return c;
}

void ensure_sodium() {
  static const int ok = sodium_init();
  if (ok < 0) throw std::runtime_error("libsodium failed to initialise");
}

Aead Aead::make(const std::array<std::uint8_t, 32>& key, Cipher cipher) {
  ensure_sodium();
  auto s = std::make_shared<State>();
  s->aes = cipher == Cipher::aes256gcm;
  if (!s->aes) {
    std::memcpy(s->chacha_key.data(), key.data(), key.size());
    return Aead(std::move(s));
  }
  s->enc = EVP_CIPHER_CTX_new();
  s->dec = EVP_CIPHER_CTX_new();
  if (s->enc == nullptr || s->dec == nullptr ||
      EVP_EncryptInit_ex(s->enc, EVP_aes_256_gcm(), nullptr, key.data(), nullptr) != 1 ||
      EVP_DecryptInit_ex(s->dec, EVP_aes_256_gcm(), nullptr, key.data(), nullptr) != 1)
    throw std::runtime_error("OpenSSL could not set up AES-256-GCM");
  return Aead(std::move(s));
}

std::size_t Aead::overhead() const {
  static_assert(crypto_aead_aes256gcm_ABYTES == 16 && crypto_aead_xchacha20poly1305_ietf_ABYTES == 16);
  return 16;
}

const char* Aead::name() const { return cipher_name(state_->aes ? Cipher::aes256gcm : Cipher::xchacha20poly1305); }

void Aead::seal(std::uint64_t counter, std::span<const std::uint8_t> ad, std::span<const std::uint8_t> plain,
                std::uint8_t* out) const {
  unsigned char* tag = out + plain.size();
  if (state_->aes) {
    const auto n = nonce_of<crypto_aead_aes256gcm_NPUBBYTES>(counter);
    std::lock_guard lock(state_->mutex);
    EVP_CIPHER_CTX* c = state_->enc;
    int len = 0;
    bool ok = EVP_EncryptInit_ex(c, nullptr, nullptr, nullptr, n.data()) == 1;
    ok = ok && (ad.empty() || EVP_EncryptUpdate(c, nullptr, &len, ad.data(), static_cast<int>(ad.size())) == 1);
    ok = ok && EVP_EncryptUpdate(c, out, &len, plain.data(), static_cast<int>(plain.size())) == 1;
    ok = ok && EVP_EncryptFinal_ex(c, out + len, &len) == 1;
    ok = ok && EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_GET_TAG, 16, tag) == 1;
    if (!ok) throw std::runtime_error("OpenSSL AES-256-GCM failed to seal");
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
    std::lock_guard lock(state_->mutex);
    EVP_CIPHER_CTX* c = state_->dec;
    int part = 0;
    bool ok = EVP_DecryptInit_ex(c, nullptr, nullptr, nullptr, n.data()) == 1;
    ok = ok && (ad.empty() || EVP_DecryptUpdate(c, nullptr, &part, ad.data(), static_cast<int>(ad.size())) == 1);
    ok = ok && EVP_DecryptUpdate(c, out, &part, cipher.data(), static_cast<int>(len)) == 1;
    ok = ok && EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_SET_TAG, 16, const_cast<unsigned char*>(tag)) == 1;
    return ok && EVP_DecryptFinal_ex(c, out + part, &part) == 1;
  }
  const auto n = nonce_of<crypto_aead_xchacha20poly1305_ietf_NPUBBYTES>(counter);
  return crypto_aead_xchacha20poly1305_ietf_decrypt_detached(out, nullptr, cipher.data(), len, tag, ad.data(),
                                                             ad.size(), n.data(), state_->chacha_key.data()) == 0;
}

}  // namespace edgehub::p2p::crypto
