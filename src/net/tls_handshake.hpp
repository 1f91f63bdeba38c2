#pragma once
// The TLS handshake of a device connection (docs/SECURITY.md#tls-handshakes).
// The first-byte check (net/first_byte.hpp) hands over a socket whose
// client sent a TLS record, on the admission threads
// (net/admission_threads.hpp). Past the handshake caps it is refused at
// once, before any cryptography. Otherwise the handshake runs there, and
// the connection goes to its network thread (admission.home) as a
// TlsConnection, already encrypted, to be greeted.
#include <boost/asio/ip/tcp.hpp>
#include <string>

#include "net/first_byte.hpp"

namespace edgehub::net {

void start_tls(boost::asio::ip::tcp::socket socket, const Admission& admission, std::string remote_ip);

}  // namespace edgehub::net
