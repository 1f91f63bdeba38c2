#pragma once
// Reads a trusted proxy's PROXY protocol header (net/proxy_header.hpp)
// before anything else on the connection, then hands the socket to the
// first-byte check as the client's (docs/CLUSTER.md#load-balancing).
//
// The header's bytes are consumed exactly: the reader peeks, and takes from
// the socket only what the decoder says belongs to the header, so the
// client's first byte (a TLS ClientHello or a command) stays for the
// first-byte check. A missing, malformed or late header (later than
// --tls-handshake-timeout) gets one "-ERR 400" line and the close.
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "net/first_byte.hpp"
#include "net/proxy_header.hpp"

namespace edgehub::net {

// The address a decoded header names.
boost::asio::ip::address proxy_source_address(const ProxySource& source);

// The line a trusted proxy gets for a header that is not one.
std::string bad_proxy_header_line(const std::string& why);

// `proxy`: the socket's address, one of --proxy-protocol's.
void read_proxy_header(boost::asio::ip::tcp::socket socket, const Admission& admission,
                       const boost::asio::ip::address& proxy);

}  // namespace edgehub::net
