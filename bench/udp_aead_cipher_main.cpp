// How fast each candidate AEAD seals one EHT datagram's payload on this CPU
// (docs/BENCHMARKS.md "End-to-end encrypted UDP", the ceiling): the
// project's Aead (OpenSSL 3 EVP AES-256-GCM, libsodium XChaCha20-Poly1305)
// and, for comparison, libsodium's own AES-256-GCM and ChaCha20-Poly1305
// (IETF) and OpenSSL's AES-128-GCM, each sealing SIZE bytes in place with a
// fresh counter per call, for about SECONDS each, interleaved ROUNDS times.
// Prints ns/byte and GB/s per round, then median and best. Time is this
// thread's CPU time, so that a shared machine's other load counts less.
// Usage: udp_aead_cipher [--size 1412] [--seconds 0.5] [--rounds 3]
#include <openssl/evp.h>
#include <sodium.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdio>
#include <ctime>
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

#include "p2p/crypto/aead.hpp"

namespace {

using Seal = std::function<void(std::uint64_t counter, std::uint8_t* buf, std::size_t n)>;

struct Candidate {
  std::string name;
  Seal seal;
};

const std::array<std::uint8_t, 32> kKey{1, 2, 3};
const std::array<std::uint8_t, 16> kAd{9, 9, 9};  // about an EHT/2 DATA header

template <std::size_t N>
std::array<unsigned char, N> nonce_of(std::uint64_t counter) {
  std::array<unsigned char, N> n{};
  for (std::size_t i = 0; i < 8; ++i) n[N - 1 - i] = static_cast<unsigned char>(counter >> (8 * i));
  return n;
}

Seal project_aead(edgehub::p2p::crypto::Cipher c) {
  auto a = edgehub::p2p::crypto::Aead::make(kKey, c);
  return [a](std::uint64_t counter, std::uint8_t* buf, std::size_t n) { a.seal(counter, kAd, {buf, n}, buf); };
}

// OpenSSL AES-128-GCM, set up as Aead does AES-256-GCM: keyed once, nonce per call.
Seal openssl_aes128() {
  std::shared_ptr<EVP_CIPHER_CTX> c(EVP_CIPHER_CTX_new(), EVP_CIPHER_CTX_free);
  if (!c || EVP_EncryptInit_ex(c.get(), EVP_aes_128_gcm(), nullptr, kKey.data(), nullptr) != 1)
    throw std::runtime_error("no AES-128-GCM");
  return [c](std::uint64_t counter, std::uint8_t* buf, std::size_t n) {
    const auto nonce = nonce_of<12>(counter);
    int len = 0;
    EVP_EncryptInit_ex(c.get(), nullptr, nullptr, nullptr, nonce.data());
    EVP_EncryptUpdate(c.get(), nullptr, &len, kAd.data(), static_cast<int>(kAd.size()));
    EVP_EncryptUpdate(c.get(), buf, &len, buf, static_cast<int>(n));
    EVP_EncryptFinal_ex(c.get(), buf + len, &len);
    EVP_CIPHER_CTX_ctrl(c.get(), EVP_CTRL_GCM_GET_TAG, 16, buf + n);
  };
}

Seal sodium_aes256gcm() {
  auto st = std::make_shared<crypto_aead_aes256gcm_state>();
  crypto_aead_aes256gcm_beforenm(st.get(), kKey.data());
  return [st](std::uint64_t counter, std::uint8_t* buf, std::size_t n) {
    const auto nonce = nonce_of<crypto_aead_aes256gcm_NPUBBYTES>(counter);
    crypto_aead_aes256gcm_encrypt_detached_afternm(buf, buf + n, nullptr, buf, n, kAd.data(), kAd.size(), nullptr,
                                                   nonce.data(), st.get());
  };
}

Seal sodium_chacha_ietf() {
  return [](std::uint64_t counter, std::uint8_t* buf, std::size_t n) {
    const auto nonce = nonce_of<crypto_aead_chacha20poly1305_ietf_NPUBBYTES>(counter);
    crypto_aead_chacha20poly1305_ietf_encrypt_detached(buf, buf + n, nullptr, buf, n, kAd.data(), kAd.size(), nullptr,
                                                       nonce.data(), kKey.data());
  };
}

double thread_cpu_seconds() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) * 1e-9;
}

// ns per byte of SIZE-byte seals for about `seconds` of CPU time.
double measure(const Seal& seal, std::size_t size, double seconds) {
  std::vector<std::uint8_t> buf(size + 16, 0x5a);
  const double start = thread_cpu_seconds();
  std::uint64_t counter = 0;
  double elapsed = 0;
  while (elapsed < seconds) {
    for (int i = 0; i < 1000; ++i) seal(counter++, buf.data(), size);
    elapsed = thread_cpu_seconds() - start;
  }
  return elapsed * 1e9 / (static_cast<double>(counter) * static_cast<double>(size));
}

}  // namespace

int main(int argc, char** argv) {
  std::size_t size = 1412;
  double seconds = 0.5;
  int rounds = 3;
  CLI::App app{"AEAD seal speed at the EHT datagram size"};
  app.add_option("--size", size, "payload bytes per seal")->check(CLI::Range(1, 65000));
  app.add_option("--seconds", seconds, "seconds per candidate per round");
  app.add_option("--rounds", rounds, "rounds (candidates interleaved)")->check(CLI::Range(1, 100));
  CLI11_PARSE(app, argc, argv);
  if (sodium_init() < 0) return 1;
  using edgehub::p2p::crypto::Cipher;
  std::vector<Candidate> cands{{"openssl-aes256gcm (Aead)", project_aead(Cipher::aes256gcm)},
                               {"sodium-xchacha20poly1305 (Aead)", project_aead(Cipher::xchacha20poly1305)},
                               {"openssl-aes128gcm", openssl_aes128()},
                               {"sodium-chacha20poly1305-ietf", sodium_chacha_ietf()}};
  if (crypto_aead_aes256gcm_is_available() != 0) cands.push_back({"sodium-aes256gcm", sodium_aes256gcm()});
  std::vector<std::vector<double>> ns(cands.size());
  for (int r = 0; r < rounds; ++r)
    for (std::size_t i = 0; i < cands.size(); ++i) ns[i].push_back(measure(cands[i].seal, size, seconds));
  std::printf("udp_aead_cipher: %zu-byte seals, %d rounds of %.2f s each\n", size, rounds, seconds);
  for (std::size_t i = 0; i < cands.size(); ++i) {
    auto v = ns[i];
    std::sort(v.begin(), v.end());
    std::printf("%-32s ns/byte median %.3f best %.3f (%.2f GB/s median); all:", cands[i].name.c_str(), v[v.size() / 2],
                v.front(), 1.0 / v[v.size() / 2]);
    for (double x : ns[i]) std::printf(" %.3f", x);
    std::printf("\n");
  }
}
