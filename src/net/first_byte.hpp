#pragma once
// One port for TLS and plaintext (docs/SECURITY.md#tls): an accepted
// socket waits for its first byte (on the admission threads:
// net/admission_threads.hpp). 0x16 (a TLS handshake record) makes it a
// TlsConnection; anything else, or silence (a person at nc waiting for the
// greeting), a plaintext Connection, but only from a loopback address.
// Any other address gets one line saying to use TLS and is closed.
// "Address" is the client's: behind a trusted proxy, the one its PROXY
// header names (net/proxy_reader.hpp), never the proxy's own.
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <chrono>
#include <memory>
#include <string>

#include "hub/core/hub.hpp"
#include "net/trusted_proxies.hpp"

namespace edgehub::net {

struct Admission {
  hub::Hub& hub;
  std::size_t high_water_bytes;
  std::shared_ptr<boost::asio::ssl::context> tls;  // null: plaintext only, from anywhere (unit tests)
  std::chrono::milliseconds handshake_deadline;    // also bounds the wait for a PROXY header
  std::shared_ptr<const TrustedProxies> proxies;   // --proxy-protocol; null: none
  // The network thread that gets the connection once it is admitted. The
  // socket is admitted where it was accepted: on a strand of the admission
  // threads (net/admission_threads.hpp), or on `home` itself. An
  // io_context's own executor: the connection's socket is attached to it
  // directly (net/detached_socket.hpp).
  boost::asio::io_context::executor_type home;
};

// The one line a plaintext client from another address gets.
inline constexpr std::string_view kPlaintextRefused =
    "-ERR 426 This server accepts plaintext only from loopback; connect with TLS (edgehub does by default)\n";

bool is_loopback(const boost::asio::ip::address& address);
// An address as the logs and the hub show it: an IPv4-mapped IPv6 address
// (a dual-stack listener's IPv4 client) as plain IPv4.
std::string address_text(const boost::asio::ip::address& address);

// The first byte of a TLS handshake record: a client's ClientHello starts
// with it, no plaintext command or HTTP request does.
inline constexpr unsigned char kTlsHandshakeRecord = 0x16;

// Sends `line` without waiting and closes the socket.
void refuse_connection(boost::asio::ip::tcp::socket& socket, std::string_view line);

// Takes the socket over; the connection it becomes owns itself and lives
// on admission.home. From a trusted proxy, reads its PROXY header first.
void admit(boost::asio::ip::tcp::socket socket, const Admission& admission);
// The first-byte check for a socket whose client is `client`.
void admit_as(boost::asio::ip::tcp::socket socket, const Admission& admission, const boost::asio::ip::address& client);

}  // namespace edgehub::net
