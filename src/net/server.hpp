#pragma once
// The listening server: one io_context per thread (one per core by
// default), connections spread over them round-robin, so a connection's
// state needs no lock. New connections are accepted and admitted (PROXY
// header, first byte, TLS handshake) on the admission threads
// (net/admission_threads.hpp) before they reach a network thread. Also runs the hub's sweeper timer and turns
// SIGINT/SIGTERM into a clean shutdown, SIGHUP into the reload hooks.
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/ssl/context.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "hub/core/hub.hpp"
#include "net/admission_threads.hpp"
#include "net/listener.hpp"
#include "net/trusted_proxies.hpp"

namespace edgehub::net {

struct ServerOptions {
  std::string bind_address = "127.0.0.1";
  std::uint16_t port = 0;
  std::size_t threads = 2;
  std::size_t high_water_bytes = 8 * 1024 * 1024;  // per connection, see docs/PROTOCOL.md
  // TLS on the same port (net/first_byte.hpp); null: plaintext only.
  std::shared_ptr<boost::asio::ssl::context> tls;
  std::chrono::milliseconds tls_handshake_deadline{10'000};  // --tls-handshake-timeout
  // --admission-threads (net/admission_threads.hpp); 0: the network
  // threads accept and run the TLS handshakes themselves.
  std::size_t admission_threads = 1;
  // --proxy-protocol: who may send a PROXY header (net/proxy_reader.hpp); null: nobody.
  std::shared_ptr<const TrustedProxies> proxies;
  // --park-idle: a connection waiting for input this long is parked
  // (net/parking_lot.hpp); zero: never.
  std::chrono::milliseconds park_idle{1000};
};

class Server {
 public:
  // Serves on the socket that start-up opened first (net/listener.hpp).
  Server(const ServerOptions& options, Listener listener, hub::Hub& hub);
  ~Server();

  std::uint16_t port() const { return port_; }
  // Runs until stop() or a signal; then tells clients and closes them.
  void run();
  void stop();
  // The network threads' executors, for other listeners on the same
  // threads (the HTTP server, docs/HTTP_API.md#the-http-server).
  std::vector<boost::asio::any_io_executor> executors() const;
  // Runs on network thread 0 when shutdown begins (SIGINT/SIGTERM, stop()).
  void on_shutdown(std::function<void()> hook) { shutdown_hooks_.push_back(std::move(hook)); }
  // Runs on network thread 0 at each SIGHUP (docs/OPERATIONS.md#reloading-sighup).
  void on_reload(std::function<void()> hook) { reload_hooks_.push_back(std::move(hook)); }

 private:
  boost::asio::awaitable<void> accept_loop();
  boost::asio::io_context::executor_type next_network_thread();
  boost::asio::awaitable<void> sweep_loop();
  void begin_shutdown();
  void wait_for_reload();

  ServerOptions options_;
  hub::Hub& hub_;
  std::vector<std::unique_ptr<boost::asio::io_context>> contexts_;
  std::vector<std::unique_ptr<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>>> guards_;
  // After contexts_: destroyed first, so no connection being admitted is
  // handed to an io_context that is gone.
  std::unique_ptr<AdmissionThreads> admission_;  // null with --admission-threads 0
  // On a strand of the admission threads, or on network thread 0.
  std::unique_ptr<boost::asio::ip::tcp::acceptor> acceptor_;
  // Installed by the constructor, so a SIGTERM that arrives as soon as the
  // port is announced already means a clean shutdown, not the default kill.
  std::unique_ptr<boost::asio::signal_set> signals_;
  std::unique_ptr<boost::asio::signal_set> reload_signal_;  // SIGHUP, from the same moment
  std::uint16_t port_ = 0;
  std::size_t next_context_ = 0;
  bool shutting_down_ = false;
  std::vector<std::function<void()>> shutdown_hooks_;
  std::vector<std::function<void()>> reload_hooks_;
};

}  // namespace edgehub::net
