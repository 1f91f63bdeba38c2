#pragma once
// The request target, decoded and checked before any route sees it
// (docs/HTTP_API.md#the-http-server): percent-decoding, and refusal of
// what could name a file outside the one meant ("..", "%2e%2e", an encoded
// "/" inside a parameter, NUL, invalid UTF-8).
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace edgehub::web {

// Decodes %XX (and '+' as a space when `plus_is_space`, for queries).
// nullopt for a malformed escape, a NUL byte or invalid UTF-8.
std::optional<std::string> percent_decode(std::string_view text, bool plus_is_space = false);

struct DecodedTarget {
  std::string raw_path;  // as received, for the router
  std::string path;      // percent-decoded
  std::multimap<std::string, std::string> query;
};

// nullopt: 400. Refuses a target that is not an absolute path, a malformed
// escape, NUL, invalid UTF-8, and a "." or ".." segment, spelled plainly or percent-encoded.
std::optional<DecodedTarget> decode_target(std::string_view target);

// A route parameter ("{name}"), decoded: nullopt if it held '/', NUL,
// invalid UTF-8, or is "." or "..".
std::optional<std::string> decode_param(std::string_view raw);

// RFC 6266: attachment; filename="ascii fallback"; filename*=UTF-8''...
std::string content_disposition(std::string_view name);

}  // namespace edgehub::web
