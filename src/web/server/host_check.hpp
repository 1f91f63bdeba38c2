#pragma once
// DNS rebinding (docs/SECURITY.md#http-listener): a web page from another
// site that makes its own name resolve to 127.0.0.1 reaches the plaintext
// loopback listener with that name in Host. Plain HTTP therefore answers
// only requests whose Host names this machine's loopback (localhost,
// 127.0.0.0/8, ::1) or the --http-bind address, with or without a port.
#include <string_view>

namespace edgehub::web {

// True if host (a Host header: "name", "name:port", "[v6]" or "[v6]:port")
// may reach the plaintext listener bound to bind_address.
bool is_allowed_plain_host(std::string_view host, std::string_view bind_address);

}  // namespace edgehub::web
