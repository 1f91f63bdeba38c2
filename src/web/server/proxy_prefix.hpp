#pragma once
// The HTTP port's side of --proxy-protocol (docs/CLUSTER.md#load-balancing):
// a trusted proxy's connection begins with a PROXY header, taken off the
// connection's buffer before the first-byte check, and the client it names
// becomes the connection's address (conn.remote_ip, and the loopback rule
// of plain HTTP). The device port's reader is net/proxy_reader.hpp; both
// use the same decoder (net/proxy_header.hpp).
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/address.hpp>
#include <chrono>
#include <optional>

#include "web/core/route.hpp"
#include "web/server/http_server.hpp"
#include "web/server/http_session.hpp"

namespace edgehub::web {

// Reads what the client sent into conn.buffer, waiting at most `limit`;
// false: gone, or silent that long.
boost::asio::awaitable<bool> read_more(PlainStream& stream, Conn& conn, std::chrono::milliseconds limit);

// With the connection's first bytes in conn.buffer: takes a trusted proxy's
// header (reading more as needed) and sets `client` to the address it names.
// A refusal to answer instead: a header from an address not in
// --proxy-protocol (403), or a bad, missing or late one from a proxy (400).
boost::asio::awaitable<std::optional<ApiResponse>> take_proxy_header(PlainStream& stream, Conn& conn,
                                                                     const HttpOptions& options,
                                                                     boost::asio::ip::address& client);

}  // namespace edgehub::web
