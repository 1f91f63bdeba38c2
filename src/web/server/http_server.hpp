#pragma once
// The HTTP listener of edgehubd (docs/HTTP_API.md#the-http-server): one
// acceptor on the first network thread, connections spread round-robin over
// the server's network threads like device connections, each served by one
// coroutine that never blocks its thread. TLS on the same port (first byte
// 0x16), plaintext only from loopback.
#include <atomic>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "net/listener.hpp"
#include "net/trusted_proxies.hpp"
#include "web/core/route.hpp"

namespace edgehub::web {

inline constexpr std::uint16_t kDefaultHttpPort = 7480;

struct HttpOptions {
  std::string bind_address = "127.0.0.1";            // --http-bind
  std::uint16_t port = kDefaultHttpPort;             // --http-port; 0: no HTTP listener
  std::size_t max_connections = 1024;                // --http-max-connections; more get 503
  std::chrono::milliseconds header_timeout{10'000};  // --http-header-timeout: whole header block
  std::chrono::milliseconds body_timeout{30'000};    // --http-body-timeout: silence within a body / a write
  std::size_t header_limit = 8 * 1024;               // request line + headers; more: 431
  // The device port's TLS context (net/tls_context.hpp); null: plaintext
  // from anywhere (unit tests only).
  std::shared_ptr<boost::asio::ssl::context> tls;
  std::chrono::milliseconds handshake_timeout{10'000};  // also bounds the wait for a PROXY header
  // --proxy-protocol, shared with the device port: who may send a PROXY
  // header (web/server/proxy_prefix.hpp); null: nobody.
  std::shared_ptr<const net::TrustedProxies> proxies;
  // For the API's browser sessions (web/api/web_sessions.hpp), not this server.
  std::chrono::seconds session_idle{30 * 60};   // --http-session-idle
  std::chrono::seconds session_max{12 * 3600};  // --http-session-max
};

// What every connection shares, read-only after start (the counter aside).
struct HttpShared {
  HttpOptions options;
  std::shared_ptr<const Router> router;
  std::shared_ptr<SessionResolver> sessions;  // may be null: nobody is logged in
  std::atomic<std::size_t> open{0};
};

class HttpServer {
 public:
  // `executors`: the network threads; the acceptor runs on the first.
  HttpServer(HttpOptions options, net::Listener listener, std::vector<boost::asio::any_io_executor> executors,
             std::shared_ptr<const Router> router, std::shared_ptr<SessionResolver> sessions);
  ~HttpServer();

  std::uint16_t port() const { return port_; }
  std::size_t open_connections() const { return shared_->open.load(std::memory_order_relaxed); }
  void start();
  // Stops accepting (connections in progress end with the io_contexts).
  void stop();

 private:
  boost::asio::awaitable<void> accept_loop();

  std::shared_ptr<HttpShared> shared_;
  std::vector<boost::asio::any_io_executor> executors_;
  std::unique_ptr<boost::asio::ip::tcp::acceptor> acceptor_;
  std::uint16_t port_ = 0;
  std::size_t next_ = 0;
};

// Serves one accepted socket (web/server/admission.cpp).
boost::asio::awaitable<void> serve_socket(boost::asio::ip::tcp::socket socket, std::shared_ptr<HttpShared> shared);

}  // namespace edgehub::web
