#pragma once
// The direct TCP protocol between two clients in a private session
// (docs/MESSAGING.md, "Private sessions"). Lines of UTF-8 ending in "\n":
//   connector -> listener:  EDGEHUB-PRIVATE/1 NAME TOKEN   (TOKEN from the server)
//   listener  -> connector: OK NAME   or   ERR REASON (then it closes)
//   either way, afterwards: MSG TEXT   one private message
//                           BYE        the session ends (then the sender closes)
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace edgehub::client {

inline constexpr std::string_view kPrivateHello = "EDGEHUB-PRIVATE/1";
inline constexpr std::size_t kPrivateMaxLine = 8192;  // bytes, "\n" included
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
