// An accepted HTTP connection's first steps (docs/SECURITY.md#http-listener):
// the connection cap, then the first bytes: 0x16 starts TLS with the device
// port's certificate; plaintext is served only to loopback, anyone else gets
// 426 and is closed.
#include <spdlog/spdlog.h>
#include <array>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "net/first_byte.hpp"
#include "web/server/deadline.hpp"
#include "web/server/http_metrics.hpp"
#include "web/server/http_session.hpp"
#include "web/server/proxy_prefix.hpp"

// GCC 12 takes the coroutine frame's own operator new/delete pair for a
// mismatch once serve_socket inlines its helpers (a false positive, as in
// upload.cpp).
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"

namespace edgehub::web {

namespace asio = boost::asio;
using asio::ip::tcp;
using boost::system::error_code;

namespace {

// After an answer that ends the connection, the rest of what the client
// sent is read and dropped for a while before the close: closing with
// unread input makes the kernel send RST, which can destroy the answer
// before the client read it.
constexpr auto kLinger = std::chrono::seconds(2);
constexpr std::size_t kLingerBytes = 1024 * 1024;

asio::awaitable<void> linger_close(tcp::socket& socket) {
  if (!socket.is_open()) co_return;  // handed over (WebSocket)
  error_code ec;
  socket.shutdown(tcp::socket::shutdown_send, ec);
  Deadline deadline(socket);
  deadline.arm(kLinger);
  std::array<char, 4096> scratch{};
  for (std::size_t drained = 0; !ec && drained < kLingerBytes;)
    drained += co_await socket.async_read_some(asio::buffer(scratch), asio::redirect_error(asio::use_awaitable, ec));
  socket.close(ec);
}

// Counts the connection while it lives.
class Slot {
 public:
  explicit Slot(std::atomic<std::size_t>& open) : open_(open), rank_(open.fetch_add(1) + 1) {
    count_http_connection(1);
  }
  ~Slot() {
    open_.fetch_sub(1);
    count_http_connection(-1);
  }
  Slot(const Slot&) = delete;
  Slot& operator=(const Slot&) = delete;
  std::size_t rank() const { return rank_; }

 private:
  std::atomic<std::size_t>& open_;
  std::size_t rank_;
};

asio::awaitable<void> serve_tls(PlainStream& plain, Conn& conn) {
  TlsStream stream(std::move(plain), *conn.shared->options.tls);
  Deadline deadline(stream.next_layer().socket());
  deadline.arm(conn.shared->options.handshake_timeout);
  error_code ec;
  const std::size_t used = co_await stream.async_handshake(asio::ssl::stream_base::server, conn.buffer.data(),
                                                           asio::redirect_error(asio::use_awaitable, ec));
  deadline.disarm();
  if (ec) {
    spdlog::debug("http {}: TLS handshake failed: {}", conn.remote_ip, ec.message());
    co_return;
  }
  conn.buffer.consume(used);
  conn.tls = true;
  co_await run_session(stream, conn);
  co_await linger_close(stream.next_layer().socket());
}

}  // namespace

asio::awaitable<void> serve_socket(tcp::socket socket, std::shared_ptr<HttpShared> shared) {
  Slot slot(shared->open);
  Conn conn;
  conn.shared = shared;
  error_code ec;
  const auto remote = socket.remote_endpoint(ec);
  if (ec) co_return;
  const auto address = remote.address();
  conn.remote_ip = net::address_text(address);
  PlainStream stream(std::move(socket));
  const auto& options = shared->options;
  if (options.max_connections > 0 && slot.rank() > options.max_connections) {
    co_await write_response(stream, conn, json_error(503, "too_many_connections", "the server is busy; try again"),
                            false, false);
    co_await linger_close(stream.socket());
    co_return;
  }
  if (!co_await read_more(stream, conn, options.header_timeout)) co_return;  // silent until the deadline, or gone
  auto client = address;
  if (auto refusal = co_await take_proxy_header(stream, conn, options, client)) {
    co_await write_response(stream, conn, std::move(*refusal), false, false);
    co_await linger_close(stream.socket());
    co_return;
  }
  if (conn.buffer.size() == 0 && !co_await read_more(stream, conn, options.header_timeout)) co_return;
  const auto first = *static_cast<const unsigned char*>(conn.buffer.data().data());
  if (first == net::kTlsHandshakeRecord && options.tls) {
    co_await serve_tls(stream, conn);
  } else if (options.tls && !net::is_loopback(client)) {
    spdlog::info("http: plaintext from {} refused (not loopback): TLS required", conn.remote_ip);
    auto refusal = json_error(426, "tls_required", "this server accepts plain HTTP only from loopback; use https://");
    refusal.headers.emplace_back("Upgrade", "TLS/1.3");
    co_await write_response(stream, conn, std::move(refusal), false, false);
    co_await linger_close(stream.socket());
  } else {
    co_await run_session(stream, conn);
    co_await linger_close(stream.socket());
  }
}

}  // namespace edgehub::web
