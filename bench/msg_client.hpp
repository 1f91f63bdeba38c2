#pragma once
// msg_load's connections, for both servers it compares: edgehubd (guests,
// text lines) and an MQTT 3.1.1 broker (binary packets, mqtt_wire.hpp). A
// client connects (an MQTT receiver also subscribes), formats messages,
// and reads "events": an answer to its own command or PUBLISH, or a
// message delivered to it.
#include <fmt/format.h>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include <charconv>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>

#include "mqtt_wire.hpp"

namespace edgehub::bench::msg {

namespace asio = boost::asio;
using asio::ip::tcp;
inline constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);
inline constexpr std::string_view kBroadcastTopic = "bcast";

inline std::int64_t now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

enum class Protocol { edgehub, mqtt };

struct Client {
  Client(asio::io_context& io, Protocol p) : socket(io), protocol(p) {}
  tcp::socket socket;
  Protocol protocol;
  std::string name;  // edgehub: the guest name; MQTT: the topic subscribed to
  std::string input;
  std::size_t offset = 0;
  std::uint16_t last_id = 0;  // MQTT: the last packet id used
  std::string owed;           // MQTT: PUBACKs to write before the next read
};

// Reads more input after what is unparsed; false at end of stream.
inline asio::awaitable<bool> read_more(Client& c) {
  c.input.erase(0, c.offset);
  c.offset = 0;
  const std::size_t old = c.input.size();
  c.input.resize(old + 64 * 1024);
  const auto [ec, n] = co_await c.socket.async_read_some(asio::buffer(c.input.data() + old, 64 * 1024), kTuple);
  c.input.resize(old + n);
  co_return !ec;
}

// The next line, without "\n"; nullopt at end of stream. The view is valid
// until the next call.
inline asio::awaitable<std::optional<std::string_view>> next_line(Client& c) {
  for (;;) {
    const auto nl = c.input.find('\n', c.offset);
    if (nl != std::string::npos) {
      const std::string_view line(c.input.data() + c.offset, nl - c.offset);
      c.offset = nl + 1;
      co_return line;
    }
    if (!co_await read_more(c)) co_return std::nullopt;
  }
}

inline asio::awaitable<bool> send(Client& c, const std::string& bytes) {
  const auto [ec, n] = co_await asio::async_write(c.socket, asio::buffer(bytes), kTuple);
  co_return !ec;
}

// ---------------------------------------------------------------- events

enum class Kind { other, closed, ack, refused, delivery };

struct Event {
  Kind kind = Kind::other;
  std::int64_t sent_ns = 0;  // delivery: the "T<ns>" the text carries (0 if none)
  std::size_t reached = 0;   // edgehub broadcast ack: recipients counted by the server
};

inline std::int64_t sent_time(std::string_view text) {
  const auto t = text.starts_with('T') ? 0 : text.find(" T");
  if (t == std::string_view::npos) return 0;
  const auto digits = text.substr(t + (t == 0 ? 1 : 2));
  std::int64_t sent = 0;
  std::from_chars(digits.data(), digits.data() + digits.size(), sent);
  return sent;
}

inline asio::awaitable<Event> edgehub_event(Client& c) {
  const auto line = co_await next_line(c);
  if (!line) co_return Event{Kind::closed};
  if (line->starts_with("!MSG ") || line->starts_with("!BCAST ")) co_return Event{Kind::delivery, sent_time(*line)};
  if (line->starts_with("!")) co_return Event{};
  if (!line->starts_with("+OK")) co_return Event{Kind::refused};
  constexpr std::string_view kSent = "+OK Broadcast sent to ";
  const std::size_t reached = line->starts_with(kSent) ? std::strtoull(line->data() + kSent.size(), nullptr, 10) : 0;
  co_return Event{Kind::ack, 0, reached};
}

// A QoS 1 PUBLISH delivered to us is acknowledged (batched: see mqtt_event).
inline Event mqtt_packet_event(Client& c, const mqtt::Packet& p) {
  if (p.type == mqtt::kPuback) return Event{Kind::ack};
  if (p.type != mqtt::kPublish) return Event{};
  const auto publish = mqtt::parse_publish(p);
  if (!publish) return Event{Kind::closed};
  if (publish->qos == 1) mqtt::append_puback(c.owed, publish->packet_id);
  return Event{Kind::delivery, sent_time(publish->payload)};
}

// The PUBACKs owed go out when everything read so far is parsed.
inline asio::awaitable<Event> mqtt_event(Client& c) {
  for (;;) {
    bool bad = false;
    if (const auto packet = mqtt::next_packet(c.input, c.offset, bad)) co_return mqtt_packet_event(c, *packet);
    if (bad) co_return Event{Kind::closed};
    if (!c.owed.empty()) {
      const std::string owed = std::move(c.owed);
      c.owed.clear();
      if (!co_await send(c, owed)) co_return Event{Kind::closed};
    }
    if (!co_await read_more(c)) co_return Event{Kind::closed};
  }
}

