#pragma once
// OpenSSL's result codes as Asio error codes, for the handshake
// (net/tls_handshake.hpp) and the connection after it
// (net/tls_connection.hpp), which both drive an SSL on a non-blocking
// socket and wait for readiness through Asio.
#include <openssl/ssl.h>

#include <boost/asio/socket_base.hpp>
#include <boost/system/error_code.hpp>
#include <memory>
#include <string_view>

namespace edgehub::net {

struct SslFree {
  void operator()(SSL* ssl) const { SSL_free(ssl); }
};
using SslPtr = std::unique_ptr<SSL, SslFree>;

// Maps the result of an SSL call to would_block (setting `wait_for` to the
// readiness to wait for), eof or an error; logs OpenSSL's reason for the
// last at debug level, with the client's address.
boost::system::error_code tls_error(SSL* ssl, int result, boost::asio::socket_base::wait_type& wait_for,
                                    std::string_view client);

}  // namespace edgehub::net
