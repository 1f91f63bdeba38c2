#include "client/messaging/messaging_events.hpp"

#include <fmt/format.h>

#include "common/strings.hpp"

namespace edgehub::client {
namespace {

std::optional<std::string> message_kind(std::string_view event) {
  if (event == "MSG" || event == "STOREDMSG") return "message";
  if (event == "BCAST" || event == "STOREDBCAST") return "broadcast";
  if (event == "PRIVATE") return "private";
  return std::nullopt;
}

std::string message_text(const MessageEvent& e) {
  std::string line;
  if (e.kind == "broadcast")
    line = fmt::format("{} (broadcast): {}", e.from, e.text);
  else if (e.kind == "private")
    line = fmt::format("{}(private): {}", e.from, e.text);
  else
    line = fmt::format("{}: {}", e.from, e.text);
  // In the server's own timestamp form (docs/PROTOCOL.md#7-core-commands),
  // in this machine's time zone.
  if (e.sent) line += fmt::format(" (sent {})", format_log_time(*e.sent));
  return line;
}

}  // namespace

std::optional<MessageEvent> parse_message_event(const protocol::ServerMessage& m) {
  auto kind = message_kind(m.name);
  if (!kind) return std::nullopt;
  MessageEvent e{.kind = std::move(*kind)};
  std::string_view rest = m.text;
  if (m.name.starts_with("STORED")) {
    const auto [time, after] = split_first_word(rest);
    e.sent = parse_iso_utc(time);
    rest = after;
  }
  const auto [from, text] = split_first_word(rest);
  e.from = std::string(from);
  e.text = std::string(text);
  return e;
}

std::optional<std::string> messaging_event_text(const protocol::ServerMessage& m) {
  if (const auto e = parse_message_event(m)) return message_text(*e);
  if (m.name == "OFFLINE")
    return fmt::format("{} message{} arrived while you were offline", m.text, m.text == "1" ? "" : "s");
  if (m.name == "PRIVREQ") {  // NAME KEY: the key is for the client (docs/MESSAGING.md#private-sessions)
    const std::string_view from = split_first_word(m.text).first;
    return fmt::format("{} asks for a private session: type 'accept {}' or 'decline {}'", from, from, from);
  }
  if (m.name == "PRIVDECLINED") return fmt::format("{} declined your private session request", m.text);
  // Either side of a request that was still waiting for its answer left.
  if (m.name == "PRIVCANCEL") return fmt::format("{} logged out; the private session request is cancelled", m.text);
  return std::nullopt;
}

std::optional<boost::json::object> messaging_event_json(const protocol::ServerMessage& m, SystemTime arrived) {
  if (const auto e = parse_message_event(m)) {
    boost::json::object o{
        {"event", e->kind}, {"from", e->from}, {"text", e->text}, {"time", format_iso_utc(e->sent.value_or(arrived))}};
    if (m.name.starts_with("STORED")) o["stored"] = true;
    return o;
  }
  if (m.name == "OFFLINE")
    return boost::json::object{{"event", "offline"}, {"count", parse_uint64(m.text).value_or(0)}};
  if (m.name == "PRIVREQ")
    return boost::json::object{{"event", "private_request"}, {"from", split_first_word(m.text).first}};
  if (m.name == "PRIVDECLINED") return boost::json::object{{"event", "private_declined"}, {"user", m.text}};
  return std::nullopt;
}

}  // namespace edgehub::client
