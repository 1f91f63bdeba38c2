// Opening a private session's direct connection (docs/MESSAGING.md#private-sessions):
// the listener admits the connections to its port, each on its own, and the
// requester connects to the address the server passed on. The handshake is
// in clear; the listener's first record (READY) proves to the requester that
// both derived the same keys before either shows the session as started.
#include <fmt/format.h>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include <chrono>
#include <memory>
#include <optional>

#include "client/core/client_app.hpp"
#include "client/messaging/private_listener.hpp"
#include "client/messaging/private_wire.hpp"

namespace edgehub::client {

namespace asio = boost::asio;
using asio::ip::tcp;

namespace {

constexpr auto kListenFor = std::chrono::seconds(60);  // for the peer to connect after "accept"
constexpr auto kHandshakeTime = std::chrono::seconds(10);
// What a connection to the accept port gets to say hello. Short, and each
// connection has its own: a silent one costs its own few seconds, not the
// real peer's (docs/MESSAGING.md#private-sessions).
constexpr auto kAdmitTime = std::chrono::seconds(3);
constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);

// Cancels socket's pending operation when limit passes, unless destroyed
// first. The flag covers a timer that expired just as the operation
// completed: its handler, already queued, must not touch a socket the
// coroutine has since moved or destroyed (one I/O thread: no race).
class Deadline {
 public:
  Deadline(tcp::socket& socket, std::chrono::seconds limit) : timer_(socket.get_executor(), limit) {
    timer_.async_wait([&socket, armed = armed_](const boost::system::error_code& ec) {
      boost::system::error_code ignored;
      if (!ec && *armed) socket.cancel(ignored);
    });
  }
  ~Deadline() {
    *armed_ = false;
    timer_.cancel();
  }
  Deadline(const Deadline&) = delete;
  Deadline& operator=(const Deadline&) = delete;

 private:
  std::shared_ptr<bool> armed_ = std::make_shared<bool>(true);
  asio::steady_timer timer_;
};

// One line (without "\n") within `limit`; bytes after it stay in buffer.
// nullopt on timeout, error, end of stream or a line over the limit.
asio::awaitable<std::optional<std::string>> read_line(tcp::socket& socket, std::string& buffer,
                                                      std::chrono::seconds limit) {
  const Deadline deadline(socket, limit);
  const auto [ec, n] =
      co_await asio::async_read_until(socket, asio::dynamic_buffer(buffer, kPrivateMaxLine), '\n', kTuple);
  if (ec) co_return std::nullopt;
  std::string line = buffer.substr(0, n - 1);
  buffer.erase(0, n);
  if (!line.empty() && line.back() == '\r') line.pop_back();
  co_return line;
}

// One record's line within `limit`; nullopt if it does not come or fails to open.
asio::awaitable<std::optional<std::string>> read_record(tcp::socket& socket, std::string& buffer, PrivateCipher& cipher,
                                                        std::chrono::seconds limit) {
  const Deadline deadline(socket, limit);
  char chunk[4096];
  for (;;) {
    auto result = cipher.open(buffer);
    if (auto* line = std::get_if<PrivateCipher::Opened>(&result)) co_return std::move(*line);
    if (std::holds_alternative<PrivateCipher::Bad>(result)) co_return std::nullopt;
    const auto [ec, n] = co_await socket.async_read_some(asio::buffer(chunk), kTuple);
    if (ec) co_return std::nullopt;
    buffer.append(chunk, n);
  }
}

// Callers pass named strings: GCC 12 may destroy a temporary inside a
// co_await expression twice.
asio::awaitable<bool> write_all(tcp::socket& socket, const std::string& bytes) {
  const auto [ec, n] = co_await asio::async_write(socket, asio::buffer(bytes), kTuple);
  co_return !ec;
}

}  // namespace

