#pragma once
// The refusal for a device whose client gave no `udpkey`: UVF and swarm
// transfers are encrypted end to end with keys derived from the public keys
// the hub relays (docs/UDP.md#14-end-to-end-encryption), so an old client
// without one can neither send nor fetch.
namespace edgehub::hub {

inline constexpr const char* kNoOwnUdpKey =
    "UVF and swarm transfers are encrypted end to end and your client gave no udpkey: upgrade it";

}  // namespace edgehub::hub
