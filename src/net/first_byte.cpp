#include "net/first_byte.hpp"

#include <sys/socket.h>

#include <spdlog/spdlog.h>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include <array>
#include <cerrno>
#include <optional>
#include <span>

#include "net/connection.hpp"
#include "net/detached_socket.hpp"
#include "net/proxy_header.hpp"
#include "net/proxy_reader.hpp"
#include "net/tls_handshake.hpp"

namespace edgehub::net {

namespace asio = boost::asio;
using asio::ip::tcp;
using boost::system::error_code;

namespace {

// How long silence means "a plaintext client waiting for the greeting". A
// TLS client sends its ClientHello as soon as it is connected; a local one
// well within this. A remote client gets longer, a slow device's
// ClientHello being worth more than a person's wait at nc.
constexpr auto kLoopbackSilence = std::chrono::milliseconds(250);
constexpr auto kRemoteSilence = std::chrono::seconds(3);

class FirstByte : public std::enable_shared_from_this<FirstByte> {
 public:
  FirstByte(tcp::socket socket, const Admission& admission, const asio::ip::address& client)
      : socket_(std::move(socket)), timer_(socket_.get_executor()), admission_(admission), client_(client) {}

  void start() {
    loopback_ = is_loopback(client_);
    timer_.expires_after(loopback_ ? std::chrono::milliseconds(kLoopbackSilence) : kRemoteSilence);
    timer_.async_wait([self = shared_from_this()](error_code timer_ec) {
      if (timer_ec) return;
      self->silent_ = true;
      error_code ignored;
      self->socket_.cancel(ignored);  // the wait below ends, and decides
    });
    wait();
  }

 private:
  void wait() {
    socket_.async_wait(tcp::socket::wait_read, [self = shared_from_this()](error_code ec) {
      // After the timer, the socket is asked once more: a ClientHello that
      // came while this thread was busy is there, though not yet noticed.
      if (ec && !(ec == asio::error::operation_aborted && self->silent_)) return;
      self->peek();
    });
  }

  // Enough bytes to recognise a PROXY header, which is refused here: a
  // trusted proxy's has been read already (net/proxy_reader.hpp).
  void peek() {
    std::array<std::uint8_t, kProxySignatureLength> head{};
    const ssize_t n = ::recv(socket_.native_handle(), head.data(), head.size(), MSG_PEEK | MSG_DONTWAIT);
    if (n > 0 && starts_with_proxy_signature(std::span(head).first(static_cast<std::size_t>(n))))
      return refuse_proxy_header();
    if (n > 0) return decide(head[0]);
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) {
      if (silent_) return decide(std::nullopt);
      return wait();
    }
    timer_.cancel();  // closed before saying anything
  }

  void decide(std::optional<unsigned char> first) {
    timer_.cancel();
    auto& a = admission_;
    if (first == kTlsHandshakeRecord && a.tls) {
      start_tls(std::move(socket_), a, address_text(client_));
    } else if (loopback_ || !a.tls) {
      start_plaintext(!first && a.tls);  // after silence, a TLS client may still be on its way
    } else {
      spdlog::info("plaintext connection from {} refused (not loopback): TLS required", address_text(client_));
      refuse_connection(socket_, kPlaintextRefused);
    }
  }

  // On the network thread that serves it from now on.
  void start_plaintext(bool greeted_on_silence) {
    std::string ip = address_text(client_);
    if (socket_.get_executor() == asio::any_io_executor(admission_.home))
      return greet_plaintext(std::move(socket_), admission_, std::move(ip), greeted_on_silence);
    asio::post(admission_.home, [admission = admission_, ip = std::move(ip), greeted_on_silence,
                                 detached = DetachedSocket(socket_)]() mutable {
      auto socket = detached.attach_to(admission.home);
      if (socket.is_open()) greet_plaintext(std::move(socket), admission, std::move(ip), greeted_on_silence);
    });
  }

  template <typename AnySocket>  // tcp::socket, or a Connection::Socket already on its thread
  static void greet_plaintext(AnySocket socket, const Admission& a, std::string ip, bool greeted_on_silence) {
    auto plain = std::make_shared<Connection>(std::move(socket), a.hub, a.high_water_bytes, std::move(ip));
    if (greeted_on_silence) plain->greeted_on_silence();
    plain->start();
  }

  // Only a trusted proxy may name the client (its header was read before
  // this check); anyone else's header, or a second one, is refused.
  void refuse_proxy_header() {
    timer_.cancel();
    const std::string client = address_text(client_);
    spdlog::info("PROXY protocol header from {} refused: not a trusted proxy (--proxy-protocol)", client);
    refuse_connection(
        socket_, "-ERR 403 PROXY protocol header refused: " + client + " is not a trusted proxy (--proxy-protocol)\n");
  }

  tcp::socket socket_;
  asio::steady_timer timer_;
  Admission admission_;
  asio::ip::address client_;
  bool loopback_ = false;
  bool silent_ = false;
};

}  // namespace

namespace {

asio::ip::address unmapped(const asio::ip::address& address) {
  if (address.is_v6() && address.to_v6().is_v4_mapped())
    return asio::ip::make_address_v4(asio::ip::v4_mapped, address.to_v6());
  return address;
}

}  // namespace

bool is_loopback(const asio::ip::address& address) { return unmapped(address).is_loopback(); }

std::string address_text(const asio::ip::address& address) { return unmapped(address).to_string(); }

// Written without waiting: the line fits any socket buffer, and a client
// that does not read it loses nothing it could have used.
void refuse_connection(tcp::socket& socket, std::string_view line) {
  (void)::send(socket.native_handle(), line.data(), line.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
  error_code ec;
  socket.shutdown(tcp::socket::shutdown_both, ec);
  socket.close(ec);
}

void admit(tcp::socket socket, const Admission& admission) {
  error_code ec;
  const auto remote = socket.remote_endpoint(ec);
  if (ec) return;  // already gone
  if (admission.proxies && admission.proxies->contains(remote.address()))
    return read_proxy_header(std::move(socket), admission, remote.address());
  admit_as(std::move(socket), admission, remote.address());
}

void admit_as(tcp::socket socket, const Admission& admission, const asio::ip::address& client) {
  std::make_shared<FirstByte>(std::move(socket), admission, client)->start();
}

}  // namespace edgehub::net
