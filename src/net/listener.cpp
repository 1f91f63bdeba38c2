#include "net/listener.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

#include <fmt/format.h>

#include "common/strings.hpp"

namespace edgehub::net {
namespace {

union SocketAddress {
  sockaddr any;
  sockaddr_in v4;
  sockaddr_in6 v6;
};

// The options check the address (server_options.cpp); anything else that
// gets here is a bug, reported like a listen failure.
socklen_t make_address(const std::string& address, std::uint16_t port, SocketAddress& out) {
  std::memset(&out, 0, sizeof out);
  if (inet_pton(AF_INET, address.c_str(), &out.v4.sin_addr) == 1) {
    out.v4.sin_family = AF_INET;
    out.v4.sin_port = htons(port);
    return sizeof out.v4;
  }
  if (inet_pton(AF_INET6, address.c_str(), &out.v6.sin6_addr) == 1) {
    out.v6.sin6_family = AF_INET6;
    out.v6.sin6_port = htons(port);
    return sizeof out.v6;
  }
  throw ListenError(fmt::format("cannot listen on {}: not an IP address", endpoint_text(address, port)), EINVAL);
}

}  // namespace

std::string endpoint_text(const std::string& address, std::uint16_t port) {
  if (address.find(':') != std::string::npos) return fmt::format("[{}]:{}", address, port);
  return fmt::format("{}:{}", address, port);
}

Listener::Listener(const std::string& address, std::uint16_t port) {
  SocketAddress addr;
  const socklen_t len = make_address(address, port, addr);
  ipv6_ = addr.any.sa_family == AF_INET6;
  const auto fail = [&](int error) {
    if (fd_ >= 0) ::close(std::exchange(fd_, -1));
    throw ListenError(fmt::format("cannot listen on {}: {}", endpoint_text(address, port), error_text(error)), error);
  };
  fd_ = ::socket(addr.any.sa_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd_ < 0) fail(errno);
  const int on = 1;  // a restart must not wait for the old connections' TIME_WAIT
  if (::setsockopt(fd_, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on) != 0) fail(errno);
  if (::bind(fd_, &addr.any, len) != 0) fail(errno);
  if (::listen(fd_, SOMAXCONN) != 0) fail(errno);
  SocketAddress bound;
  socklen_t bound_len = sizeof bound;
  if (::getsockname(fd_, &bound.any, &bound_len) != 0) fail(errno);
  port_ = ntohs(ipv6_ ? bound.v6.sin6_port : bound.v4.sin_port);
}

Listener::~Listener() {
  if (fd_ >= 0) ::close(fd_);
}

Listener::Listener(Listener&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)), port_(other.port_), ipv6_(other.ipv6_) {}

int Listener::take() { return std::exchange(fd_, -1); }

}  // namespace edgehub::net
