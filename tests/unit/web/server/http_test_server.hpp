#pragma once
// A real HttpServer on one io_context thread with a test Router, for the
// server's behaviour without the API (docs/HTTP_API.md#the-http-server):
// downloads, ranges, uploads, limits, access and upgrades. Clients are
// curl (as users run it) and raw sockets (for what curl will not send).
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <boost/asio/io_context.hpp>
#include <cstdio>
#include <memory>
#include <string>
#include <thread>

#include "net/listener.hpp"
#include "web/server/http_server.hpp"

namespace edgehub::web::test {

class TestServer {
 public:
  TestServer(Router router, std::shared_ptr<SessionResolver> sessions, HttpOptions options = {}) {
    options.port = 0;
    server_ = std::make_unique<HttpServer>(std::move(options), net::Listener("127.0.0.1", 0),
                                           std::vector<boost::asio::any_io_executor>{context_.get_executor()},
                                           std::make_shared<Router>(std::move(router)), std::move(sessions));
    server_->start();
    thread_ = std::thread([this] { context_.run(); });
  }
  ~TestServer() {
    context_.stop();
    thread_.join();
  }
  std::string url(const std::string& path) const { return "http://127.0.0.1:" + std::to_string(port()) + path; }
  std::uint16_t port() const { return server_->port(); }
  HttpServer& server() { return *server_; }

 private:
  boost::asio::io_context context_{1};
  std::unique_ptr<HttpServer> server_;
  std::thread thread_;
};

// Runs a shell command; its standard output.
inline std::string run(const std::string& command) {
  std::string out;
  FILE* pipe = ::popen(command.c_str(), "r");
  if (!pipe) return out;
  std::array<char, 4096> buf{};
  std::size_t n = 0;
  while ((n = std::fread(buf.data(), 1, buf.size(), pipe)) > 0) out.append(buf.data(), n);
  ::pclose(pipe);
  return out;
}

// A blocking TCP client for requests curl would correct or refuse to send.
class RawClient {
 public:
  explicit RawClient(std::uint16_t port) : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) fd_ = -1;
  }
  ~RawClient() {
    if (fd_ >= 0) ::close(fd_);
  }
  bool send(const std::string& bytes) {
    return ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL) == ssize_t(bytes.size());
  }
  // Everything until the server closes the connection.
  std::string read_to_close() {
    std::string out;
    std::array<char, 4096> buf{};
    for (ssize_t n; (n = ::recv(fd_, buf.data(), buf.size(), 0)) > 0;) out.append(buf.data(), std::size_t(n));
    return out;
  }
  // At least `want` bytes, or what came before the server closed.
  std::string read_some(std::size_t want) {
    std::string out;
    std::array<char, 4096> buf{};
    while (out.size() < want) {
      const ssize_t n = ::recv(fd_, buf.data(), buf.size(), 0);
      if (n <= 0) break;
      out.append(buf.data(), std::size_t(n));
    }
    return out;
  }
  void close() {
    ::close(fd_);
    fd_ = -1;
  }

 private:
  int fd_;
};

}  // namespace edgehub::web::test
