#pragma once
// Which AEAD a UVF or swarm conversation runs (docs/UDP.md#14-end-to-end-encryption):
// each client offers, with its `udpkey`, the ciphers it runs fast
// ("aes256gcm,xchacha20poly1305" where the CPU has AES instructions,
// "xchacha20poly1305" elsewhere); the hub relays that offer verbatim with
// the public key ("KEY:OFFER"); both ends take the first cipher of
// kCipherOrder that both offers name. The two offers, as each end saw them,
// are hashed into the session keys, so an end that was shown a changed offer
// derives other keys and the transfer fails instead of running a cipher
// neither chose. A peer whose client (or hub) predates this gives a bare key:
// then the process default and the ticket alone, as before.
#include <optional>
#include <string>
#include <string_view>

#include "p2p/crypto/aead.hpp"
#include "p2p/crypto/key_exchange.hpp"

namespace edgehub::p2p::crypto {

// The fixed order of preference both ends apply.
inline constexpr Cipher kCipherOrder[] = {Cipher::aes256gcm, Cipher::xchacha20poly1305};

// True if s is an offer: 1 to 8 comma-separated names of 1 to 32 characters
// [a-z0-9-] (unknown names are allowed: a later client may offer more).
bool valid_offer(std::string_view s);
// True if the offer names c.
bool offers(std::string_view offer, Cipher c);

// What this process offers: EDGEHUB_P2P_CIPHER=NAME offers NAME alone (a
// test's or a fleet's choice); else XChaCha20-Poly1305, preceded by
// AES-256-GCM where the CPU has AES instructions. Fixed for the process.
const std::string& own_offer();
bool cpu_has_aes();

// The first cipher of kCipherOrder in both offers; AES-256-GCM (which
// every client runs) when they share none.
Cipher choose_cipher(std::string_view a, std::string_view b);

// A peer's key as the hub relays it: 64 hex digits, then ":OFFER" when the
// peer's client offered ciphers (and the hub relayed them).
struct PeerKey {
  PublicKey key{};
  std::optional<std::string> offer{};  // nullopt: an older peer or hub
  bool operator==(const PeerKey&) const = default;
};
std::optional<PeerKey> decode_peer_key(std::string_view token);

// The conversation keys for a UVF or swarm ticket (derive_session_keys,
// cipher and offers bound as described above). initiator: the UVF sender,
// the swarm downloader.
std::optional<SessionKeys> derive_transfer_keys(const KxKeyPair& mine, std::string_view my_offer, const PeerKey& theirs,
                                                bool initiator, std::string_view ticket);

}  // namespace edgehub::p2p::crypto
