#include "client/messaging/private_channels.hpp"

#include <fmt/format.h>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include <chrono>
#include <condition_variable>
#include <optional>
#include <stdexcept>

#include "client/core/client_app.hpp"
#include "client/messaging/private_wire.hpp"
#include "common/strings.hpp"

namespace edgehub::client {

namespace asio = boost::asio;
using asio::ip::tcp;
using Kind = protocol::ServerMessage::Kind;

namespace {

constexpr auto kListenFor = std::chrono::seconds(60);  // for the peer to connect after "accept"
constexpr auto kHandshakeTime = std::chrono::seconds(10);
// What a connection to the accept port gets to say hello. Short, and each
// connection has its own: a silent one costs its own few seconds, not the
// real peer's (docs/MESSAGING.md#private-sessions).
constexpr auto kAdmitTime = std::chrono::seconds(3);
constexpr auto kFlushAtExit = std::chrono::seconds(2);
constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);

// One line (without "\n") within `limit`; bytes after it stay in buffer.
// nullopt on timeout, error, end of stream or a line over the limit.
asio::awaitable<std::optional<std::string>> read_line(tcp::socket& socket, std::string& buffer,
                                                      std::chrono::seconds limit) {
  asio::steady_timer timer(socket.get_executor(), limit);
  timer.async_wait([&socket](const boost::system::error_code& ec) {
    boost::system::error_code ignored;
    if (!ec) socket.cancel(ignored);
  });
  const auto [ec, n] =
      co_await asio::async_read_until(socket, asio::dynamic_buffer(buffer, kPrivateMaxLine), '\n', kTuple);
  timer.cancel();
  if (ec) co_return std::nullopt;
  std::string line = buffer.substr(0, n - 1);
  buffer.erase(0, n);
  if (!line.empty() && line.back() == '\r') line.pop_back();
  co_return line;
}

// Callers pass named strings: GCC 12 may destroy a temporary inside a
// co_await expression twice.
asio::awaitable<bool> write_all(tcp::socket& socket, const std::string& bytes) {
  const auto [ec, n] = co_await asio::async_write(socket, asio::buffer(bytes), kTuple);
  co_return !ec;
}

}  // namespace

struct PrivateChannels::Listener {
  Listener(asio::io_context& io, std::string p, std::string t)
      : acceptor(io), deadline(io), peer(std::move(p)), token(std::move(t)) {}
  void close() {
    boost::system::error_code ignored;
    acceptor.close(ignored);
    deadline.cancel();
  }
  tcp::acceptor acceptor;
  asio::steady_timer deadline;
  const std::string peer;
  const std::string token;
  bool admitted = false;  // on the io thread only
};

PrivateChannels::~PrivateChannels() = default;

bool PrivateChannels::on_event(const protocol::ServerMessage& m) {
  if (m.name == "PRIVSTOP") {
    on_stop_event(m.text);
    return true;
  }
  if (m.name != "PRIVSTART") return false;
  const auto words = split_words(m.text, 5);  // PEER HOST PORT TOKEN
  const auto port = words.size() == 4 ? parse_uint64(words[2]) : std::nullopt;
  if (!port || *port == 0 || *port > 65535) {
    app_.out().error(fmt::format("The server sent a malformed private session offer: {}", m.text));
    return true;
  }
  asio::co_spawn(app_.io(),
                 connect_to(std::string(words[0]), std::string(words[1]), static_cast<std::uint16_t>(*port),
                            std::string(words[3])),
                 asio::detached);
  return true;
}

PrivateChannels::Invitation PrivateChannels::listen(const std::string& peer) {
  auto listener = std::make_shared<Listener>(app_.io(), peer, make_private_token());
  boost::system::error_code ec;
  const std::string local = app_.link().local_address();  // the interface that reaches the server
  const auto address = asio::ip::make_address(local.empty() ? "0.0.0.0" : local, ec);
  const tcp::endpoint endpoint(ec ? asio::ip::address_v4::any() : address, 0);
  listener->acceptor.open(endpoint.protocol(), ec);
  if (!ec) listener->acceptor.bind(endpoint, ec);
  if (!ec) listener->acceptor.listen(4, ec);
  if (ec) throw std::runtime_error("cannot listen for the private session: " + ec.message());
  const std::uint16_t port = listener->acceptor.local_endpoint(ec).port();
  std::shared_ptr<Listener> old;
  {
    std::lock_guard lock(mutex_);
    old = std::exchange(listeners_[peer], listener);
  }
  if (old) asio::post(app_.io(), [old] { old->close(); });
  asio::co_spawn(app_.io(), accept_loop(listener), asio::detached);
  return {port, listener->token};
}

void PrivateChannels::cancel_listen(const std::string& peer) {
  std::shared_ptr<Listener> listener;
  {
    std::lock_guard lock(mutex_);
    const auto it = listeners_.find(peer);
    if (it == listeners_.end()) return;
    listener = std::move(it->second);
    listeners_.erase(it);
  }
  asio::post(app_.io(), [listener] { listener->close(); });
}

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
  const auto hello = line ? parse_hello(*line) : std::nullopt;
  if (!hello || hello->name != listener->peer || hello->token != listener->token || listener->admitted) {
    const std::string refusal = "ERR refused: wrong peer or token\n";
    co_await write_all(socket, refusal);
    co_return;  // the listener keeps waiting for the right peer
  }
  listener->admitted = true;
  const std::string ok = fmt::format("OK {}\n", app_.name());
  if (!co_await write_all(socket, ok)) {
    listener->admitted = false;
    co_return;
  }
  open(std::move(socket), listener->peer, std::move(buffer));
  listener->close();  // ends accept_loop
}

