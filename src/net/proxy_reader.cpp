#include "net/proxy_reader.hpp"

#include <sys/socket.h>

#include <spdlog/spdlog.h>
#include <boost/asio/steady_timer.hpp>

#include <array>
#include <cerrno>
#include <memory>
#include <span>
#include <string>

#include "net/proxy_header.hpp"

namespace edgehub::net {

namespace asio = boost::asio;
using asio::ip::tcp;
using boost::system::error_code;

namespace {

// Bytes peeked at once: a header from HAProxy is 28 (IPv4) or 52 (IPv6)
// bytes, and TLVs seldom add much; a longer one takes more turns.
constexpr std::size_t kPeekChunk = 1024;

class ProxyReader : public std::enable_shared_from_this<ProxyReader> {
 public:
  ProxyReader(tcp::socket socket, const Admission& admission, const asio::ip::address& proxy)
      : socket_(std::move(socket)), timer_(socket_.get_executor()), admission_(admission), proxy_(proxy) {}

  void start() {
    timer_.expires_after(admission_.handshake_deadline);
    timer_.async_wait([self = shared_from_this()](error_code ec) {
      if (!ec) self->fail("no PROXY protocol header in time");
    });
    wait();
  }

 private:
  void wait() {
    socket_.async_wait(tcp::socket::wait_read, [self = shared_from_this()](error_code ec) {
      if (!ec && self->socket_.is_open()) self->read();
    });
  }

  void read() {
    std::array<std::uint8_t, kPeekChunk> chunk{};
    const std::size_t room = std::min(chunk.size(), kProxyV2MaxLength - header_.size());
    const ssize_t n = ::recv(socket_.native_handle(), chunk.data(), room, MSG_PEEK | MSG_DONTWAIT);
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) return wait();
    if (n <= 0) return gone();
    const std::size_t had = header_.size();
    header_.insert(header_.end(), chunk.begin(), chunk.begin() + n);
    const ProxyHeader decoded = decode_proxy_header(header_);
    switch (decoded.status) {
      case ProxyHeader::Status::invalid:
        return fail(decoded.error);
      case ProxyHeader::Status::need_more:
        if (!consume(static_cast<std::size_t>(n))) return gone();
        return wait();
      case ProxyHeader::Status::complete:
        if (!consume(decoded.length - had)) return gone();
        return admit_client(decoded);
    }
  }

  // Takes from the socket bytes already peeked, so they are there.
  bool consume(std::size_t count) {
    std::array<std::uint8_t, kPeekChunk> sink{};
    while (count > 0) {
      const ssize_t n = ::recv(socket_.native_handle(), sink.data(), std::min(count, sink.size()), MSG_DONTWAIT);
      if (n <= 0) return false;
      count -= static_cast<std::size_t>(n);
    }
    return true;
  }

  void admit_client(const ProxyHeader& decoded) {
    timer_.cancel();
    header_ = {};
    const asio::ip::address client = decoded.source ? proxy_source_address(*decoded.source) : proxy_;
    spdlog::debug("PROXY protocol header from {}: client {}", address_text(proxy_), address_text(client));
    admit_as(std::move(socket_), admission_, client);
  }

  // Closed (or failed) before the header ended. Without a byte of it, a TCP
  // health check that only connects: nothing to say.
  void gone() {
    if (!header_.empty()) return fail("the connection ended inside the PROXY protocol header");
    timer_.cancel();
    spdlog::debug("connection from proxy {} closed before its PROXY protocol header ended", address_text(proxy_));
    error_code ignored;
    socket_.close(ignored);
  }

  void fail(const std::string& why) {
    if (!socket_.is_open()) return;
    timer_.cancel();
    spdlog::warn("PROXY protocol header from trusted proxy {} refused: {}", address_text(proxy_), why);
    refuse_connection(socket_, bad_proxy_header_line(why));
  }

  tcp::socket socket_;
  asio::steady_timer timer_;
  Admission admission_;
  asio::ip::address proxy_;
  std::vector<std::uint8_t> header_;  // the bytes consumed so far (and those just peeked)
};

}  // namespace

asio::ip::address proxy_source_address(const ProxySource& source) {
  if (!source.ipv6) {
    asio::ip::address_v4::bytes_type v4{};
    std::copy_n(source.address.begin(), v4.size(), v4.begin());
    return asio::ip::address_v4(v4);
  }
  return asio::ip::address_v6(source.address);
}

std::string bad_proxy_header_line(const std::string& why) {
  return "-ERR 400 Bad PROXY protocol header: " + why + "\n";
}

void read_proxy_header(tcp::socket socket, const Admission& admission, const asio::ip::address& proxy) {
  std::make_shared<ProxyReader>(std::move(socket), admission, proxy)->start();
}

}  // namespace edgehub::net
