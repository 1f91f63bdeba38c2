#include "net/tls_connection.hpp"

#include "tls/client_certificates.hpp"

#include <openssl/err.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>
#include <boost/asio/post.hpp>

#include <stdexcept>
#include <utility>

namespace edgehub::net {

using asio::ip::tcp;
using boost::system::error_code;

TlsConnection::TlsConnection(tcp::socket socket, hub::Hub& hub, std::size_t high_water, std::string remote_ip,
                             std::shared_ptr<asio::ssl::context> context, std::chrono::milliseconds handshake_deadline)
    : Connection(std::move(socket), hub, high_water, std::move(remote_ip)),
      context_(std::move(context)),
      ssl_(SSL_new(context_->native_handle())),
      deadline_(handshake_deadline) {
  if (!ssl_ || SSL_set_fd(ssl_.get(), socket_.native_handle()) != 1) throw std::runtime_error("SSL_new failed");
  SSL_set_accept_state(ssl_.get());
  count_as(metrics::Transport::tls);
}

TlsConnection::~TlsConnection() { handshake_over(); }

void TlsConnection::start() {
  prepare_socket();
  // Capped before any cryptography, so that a flood of handshakes cannot
  // starve the devices this thread serves (docs/SECURITY.md#tls-handshakes).
  if (hub_.abuse().begin_handshake(ip_, std::chrono::steady_clock::now())) return refuse_handshake();
  handshake_counted_ = true;
  // A client that connects and stays silent costs one timer, until here.
  handshake_deadline_ = std::make_unique<asio::steady_timer>(socket_.get_executor(), deadline_);
  handshake_deadline_->async_wait([self = std::static_pointer_cast<TlsConnection>(shared_from_this())](error_code ec) {
    if (!ec && self->handshake_deadline_) self->handshake_failed("no handshake in time");
  });
  handshake_step();
}

void TlsConnection::handshake_step() {
  if (closed_) return;
  ERR_clear_error();
  const int result = SSL_do_handshake(ssl_.get());
  if (result == 1) {
    handshake_deadline_.reset();  // cancels it
    client_certificate_ = tls::describe_peer_certificate(ssl_.get());
    handshake_over();
    Connection::start();
    return;
  }
  const error_code ec = ssl_error(result);
  if (ec != asio::error::would_block) return handshake_failed(ec.message());
  socket_.async_wait(std::exchange(wait_for_, tcp::socket::wait_read),
                     [self = std::static_pointer_cast<TlsConnection>(shared_from_this())](error_code wait_ec) {
                       if (wait_ec) return self->handshake_failed(wait_ec.message());
                       self->handshake_step();
                     });
}

// Before the handshake ends the hub knows nothing of this connection:
// closing the socket is all there is to do.
void TlsConnection::handshake_failed(const std::string& why) {
  if (closed_) return;
  closed_ = true;
  spdlog::debug("TLS handshake with {} failed: {}", ip_, why);
  handshake_deadline_.reset();
  handshake_over();
  error_code ignored;
  socket_.close(ignored);
}

void TlsConnection::handshake_over() {
  if (std::exchange(handshake_counted_, false)) hub_.abuse().end_handshake();
}

// TLS has no "busy" alert and a text line would reach no TLS client: a
// fatal internal_error alert record, written without waiting (it fits any
// socket buffer), then close. The client has sent a ClientHello, so it
// reads the alert.
void TlsConnection::refuse_handshake() {
  static constexpr unsigned char kAlert[] = {21, 3, 3, 0, 2, 2, 80};  // alert, TLS 1.2 record, fatal, internal_error
  closed_ = true;
  (void)::send(socket_.native_handle(), kAlert, sizeof kAlert, MSG_NOSIGNAL | MSG_DONTWAIT);
  error_code ignored;
  socket_.close(ignored);
}

error_code TlsConnection::ssl_error(int result) {
  switch (SSL_get_error(ssl_.get(), result)) {
    case SSL_ERROR_WANT_READ:
      wait_for_ = tcp::socket::wait_read;
      return asio::error::would_block;
    case SSL_ERROR_WANT_WRITE:
      wait_for_ = tcp::socket::wait_write;
      return asio::error::would_block;
    case SSL_ERROR_ZERO_RETURN:
      return asio::error::eof;
    case SSL_ERROR_SYSCALL:
      return errno != 0 ? error_code(errno, boost::system::system_category()) : error_code(asio::error::eof);
    default: {
      const unsigned long code = ERR_get_error();
      const char* reason = code != 0 ? ERR_reason_error_string(code) : nullptr;
      spdlog::debug("TLS error with {}: {}", ip_, reason != nullptr ? reason : "unknown");
      return asio::error::connection_aborted;
    }
  }
}

std::size_t TlsConnection::read_bytes(char* data, std::size_t size, error_code& ec) {
  ERR_clear_error();
  errno = 0;
  std::size_t n = 0;
  const int result = SSL_read_ex(ssl_.get(), data, size, &n);
  if (result == 1) return n;
  ec = ssl_error(result);
  return 0;
}

// Small frames go out together: one record for a burst of replies and
// events, not one each. Like Asio's async_write, this never completes
// inside the call: the caller (enqueue, enqueue_letter) finishes its own
// bookkeeping before on_written runs.
void TlsConnection::write_frames(std::size_t count) {
  batch_.clear();
  for (std::size_t i = 0; i < count; ++i) batch_.append(*queue_[i]);
  batch_sent_ = 0;
  asio::post(socket_.get_executor(),
             [self = std::static_pointer_cast<TlsConnection>(shared_from_this())] { self->continue_writing(); });
}

void TlsConnection::continue_writing() {
  while (batch_sent_ < batch_.size()) {
    if (closed_) return finish_writing(asio::error::operation_aborted);
    ERR_clear_error();
    errno = 0;
    std::size_t n = 0;
    const int result = SSL_write_ex(ssl_.get(), batch_.data() + batch_sent_, batch_.size() - batch_sent_, &n);
    write_pending_ = result != 1;
    if (result == 1) {
      batch_sent_ += n;
      continue;
    }
    const error_code ec = ssl_error(result);
    if (ec != asio::error::would_block) return finish_writing(ec);
    socket_.async_wait(std::exchange(wait_for_, tcp::socket::wait_read),
                       [self = std::static_pointer_cast<TlsConnection>(shared_from_this())](error_code wait_ec) {
                         if (wait_ec) return self->finish_writing(wait_ec);
                         self->continue_writing();
                       });
    return;
  }
  finish_writing({});
}

void TlsConnection::finish_writing(const error_code& ec) {
  const std::size_t written = batch_sent_;
  std::string().swap(batch_);  // idle connections hold no buffer
  batch_sent_ = 0;
  on_written(ec, written);
}

// close_notify when nothing is half-written (a pending SSL_write must be
// finished first, and a closing connection will not wait for that).
void TlsConnection::close_transport() {
  if (!write_pending_ && !handshake_deadline_) {
    ERR_clear_error();
    SSL_shutdown(ssl_.get());
  }
  Connection::close_transport();
}

}  // namespace edgehub::net
