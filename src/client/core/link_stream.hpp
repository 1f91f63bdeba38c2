#pragma once
// The byte stream of the server connection: TLS (the default) or, with
// --plain, the TCP socket itself (docs/SECURITY.md#tls). ServerLink reads
// and writes it with Asio's composed operations either way.
//
// Over TLS, OpenSSL works on the socket's descriptor directly, as on the
// server (net/tls_connection.hpp), with Asio only waiting for readiness:
// asio::ssl::stream would copy every byte of a download three more times
// (its input buffer, a BIO pair, OpenSSL's record buffer), which is most of
// what TLS cost the client (docs/BENCHMARKS.md#tls).
#include <openssl/err.h>
#include <openssl/ssl.h>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <cerrno>
#include <memory>
#include <utility>

namespace edgehub::client {

class LinkStream {
 public:
  using Socket = boost::asio::ip::tcp::socket;
  using executor_type = Socket::executor_type;

  // ssl: nullptr for plaintext; else connected (handshake done) on socket's descriptor.
  LinkStream(Socket socket, SSL* ssl) : socket_(std::move(socket)), ssl_(ssl) {}

  executor_type get_executor() { return socket_.get_executor(); }
  Socket& socket() { return socket_; }
  bool tls() const { return ssl_ != nullptr; }

  template <class Buffers, class Handler>
  void async_read_some(const Buffers& buffers, Handler&& handler) {
    if (!ssl_) return socket_.async_read_some(buffers, std::forward<Handler>(handler));
    const auto buffer = *boost::asio::buffer_sequence_begin(buffers);
    transfer(Direction::Read, buffer.data(), buffer.size(), std::forward<Handler>(handler));
  }

  template <class Buffers, class Handler>
  void async_write_some(const Buffers& buffers, Handler&& handler) {
    if (!ssl_) return socket_.async_write_some(buffers, std::forward<Handler>(handler));
    const auto buffer = *boost::asio::buffer_sequence_begin(buffers);
    transfer(Direction::Write, const_cast<void*>(buffer.data()), buffer.size(), std::forward<Handler>(handler));
  }

 private:
  enum class Direction { Read, Write };
  struct SslFree {
    void operator()(SSL* ssl) const { SSL_free(ssl); }
  };

  // One SSL_read_ex / SSL_write_ex, repeated with the same arguments after
  // each readiness wait until it moves bytes or fails; the handler always
  // runs later, never inside this call (as Asio's own operations).
  template <class Handler>
  void transfer(Direction direction, void* data, std::size_t size, Handler&& handler) {
    ERR_clear_error();
    errno = 0;
    std::size_t n = 0;
    const int result = direction == Direction::Read ? SSL_read_ex(ssl_.get(), data, size, &n)
                                                    : SSL_write_ex(ssl_.get(), data, size, &n);
    // What OpenSSL has already read ahead is taken too, up to size: one
    // completion for many records, not one each.
    while (result == 1 && direction == Direction::Read && n < size && SSL_has_pending(ssl_.get()) == 1) {
      std::size_t more = 0;
      if (SSL_read_ex(ssl_.get(), static_cast<char*>(data) + n, size - n, &more) != 1) break;
      n += more;
    }
    boost::system::error_code ec;
    if (result != 1) {
      const int error = SSL_get_error(ssl_.get(), result);
      if (error == SSL_ERROR_WANT_READ || error == SSL_ERROR_WANT_WRITE) {
        socket_.async_wait(error == SSL_ERROR_WANT_READ ? Socket::wait_read : Socket::wait_write,
                           [this, direction, data, size,
                            h = std::forward<Handler>(handler)](const boost::system::error_code& wait_ec) mutable {
                             if (wait_ec) return h(wait_ec, std::size_t{0});
                             transfer(direction, data, size, std::move(h));
                           });
        return;
      }
      ec = error == SSL_ERROR_ZERO_RETURN || (error == SSL_ERROR_SYSCALL && errno == 0)
               ? boost::system::error_code(boost::asio::error::eof)
               : boost::system::error_code(errno != 0 ? errno : EPROTO, boost::system::system_category());
    }
    boost::asio::post(socket_.get_executor(),
                      [ec, n, h = std::forward<Handler>(handler)]() mutable { h(ec, ec ? std::size_t{0} : n); });
  }

  Socket socket_;
  std::unique_ptr<SSL, SslFree> ssl_;
};

}  // namespace edgehub::client
