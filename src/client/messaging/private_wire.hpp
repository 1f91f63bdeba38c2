#pragma once
// The direct TCP protocol between two clients in a private session
// (docs/MESSAGING.md#private-sessions). The handshake is in clear, lines of
// UTF-8 ending in "\n":
//   connector -> listener:  EDGEHUB-PRIVATE/2 NAME TOKEN   (TOKEN from the server)
//   listener  -> connector: OK NAME   or   ERR REASON (then it closes)
// then every line is an encrypted record (private_records.hpp), the first
// the listener's READY (which proves to the connector that the keys match):
//   MSG TEXT     one private message
//   BYE [WHY]    the session ends (then the sender closes); WHY "rejected"
//                when the sender received a record that failed to open
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace edgehub::client {

inline constexpr std::string_view kPrivateHello = "EDGEHUB-PRIVATE/2";
inline constexpr std::string_view kPrivateHelloV1 = "EDGEHUB-PRIVATE/1";  // unencrypted: refused
inline constexpr std::size_t kPrivateMaxLine = 8192;                      // bytes, "\n" included
// Largest record body: a line of kPrivateMaxLine bytes and the AEAD tag.
inline constexpr std::size_t kPrivateMaxRecord = kPrivateMaxLine + 16;
inline constexpr std::size_t kPrivateMaxText = 4000;  // bytes of one message's TEXT

struct PrivateHello {
  std::string name;
  std::string token;
};

std::string encode_hello(std::string_view name, std::string_view token);
std::optional<PrivateHello> parse_hello(std::string_view line);
// A fresh one-time token: 128 random bits as 32 lower-case hex digits.
std::string make_private_token();

}  // namespace edgehub::client
