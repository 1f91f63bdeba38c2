#include "net/tls_errors.hpp"

#include <openssl/err.h>
#include <spdlog/spdlog.h>
#include <boost/asio/error.hpp>

#include <cerrno>

namespace edgehub::net {

namespace asio = boost::asio;
using boost::system::error_code;

error_code tls_error(SSL* ssl, int result, asio::socket_base::wait_type& wait_for, std::string_view client) {
  switch (SSL_get_error(ssl, result)) {
    case SSL_ERROR_WANT_READ:
      wait_for = asio::socket_base::wait_read;
      return asio::error::would_block;
    case SSL_ERROR_WANT_WRITE:
      wait_for = asio::socket_base::wait_write;
      return asio::error::would_block;
    case SSL_ERROR_ZERO_RETURN:
      return asio::error::eof;
    case SSL_ERROR_SYSCALL:
      return errno != 0 ? error_code(errno, boost::system::system_category()) : error_code(asio::error::eof);
    default: {
      const unsigned long code = ERR_get_error();
      const char* reason = code != 0 ? ERR_reason_error_string(code) : nullptr;
      spdlog::debug("TLS error with {}: {}", client, reason != nullptr ? reason : "unknown");
      return asio::error::connection_aborted;
    }
  }
}

}  // namespace edgehub::net