inline asio::awaitable<Event> next_event(Client& c) {
  if (c.protocol == Protocol::mqtt) co_return co_await mqtt_event(c);
  co_return co_await edgehub_event(c);
}

// ---------------------------------------------------------------- connect

// edgehub: the greeting "+OK EDGEHUB/1 guest NAME ..." names us.
inline asio::awaitable<bool> edgehub_hello(Client& c) {
  const auto greeting = co_await next_line(c);
  if (!greeting || !greeting->starts_with("+OK EDGEHUB/1 guest ")) co_return false;
  const auto rest = greeting->substr(20);
  c.name = std::string(rest.substr(0, rest.find(' ')));
  co_return true;
}

// edgehub without guests: the greeting, then a login as `account` with the
// password msg_load --write-credentials gave it ("pw" + its number + "x").
inline asio::awaitable<bool> edgehub_login(Client& c, const std::string& account) {
  const auto greeting = co_await next_line(c);
  if (!greeting || !greeting->starts_with("+OK EDGEHUB/")) co_return false;
  const std::string login = fmt::format("login {} pw{}x\n", account, account.substr(account.size() - 6));
  if (!co_await send(c, login)) co_return false;
  std::optional<std::string_view> line;
  while ((line = co_await next_line(c)) && line->starts_with("!")) {
  }
  if (!line || !line->starts_with("+OK Welcome")) co_return false;
  c.name = account;
  co_return true;
}

// MQTT: CONNECT (clean session), and SUBSCRIBE if `topic` is not empty,
// sent together; waits for CONNACK (accepted) and SUBACK (granted).
inline asio::awaitable<bool> mqtt_hello(Client& c, const std::string& client_id, const std::string& topic,
                                        unsigned qos) {
  std::string hello = mqtt::connect_packet(client_id, 0);
  if (!topic.empty()) hello += mqtt::subscribe_packet(1, topic, qos);
  if (!co_await send(c, hello)) co_return false;
  bool connected = false;
  bool subscribed = topic.empty();
  while (!connected || !subscribed) {
    bool bad = false;
    const auto packet = mqtt::next_packet(c.input, c.offset, bad);
    if (bad) co_return false;
    if (!packet) {
      if (!co_await read_more(c)) co_return false;
      continue;
    }
    if (packet->type == mqtt::kConnack && !mqtt::connack_accepted(packet->body)) co_return false;
    if (packet->type == mqtt::kSuback && (packet->body.size() < 3 || packet->body[2] & 0x80)) co_return false;
    connected |= packet->type == mqtt::kConnack;
    subscribed |= packet->type == mqtt::kSuback;
  }
  c.name = topic;
  co_return true;
}

// account: log in as it (edgehub_login); empty: a guest.
inline asio::awaitable<bool> connect_client(Client& c, const tcp::endpoint& server, const std::string& client_id,
                                            const std::string& topic, unsigned qos, const std::string& account = {}) {
  const auto [ec] = co_await c.socket.async_connect(server, kTuple);
  if (ec) co_return false;
  c.socket.set_option(tcp::no_delay(true));
  if (c.protocol == Protocol::mqtt) co_return co_await mqtt_hello(c, client_id, topic, qos);
  // A blank line first (no reply): edgehubd tells plaintext from TLS by the
  // first byte, and a client waiting silently for the greeting waits out
  // the loopback silence of 100 ms first (docs/SECURITY.md#tls).
  if (!co_await send(c, std::string("\n"))) co_return false;
  if (!account.empty()) co_return co_await edgehub_login(c, account);
  co_return co_await edgehub_hello(c);
}

// ---------------------------------------------------------------- messages

inline std::uint16_t next_packet_id(Client& c) {
  if (++c.last_id == 0) c.last_id = 1;
  return c.last_id;
}

// A direct message to `to` (edgehub: a guest; MQTT: a topic, QoS 1) whose
// text is "T<send time in ns> " and `pad`.
inline std::string direct_message(Client& c, std::string_view to, const std::string& pad) {
  const std::int64_t sent = now_ns();
  if (c.protocol == Protocol::edgehub) return fmt::format("message {} T{} {}\n", to, sent, pad);
  const std::string text = fmt::format("T{} {}", sent, pad);
  return mqtt::publish_packet(to, text, 1, next_packet_id(c));
}

// A broadcast of `text` (MQTT: a QoS 1 PUBLISH to kBroadcastTopic).
inline std::string broadcast_message(Client& c, const std::string& text) {
  if (c.protocol == Protocol::edgehub) return fmt::format("broadcast {}\n", text);
  return mqtt::publish_packet(kBroadcastTopic, text, 1, next_packet_id(c));
}

}  // namespace edgehub::bench::msg
