#include "p2p/crypto/cipher_choice.hpp"

#if defined(__aarch64__) && defined(__linux__)
#include <asm/hwcap.h>
#include <sys/auxv.h>
#endif

#include <cstdlib>
#include <vector>

namespace edgehub::p2p::crypto {
namespace {

constexpr std::size_t kMaxNames = 8;
constexpr std::size_t kMaxName = 32;

bool valid_name(std::string_view name) {
  if (name.empty() || name.size() > kMaxName) return false;
  for (const char c : name)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
  return true;
}

// The comma-separated names of an offer, in order.
std::vector<std::string_view> names_of(std::string_view offer) {
  std::vector<std::string_view> names;
  for (std::size_t at = 0;;) {
    const auto comma = offer.find(',', at);
    names.push_back(offer.substr(at, comma == std::string_view::npos ? std::string_view::npos : comma - at));
    if (comma == std::string_view::npos) return names;
    at = comma + 1;
  }
}

std::string make_own_offer() {
  const char* forced = std::getenv("EDGEHUB_P2P_CIPHER");
  if (forced != nullptr && valid_name(forced)) return forced;
  const std::string chacha = cipher_name(Cipher::xchacha20poly1305);
  return cpu_has_aes() ? std::string(cipher_name(Cipher::aes256gcm)) + "," + chacha : chacha;
}

}  // namespace

bool valid_offer(std::string_view s) {
  const auto names = names_of(s);
  if (names.size() > kMaxNames) return false;
  for (const auto name : names)
    if (!valid_name(name)) return false;
  return true;
}

bool offers(std::string_view offer, Cipher c) {
  for (const auto name : names_of(offer))
    if (name == cipher_name(c)) return true;
  return false;
}

// AES-256-GCM is fast only with AES and carry-less multiply instructions;
// without them OpenSSL's constant-time software AES runs, several times
// slower than XChaCha20-Poly1305 (docs/UDP.md#14-end-to-end-encryption).
bool cpu_has_aes() {
#if defined(__x86_64__) || defined(__i386__)
  return __builtin_cpu_supports("aes") && __builtin_cpu_supports("pclmul");
#elif defined(__aarch64__) && defined(__linux__)
  return (getauxval(AT_HWCAP) & HWCAP_AES) != 0 && (getauxval(AT_HWCAP) & HWCAP_PMULL) != 0;
#else
  return false;
#endif
}

const std::string& own_offer() {
  static const std::string offer = make_own_offer();
  return offer;
}

Cipher choose_cipher(std::string_view a, std::string_view b) {
  for (const Cipher c : kCipherOrder)
    if (offers(a, c) && offers(b, c)) return c;
  return Cipher::aes256gcm;
}

std::optional<PeerKey> decode_peer_key(std::string_view token) {
  const auto colon = token.find(':');
  const auto key = decode_public_key(token.substr(0, colon));
  if (!key) return std::nullopt;
  if (colon == std::string_view::npos) return PeerKey{*key, std::nullopt};
  const auto offer = token.substr(colon + 1);
  if (!valid_offer(offer)) return std::nullopt;
  return PeerKey{*key, std::string(offer)};
}

std::optional<SessionKeys> derive_transfer_keys(const KxKeyPair& mine, std::string_view my_offer, const PeerKey& theirs,
                                                bool initiator, std::string_view ticket) {
  if (!theirs.offer) return derive_session_keys(mine, theirs.key, initiator, ticket);  // as before negotiation
  const std::string_view initiator_offer = initiator ? my_offer : std::string_view(*theirs.offer);
  const std::string_view responder_offer = initiator ? std::string_view(*theirs.offer) : my_offer;
  const Cipher cipher = choose_cipher(initiator_offer, responder_offer);
  // Newlines cannot occur in a ticket or an offer, so the parts cannot run into each other.
  const std::string context = std::string("edgehub cipher/1\n") + std::string(ticket) + "\n" +
                              std::string(initiator_offer) + "\n" + std::string(responder_offer) + "\n" +
                              cipher_name(cipher);
  auto keys = derive_session_keys(mine, theirs.key, initiator, context);
  if (keys) keys->cipher = cipher;
  return keys;
}

}  // namespace edgehub::p2p::crypto
