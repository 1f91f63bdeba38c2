#include "client/messaging/private_channels.hpp"

#include <fmt/format.h>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>

#include <chrono>
#include <condition_variable>
#include <optional>
#include <stdexcept>

#include "client/core/client_app.hpp"
#include "client/messaging/private_listener.hpp"
#include "client/messaging/private_wire.hpp"
#include "common/strings.hpp"

namespace edgehub::client {

namespace asio = boost::asio;
using asio::ip::tcp;
using Kind = protocol::ServerMessage::Kind;

namespace {

constexpr auto kFlushAtExit = std::chrono::seconds(2);

}  // namespace

PrivateChannels::~PrivateChannels() = default;

bool PrivateChannels::on_event(const protocol::ServerMessage& m) {
  if (m.name == "PRIVSTOP") {
    on_stop_event(m.text);
    return true;
  }
  if (m.name == "PRIVSTART") {
    on_start_event(m.text);
    return true;
  }
  const auto [peer, key] = split_first_word(m.text);
  std::lock_guard lock(mutex_);
  if (m.name == "PRIVREQ") {  // the key for a later "accept"; a request without one cannot be accepted
    if (const auto pk = p2p::crypto::decode_peer_key(key))
      requests_[std::string(peer)] = *pk;
    else
      requests_.erase(std::string(peer));
  } else if (m.name == "PRIVDECLINED" || m.name == "PRIVCANCEL") {
    asked_.erase(std::string(peer));
    requests_.erase(std::string(peer));
  }
  return false;
}

// !PRIVSTART PEER HOST PORT TOKEN KEY[:CIPHERS]: connect with the key pair made by
// our startprivate (docs/MESSAGING.md#private-sessions).
void PrivateChannels::on_start_event(const std::string& text) {
  const auto words = split_words(text, 6);
  const auto port = words.size() == 5 ? parse_uint64(words[2]) : std::nullopt;
  const auto key = words.size() == 5 ? p2p::crypto::decode_peer_key(words[4]) : std::nullopt;
  if (!port || *port == 0 || *port > 65535 || !key)
    return app_.out().error(fmt::format("The server sent a malformed private session offer: {}", text));
  auto offer = std::make_shared<Offer>();
  offer->peer = std::string(words[0]);
  {
    std::lock_guard lock(mutex_);
    const auto it = asked_.find(offer->peer);
    if (it == asked_.end())
      return app_.out().error(
          fmt::format("The server sent a private session offer from {} that this client did not ask for", offer->peer));
    offer->keys = it->second;
    asked_.erase(it);
  }
  offer->host = std::string(words[1]);
  offer->port = static_cast<std::uint16_t>(*port);
  offer->token = std::string(words[3]);
  offer->peer_key = *key;
  asio::co_spawn(app_.io(), connect_to(std::move(offer)), asio::detached);
}

std::string PrivateChannels::ask(const std::string& peer) {
  const auto keys = p2p::crypto::make_kx_keypair();
  std::lock_guard lock(mutex_);
  asked_[peer] = keys;
  return p2p::crypto::encode_public_key(keys.public_key);
}

void PrivateChannels::forget_ask(const std::string& peer) {
  std::lock_guard lock(mutex_);
  asked_.erase(peer);
}

PrivateChannels::Invitation PrivateChannels::listen(const std::string& peer) {
  std::optional<p2p::crypto::PeerKey> peer_key;
  {
    std::lock_guard lock(mutex_);
    if (const auto it = requests_.find(peer); it != requests_.end()) peer_key = it->second;
  }
  auto listener = std::make_shared<Listener>(app_.io(), peer, make_private_token(), peer_key);
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
  return {port, listener->token, p2p::crypto::encode_public_key(listener->keys.public_key)};
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

void PrivateChannels::open(tcp::socket socket, const std::string& peer, PrivateCipher cipher, std::string leftover) {
  const std::string cipher_name = cipher.cipher_name();  // cipher moves into the channel
  auto channel = std::make_shared<PrivateChannel>(std::move(socket), peer, std::move(cipher), std::move(leftover));
  std::shared_ptr<PrivateChannel> old;
  {
    std::lock_guard lock(mutex_);
    old = std::exchange(channels_[peer], channel);
    requests_.erase(peer);
  }
  if (old) old->abandon();
  app_.out().info("private", fmt::format("Private session with {} started ({})", peer, cipher_name));
  channel->start(
      [this](const std::string& from, std::string_view text) {
        protocol::ServerMessage m;
        m.kind = Kind::Event;
        m.name = "PRIVATE";
        m.text = fmt::format("{} {}", from, text);
        app_.out().event(m);
      },
      [this](const std::shared_ptr<PrivateChannel>& c, const std::string& why) { closed_by_peer(c, why); });
}

void PrivateChannels::closed_by_peer(const std::shared_ptr<PrivateChannel>& channel, const std::string& why) {
  {
    std::lock_guard lock(mutex_);
    const auto it = channels_.find(channel->peer());
    if (it == channels_.end() || it->second != channel) return;  // already ended here
    channels_.erase(it);
  }
  if (why.empty()) return app_.out().info("private", fmt::format("Private session with {} ended", channel->peer()));
  // A record failed to open, here or at the peer: shown and counted as an
  // error (docs/SECURITY.md#end-to-end-encryption-private-sessions-and-verify).
  app_.out().error(fmt::format("Private session with {} ended: {}", channel->peer(), why));
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

std::optional<std::string> PrivateChannels::sas(const std::string& peer) {
  std::lock_guard lock(mutex_);
  const auto it = channels_.find(peer);
  if (it == channels_.end()) return std::nullopt;
  return it->second->sas();
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
    asked_.clear();
    requests_.clear();
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
