#pragma once
// How messaging events read, for people and with --json
// (docs/MESSAGING.md#events, docs/CLIENT.md#json-output---json):
//   !MSG alice hi                        -> "alice: hi"
//   !STOREDMSG 2026-12-04T13:56:28Z alice hi
//                                        -> "alice: hi (sent 04 December 2026 14:56:28)"
//   !BCAST alice hi                      -> "alice (broadcast): hi"
//   PRIVATE alice hi (local)             -> "alice(private): hi"
//   !OFFLINE 3                           -> "3 messages arrived while you were offline"
//   !PRIVREQ alice                       -> "alice asks for a private session: ..."
//   !PRIVDECLINED bob                    -> "bob declined your private session request"
#include <boost/json/object.hpp>
#include <optional>
#include <string>

#include "common/time_format.hpp"
#include "protocol/server_message.hpp"

namespace edgehub::client {

// A message event taken apart: a direct message, a broadcast or a private
// one, live or from the offline store.
struct MessageEvent {
  std::string kind{};  // "message", "broadcast", "private"
  std::string from{};
  std::string text{};
  std::optional<SystemTime> sent{};  // stored ones: when it was sent
};
std::optional<MessageEvent> parse_message_event(const protocol::ServerMessage& m);

// The text for a messaging event; nullopt for any other event.
std::optional<std::string> messaging_event_text(const protocol::ServerMessage& m);

// The --json fields of a messaging event ("event" and the rest, without
// "type"); nullopt for any other event. A live message's time is
// `arrived`, a stored one's when it was sent.
std::optional<boost::json::object> messaging_event_json(const protocol::ServerMessage& m, SystemTime arrived);

}  // namespace edgehub::client
