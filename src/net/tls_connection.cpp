#include "net/tls_connection.hpp"

#include <openssl/err.h>
#include <boost/asio/post.hpp>

#include <utility>

namespace edgehub::net {

using asio::ip::tcp;
using boost::system::error_code;

TlsConnection::TlsConnection(Socket socket, hub::Hub& hub, std::size_t high_water, std::string remote_ip,
                             std::shared_ptr<asio::ssl::context> context, SslPtr ssl,
                             std::optional<tls::PeerCertificate> client_certificate)
    : Connection(std::move(socket), hub, high_water, std::move(remote_ip)),
      context_(std::move(context)),
      ssl_(std::move(ssl)),
      client_certificate_(std::move(client_certificate)) {
  count_as(metrics::Transport::tls);
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
// events, not one each (Connection::write_next gathers them in a posted
// handler, so on_written may run inside this call: nothing follows it).
void TlsConnection::write_frames(std::size_t count) {
  batch_.clear();
  for (std::size_t i = 0; i < count; ++i) batch_.append(*busy().queue[i]);
  batch_sent_ = 0;
  continue_writing();
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
  if (!write_pending_) {
    ERR_clear_error();
    SSL_shutdown(ssl_.get());
  }
  Connection::close_transport();
}

}  // namespace edgehub::net