asio::awaitable<void> PrivateChannels::connect_to(std::string peer, std::string host, std::uint16_t port,
                                                  std::string token) {
  auto fail = [&](std::string_view why) {
    app_.out().error(fmt::format("Could not open the private session with {}: {}", peer, why));
  };
  boost::system::error_code ec;
  const auto address = asio::ip::make_address(host, ec);
  if (ec) co_return fail("bad address " + host);
  tcp::socket socket(app_.io());
  asio::steady_timer timer(app_.io(), kHandshakeTime);
  timer.async_wait([&socket](const boost::system::error_code& e) {
    boost::system::error_code ignored;
    if (!e) socket.close(ignored);
  });
  const auto [connect_error] = co_await socket.async_connect(tcp::endpoint(address, port), kTuple);
  timer.cancel();
  if (connect_error) co_return fail(connect_error.message());
  const std::string hello = encode_hello(app_.name(), token);
  if (!co_await write_all(socket, hello)) co_return fail("connection lost");
  std::string buffer;
  const auto answer = co_await read_line(socket, buffer, kHandshakeTime);
  if (!answer || *answer != "OK " + peer) co_return fail(answer ? *answer : std::string("no answer"));
  open(std::move(socket), peer, std::move(buffer));
}

void PrivateChannels::open(tcp::socket socket, const std::string& peer, std::string leftover) {
  auto channel = std::make_shared<PrivateChannel>(std::move(socket), peer, std::move(leftover));
  std::shared_ptr<PrivateChannel> old;
  {
    std::lock_guard lock(mutex_);
    old = std::exchange(channels_[peer], channel);
  }
  if (old) old->abandon();
  app_.out().info("private", fmt::format("Private session with {} started", peer));
  channel->start(
      [this](const std::string& from, std::string_view text) {
        protocol::ServerMessage m;
        m.kind = Kind::Event;
        m.name = "PRIVATE";
        m.text = fmt::format("{} {}", from, text);
        app_.out().event(m);
      },
      [this](const std::shared_ptr<PrivateChannel>& c) { closed_by_peer(c); });
}

void PrivateChannels::closed_by_peer(const std::shared_ptr<PrivateChannel>& channel) {
  {
    std::lock_guard lock(mutex_);
    const auto it = channels_.find(channel->peer());
    if (it == channels_.end() || it->second != channel) return;  // already ended here
    channels_.erase(it);
  }
  app_.out().info("private", fmt::format("Private session with {} ended", channel->peer()));
}

void PrivateChannels::forget_listener(const std::shared_ptr<Listener>& listener) {
  std::lock_guard lock(mutex_);
  const auto it = listeners_.find(listener->peer);
  if (it != listeners_.end() && it->second == listener) listeners_.erase(it);
}

void PrivateChannels::on_stop_event(const std::string& peer) {
  std::shared_ptr<PrivateChannel> channel;
  std::shared_ptr<Listener> listener;
  {
    std::lock_guard lock(mutex_);
    if (auto it = channels_.find(peer); it != channels_.end()) {
      channel = std::move(it->second);
      channels_.erase(it);
    }
    if (auto it = listeners_.find(peer); it != listeners_.end()) {
      listener = std::move(it->second);
      listeners_.erase(it);
    }
  }
  if (channel) channel->abandon();
  if (listener) listener->close();
  if (channel || listener) app_.out().info("private", fmt::format("Private session with {} ended", peer));
}

bool PrivateChannels::send(const std::string& peer, std::string_view text) {
  std::lock_guard lock(mutex_);
  const auto it = channels_.find(peer);
  if (it == channels_.end()) return false;
  it->second->write_line(fmt::format("MSG {}", text));
  return true;
}

bool PrivateChannels::stop(const std::string& peer) {
  std::shared_ptr<PrivateChannel> channel;
  {
    std::lock_guard lock(mutex_);
    const auto it = channels_.find(peer);
    if (it != channels_.end()) {
      channel = std::move(it->second);
      channels_.erase(it);
    }
  }
  cancel_listen(peer);
  if (!channel) return false;
  channel->finish([] {});
  return true;
}

void PrivateChannels::close_all() {
  std::map<std::string, std::shared_ptr<PrivateChannel>> channels;
  std::map<std::string, std::shared_ptr<Listener>> listeners;
  {
    std::lock_guard lock(mutex_);
    channels.swap(channels_);
    listeners.swap(listeners_);
  }
  for (auto& [peer, listener] : listeners) asio::post(app_.io(), [l = listener] { l->close(); });
  if (channels.empty()) return;
  // Wait (bounded) until every peer has been sent BYE, so that it learns at
  // once that the session ended, even if the process exits right after.
  auto state = std::make_shared<std::pair<std::mutex, std::condition_variable>>();
  auto remaining = std::make_shared<std::size_t>(channels.size());
  for (auto& [peer, channel] : channels)
    channel->finish([state, remaining] {
      std::lock_guard lock(state->first);
      --*remaining;
      state->second.notify_all();
    });
  std::unique_lock lock(state->first);
  state->second.wait_for(lock, kFlushAtExit, [&] { return *remaining == 0; });
}

}  // namespace edgehub::client
