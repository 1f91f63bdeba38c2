// Client-side messaging commands (docs/MESSAGING.md, "Private sessions").
#include "client/core/command_registry.hpp"

#include <fmt/format.h>

#include "client/core/client_app.hpp"
#include "client/messaging/private_channels.hpp"
#include "client/messaging/private_wire.hpp"
#include "common/strings.hpp"

namespace edgehub::client {
namespace {

using Kind = protocol::ServerMessage::Kind;

// "accept alice": listen for alice, then let the server tell her where.
void accept(ClientApp& app, const ClientArgs& args) {
  const std::string peer(args[0]);
  const auto invitation = app.private_channels().listen(peer);
  const auto reply = app.forward(fmt::format("accept {} {} {}", peer, invitation.port, invitation.token));
  if (!reply || reply->kind == Kind::Err) app.private_channels().cancel_listen(peer);
}

// "private bob TEXT": straight to bob, the server is not involved.
void send_private(ClientApp& app, const ClientArgs& args) {
  const std::string peer(args[0]);
  const std::string_view text = args[1];
  if (text.size() > kPrivateMaxText)
    return app.out().error(
        fmt::format("Message too long: {} bytes; the limit is {} bytes", text.size(), kPrivateMaxText));
  // One answer however a session ended (stopped by either side, the peer
  // gone): "Private session with bob ended" has said so already, and the
  // way forward is the same (docs/MESSAGING.md#private-sessions).
  if (!app.private_channels().send(peer, text))
    app.out().error(fmt::format("No private session with {}: start one with startprivate {}", peer, peer));
}

// "stopprivate bob": close our side, then the server tells bob.
void stop_private(ClientApp& app, const ClientArgs& args) {
  const std::string peer(args[0]);
  app.private_channels().stop(peer);
  app.forward(fmt::format("stopprivate {}", peer));
}

}  // namespace

void register_messaging_commands(ClientCommandTable& table) {
  table.add({.name = "accept", .min_args = 1, .max_args = 1, .usage = "accept USER", .run = accept});
  table.add({.name = "private",
             .min_args = 2,
             .max_args = 2,
             .rest_of_line = true,
             .usage = "private USER TEXT",
             .run = send_private});
  table.add({.name = "stopprivate", .min_args = 1, .max_args = 1, .usage = "stopprivate USER", .run = stop_private});
}

}  // namespace edgehub::client
