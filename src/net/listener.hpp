#pragma once
// The server's listening socket, opened before the slow part of start-up
// (the credential import), so a port already in use is said at once and in
// plain words (README.md#the-server).
#include <cstdint>
#include <stdexcept>
#include <string>

namespace edgehub::net {

class ListenError : public std::runtime_error {
 public:
  ListenError(const std::string& what, int error) : std::runtime_error(what), error_number(error) {}
  int error_number;  // errno of the failed call (EADDRINUSE, EACCES, ...)
};

// A bound, listening TCP socket; the Server adopts it (take()).
class Listener {
 public:
  // Throws ListenError: "cannot listen on 127.0.0.1:7475: address already in use".
  Listener(const std::string& address, std::uint16_t port);
  ~Listener();
  Listener(Listener&& other) noexcept;
  Listener(const Listener&) = delete;
  Listener& operator=(const Listener&) = delete;
  Listener& operator=(Listener&&) = delete;

  std::uint16_t port() const { return port_; }  // the one chosen for port 0
  bool ipv6() const { return ipv6_; }
  int take();  // the descriptor, now owned by the caller

 private:
  int fd_ = -1;
  std::uint16_t port_ = 0;
  bool ipv6_ = false;
};

// "127.0.0.1:7475", "[::1]:7475".
std::string endpoint_text(const std::string& address, std::uint16_t port);

}  // namespace edgehub::net