asio::awaitable<void> PrivateChannels::accept_loop(std::shared_ptr<Listener> listener) {
  listener->deadline.expires_after(kListenFor);
  listener->deadline.async_wait([this, listener](const boost::system::error_code& ec) {
    if (ec) return;
    app_.out().info("private", fmt::format("{} did not connect; no private session", listener->peer));
    listener->close();
  });
  // Each handshake runs on its own: the loop goes straight back to accepting.
  for (;;) {
    auto [ec, socket] = co_await listener->acceptor.async_accept(kTuple);
    if (ec) break;  // closed: timed out, cancelled, or the peer was admitted
    asio::co_spawn(app_.io(), admit(listener, std::move(socket)), asio::detached);
  }
  listener->close();
  forget_listener(listener);
}

asio::awaitable<void> PrivateChannels::admit(std::shared_ptr<Listener> listener, tcp::socket socket) {
  std::string buffer;
  const auto line = co_await read_line(socket, buffer, kAdmitTime);
  if (line && line->starts_with(std::string(kPrivateHelloV1) + " ")) {
    const std::string refusal =
        fmt::format("ERR refused: this device speaks {} (end-to-end encrypted); update edgehub\n", kPrivateHello);
    co_await write_all(socket, refusal);
    co_return;
  }
  const auto hello = line ? parse_hello(*line) : std::nullopt;
  if (!hello || hello->name != listener->peer || hello->token != listener->token || listener->admitted) {
    const std::string refusal = "ERR refused: wrong peer or token\n";
    co_await write_all(socket, refusal);
    co_return;  // the listener keeps waiting for the right peer
  }
  auto cipher = listener->peer_key ? PrivateCipher::make(listener->keys, p2p::crypto::own_offer(), *listener->peer_key,
                                                         false, {listener->peer, app_.name(), listener->token})
                                   : std::nullopt;
  if (!cipher) {
    const std::string refusal = "ERR refused: no usable public key\n";
    co_await write_all(socket, refusal);
    app_.out().error(
        fmt::format("Could not open the private session with {}: the server passed on no usable "
                    "public key of {}",
                    listener->peer, listener->peer));
    listener->close();
    co_return;
  }
  listener->admitted = true;
  const std::string ok = fmt::format("OK {}\n", app_.name()) + cipher->seal("READY");
  if (!co_await write_all(socket, ok)) {
    listener->admitted = false;
    co_return;
  }
  open(std::move(socket), listener->peer, std::move(*cipher), std::move(buffer));
  listener->close();  // ends accept_loop
}

asio::awaitable<void> PrivateChannels::connect_to(std::shared_ptr<Offer> offer) {
  const std::string& peer = offer->peer;
  auto fail = [&](std::string_view why) {
    app_.out().error(fmt::format("Could not open the private session with {}: {}", peer, why));
  };
  auto cipher = PrivateCipher::make(offer->keys, p2p::crypto::own_offer(), offer->peer_key, true,
                                    {app_.name(), peer, offer->token});
  if (!cipher) co_return fail(fmt::format("the server passed on an unusable public key of {}", peer));
  boost::system::error_code ec;
  const auto address = asio::ip::make_address(offer->host, ec);
  if (ec) co_return fail("bad address " + offer->host);
  tcp::socket socket(app_.io());
  std::optional<Deadline> connect_deadline(std::in_place, socket, kHandshakeTime);
  const auto [connect_error] = co_await socket.async_connect(tcp::endpoint(address, offer->port), kTuple);
  connect_deadline.reset();
  if (connect_error) co_return fail(connect_error.message());
  const std::string hello = encode_hello(app_.name(), offer->token);
  if (!co_await write_all(socket, hello)) co_return fail("connection lost");
  std::string buffer;
  const auto answer = co_await read_line(socket, buffer, kHandshakeTime);
  if (!answer || *answer != "OK " + peer) co_return fail(answer ? *answer : std::string("no answer"));
  const auto ready = co_await read_record(socket, buffer, *cipher, kHandshakeTime);
  if (ready != "READY")
    co_return fail(
        fmt::format("its first record did not open with the keys agreed through the server (a key or the "
                    "connection was changed on the way); nothing was sent"));
  open(std::move(socket), peer, std::move(*cipher), std::move(buffer));
}

}  // namespace edgehub::client
