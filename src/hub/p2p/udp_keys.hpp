#pragma once
// The refusal for a device whose client gave no `udpkey`: UVF and swarm
// transfers are encrypted end to end with keys derived from the public keys
// the hub relays (docs/UDP.md#14-end-to-end-encryption), so an old client
// without one can neither send nor fetch.
#include <string>

namespace edgehub::hub {

// A device's key ("KEY" or "KEY:OFFER", Session::udp_key) as relayed to
// another device: with the cipher offer only to a client that gave one
// itself, so an older client, which reads KEY as exactly 64 hex digits,
// gets the bare key and runs the cipher it always ran.
inline std::string relayed_key(const std::string& key, const std::string& recipient_key) {
  const bool recipient_negotiates = recipient_key.find(':') != std::string::npos;
  return recipient_negotiates ? key : key.substr(0, key.find(':'));
}

// The refusal of a malformed CIPHERS argument (udpkey, startprivate, accept).
inline constexpr const char* kBadCipherOffer =
    "CIPHERS must be 1 to 8 comma-separated cipher names, e.g. aes256gcm,xchacha20poly1305";

inline constexpr const char* kNoOwnUdpKey =
    "UVF and swarm transfers are encrypted end to end and your client gave no udpkey: upgrade it";

}  // namespace edgehub::hub
