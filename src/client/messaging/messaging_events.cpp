#include "client/messaging/messaging_events.hpp"

#include <fmt/format.h>

#include "common/strings.hpp"

namespace edgehub::client {

std::optional<std::string> messaging_event_text(const protocol::ServerMessage& m) {
  const auto [sender, text] = split_first_word(m.text);
  if (m.name == "MSG") return fmt::format("{}: {}", sender, text);
  if (m.name == "BCAST") return fmt::format("{} (broadcast): {}", sender, text);
  if (m.name == "PRIVATE") return fmt::format("{}(private): {}", sender, text);
  if (m.name == "OFFLINE")
    return fmt::format("{} message{} arrived while you were offline", m.text, m.text == "1" ? "" : "s");
  if (m.name == "PRIVREQ")
    return fmt::format("{} asks for a private session: type 'accept {}' or 'decline {}'", m.text, m.text, m.text);
  if (m.name == "PRIVDECLINED") return fmt::format("{} declined your private session request", m.text);
  // Either side of a request that was still waiting for its answer left.
  if (m.name == "PRIVCANCEL") return fmt::format("{} logged out; the private session request is cancelled", m.text);
  return std::nullopt;
}

}  // namespace edgehub::client
