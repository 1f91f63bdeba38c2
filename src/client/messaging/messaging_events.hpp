#pragma once
// How messaging events read for people (docs/MESSAGING.md, "Events"):
//   !MSG alice hi            -> "alice: hi"
//   !BCAST alice hi          -> "alice (broadcast): hi"
//   PRIVATE alice hi (local) -> "alice(private): hi"
//   !OFFLINE 3               -> "3 messages arrived while you were offline"
//   !PRIVREQ alice           -> "alice asks for a private session: ..."
//   !PRIVDECLINED bob        -> "bob declined your private session request"
#include <optional>
#include <string>

#include "protocol/server_message.hpp"

namespace edgehub::client {

// The text for a messaging event; nullopt for any other event.
std::optional<std::string> messaging_event_text(const protocol::ServerMessage& m);

}  // namespace edgehub::client
