#include "p2p/crypto/key_exchange.hpp"

#include <sodium.h>

#include <algorithm>

#include "common/strings.hpp"

namespace edgehub::p2p::crypto {
namespace {

// Domain labels keep these hashes apart from any other BLAKE2b use.
constexpr std::string_view kKeyLabel = "edgehub e2e session key v1";
constexpr std::string_view kSasLabel = "edgehub verify v1";

// key' = BLAKE2b-256(key = key, label || 0 || context): both sides bind the
// same context; a different context gives unrelated keys.
void bind_context(std::array<std::uint8_t, 32>& key, std::string_view context) {
  crypto_generichash_state st;
  crypto_generichash_init(&st, key.data(), key.size(), key.size());
  crypto_generichash_update(&st, reinterpret_cast<const unsigned char*>(kKeyLabel.data()), kKeyLabel.size());
  const unsigned char zero = 0;
  crypto_generichash_update(&st, &zero, 1);
  crypto_generichash_update(&st, reinterpret_cast<const unsigned char*>(context.data()), context.size());
  crypto_generichash_final(&st, key.data(), key.size());
}

}  // namespace

KxKeyPair make_kx_keypair() {
  KxKeyPair kp;
  crypto_kx_keypair(kp.public_key.data(), kp.secret_key.data());
  return kp;
}

std::string encode_public_key(const PublicKey& pk) { return to_hex(pk.data(), pk.size()); }

std::optional<PublicKey> decode_public_key(std::string_view s) {
  if (s.size() != 64) return std::nullopt;
  const std::string lower = to_lower(s);
  PublicKey pk;
  if (!from_hex(lower, pk.data(), pk.size())) return std::nullopt;
  return pk;
}

std::optional<SessionKeys> derive_session_keys(const KxKeyPair& mine, const PublicKey& theirs, bool is_initiator,
                                               std::string_view context) {
  SessionKeys keys;
  const int rc = is_initiator ? crypto_kx_client_session_keys(keys.rx.data(), keys.tx.data(), mine.public_key.data(),
                                                              mine.secret_key.data(), theirs.data())
                              : crypto_kx_server_session_keys(keys.rx.data(), keys.tx.data(), mine.public_key.data(),
                                                              mine.secret_key.data(), theirs.data());
  if (rc != 0) return std::nullopt;
  bind_context(keys.rx, context);
  bind_context(keys.tx, context);
  return keys;
}

std::string short_authentication_string(const PublicKey& a, const PublicKey& b) {
  // Sorted, so both sides hash the same bytes whichever key is "mine".
  const bool a_first = std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end());
  const PublicKey& lo = a_first ? a : b;
  const PublicKey& hi = a_first ? b : a;
  std::array<unsigned char, 64> digest;
  crypto_generichash_state st;
  crypto_generichash_init(&st, nullptr, 0, digest.size());
  crypto_generichash_update(&st, reinterpret_cast<const unsigned char*>(kSasLabel.data()), kSasLabel.size());
  crypto_generichash_update(&st, lo.data(), lo.size());
  crypto_generichash_update(&st, hi.data(), hi.size());
  crypto_generichash_final(&st, digest.data(), digest.size());
  std::string out;
  for (int group = 0; group < 6; ++group) {
    // 64 bits per group, little-endian whatever the host (both sides must
    // agree); mod 10^5 of 64 bits is unbiased to within 10^-14.
    std::uint64_t v = 0;
    for (int i = 7; i >= 0; --i) v = (v << 8) | digest[group * 8 + i];
    if (group > 0) out += ' ';
    const std::string digits = std::to_string(v % 100000);
    out += std::string(5 - digits.size(), '0') + digits;
  }
  return out;
}

}  // namespace edgehub::p2p::crypto
