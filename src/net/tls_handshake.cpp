#include "net/tls_handshake.hpp"

#include <sys/socket.h>

#include <openssl/err.h>
#include <spdlog/spdlog.h>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include <memory>
#include <optional>
#include <stdexcept>
#include <utility>

#include "net/detached_socket.hpp"
#include "net/tls_connection.hpp"
#include "net/tls_errors.hpp"
#include "tls/client_certificates.hpp"

namespace edgehub::net {

namespace asio = boost::asio;
using asio::ip::tcp;
using boost::system::error_code;

namespace {

// A place in AbuseLimits' handshakes in progress, given back once, at the
// latest when the handshake (or the handler carrying it) is destroyed.
class HandshakePlace {
 public:
  explicit HandshakePlace(hub::AbuseLimits& limits) : limits_(&limits) {}
  HandshakePlace(HandshakePlace&& other) noexcept : limits_(std::exchange(other.limits_, nullptr)) {}
  HandshakePlace& operator=(HandshakePlace&&) = delete;
  ~HandshakePlace() { give_back(); }
  void give_back() {
    if (auto* limits = std::exchange(limits_, nullptr)) limits->end_handshake();
  }

 private:
  hub::AbuseLimits* limits_;
};

// TLS has no "busy" alert and a text line would reach no TLS client: a
// fatal internal_error alert record, written without waiting (it fits any
// socket buffer), then close. The client has sent a ClientHello, so it
// reads the alert.
void refuse_handshake(tcp::socket& socket) {
  static constexpr unsigned char kAlert[] = {21, 3, 3, 0, 2, 2, 80};  // alert, TLS 1.2 record, fatal, internal_error
  (void)::send(socket.native_handle(), kAlert, sizeof kAlert, MSG_NOSIGNAL | MSG_DONTWAIT);
  error_code ignored;
  socket.close(ignored);
}

// Runs where the socket was accepted: on a strand of the admission threads,
// or on its network thread when there are none. Before it ends the hub knows
// nothing of the connection: on failure, closing the socket is all there
// is to do.
class TlsHandshake : public std::enable_shared_from_this<TlsHandshake> {
 public:
  TlsHandshake(tcp::socket socket, const Admission& admission, std::string ip, HandshakePlace place)
      : socket_(std::move(socket)),
        admission_(admission),
        ip_(std::move(ip)),
        place_(std::move(place)),
        ssl_(SSL_new(admission_.tls->native_handle())),
        deadline_(socket_.get_executor(), admission_.handshake_deadline) {
    if (!ssl_ || SSL_set_fd(ssl_.get(), socket_.native_handle()) != 1) throw std::runtime_error("SSL_new failed");
    SSL_set_accept_state(ssl_.get());
  }

  void start() {
    error_code ignored;
    socket_.non_blocking(true, ignored);  // SSL_do_handshake must never block
    // A client that connects and stays silent costs one timer, until then.
    deadline_.async_wait([self = shared_from_this()](error_code ec) {
      if (!ec) self->fail("no handshake in time");
    });
    step();
  }

 private:
  void step() {
    if (over_) return;
    ERR_clear_error();
    const int result = SSL_do_handshake(ssl_.get());
    if (result == 1) return succeed();
    auto wait_for = tcp::socket::wait_read;
    const error_code ec = tls_error(ssl_.get(), result, wait_for, ip_);
    if (ec != asio::error::would_block) return fail(ec.message());
    socket_.async_wait(wait_for, [self = shared_from_this()](error_code wait_ec) {
      if (wait_ec) return self->fail(wait_ec.message());
      self->step();
    });
  }

  void fail(const std::string& why) {
    if (std::exchange(over_, true)) return;
    spdlog::debug("TLS handshake with {} failed: {}", ip_, why);
    place_.give_back();
    deadline_.cancel();
    error_code ignored;
    socket_.close(ignored);
  }

  // Back to the network thread, where the connection lives from now on.
  void succeed() {
    over_ = true;
    deadline_.cancel();
    place_.give_back();
    // Named first: the order in which a lambda's captures are made is unspecified.
    auto certificate = tls::describe_peer_certificate(ssl_.get());
    DetachedSocket detached(socket_);
    asio::post(admission_.home,
               [detached = std::move(detached), ssl = std::move(ssl_), certificate = std::move(certificate),
                admission = admission_, ip = std::move(ip_)]() mutable {
                 auto socket = detached.attach_to(admission.home);
                 if (!socket.is_open()) return;
                 std::make_shared<TlsConnection>(std::move(socket), admission.hub, admission.high_water_bytes,
                                                 std::move(ip), admission.tls, std::move(ssl), std::move(certificate))
                     ->start();
               });
  }

  tcp::socket socket_;
  Admission admission_;
  std::string ip_;
  HandshakePlace place_;
  SslPtr ssl_;
  asio::steady_timer deadline_;
  bool over_ = false;
};

}  // namespace

void start_tls(tcp::socket socket, const Admission& admission, std::string remote_ip) {
  // Capped before any cryptography, so that a flood of handshakes cannot
  // take all the spare CPU, nor pile up.
  if (admission.hub.abuse().begin_handshake(remote_ip, std::chrono::steady_clock::now()))
    return refuse_handshake(socket);
  HandshakePlace place(admission.hub.abuse());
  std::make_shared<TlsHandshake>(std::move(socket), admission, std::move(remote_ip), std::move(place))->start();
}

}  // namespace edgehub::net
