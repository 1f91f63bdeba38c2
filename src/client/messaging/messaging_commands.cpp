// Client-side messaging commands (docs/MESSAGING.md, "Private sessions").
#include "client/core/command_registry.hpp"

#include <fmt/format.h>

#include "client/core/client_app.hpp"
#include "client/messaging/private_channels.hpp"
#include "client/messaging/private_wire.hpp"
#include "common/strings.hpp"
#include "p2p/crypto/cipher_choice.hpp"

namespace edgehub::client {
namespace {

using Kind = protocol::ServerMessage::Kind;

// "startprivate bob": ask bob, with a fresh public key for the session and
// the ciphers this client offers
// (docs/SECURITY.md#end-to-end-encryption-private-sessions-and-verify).
void start_private(ClientApp& app, const ClientArgs& args) {
  const std::string peer(args[0]);
  const std::string key = app.private_channels().ask(peer);
  const auto reply = app.forward(fmt::format("startprivate {} {} {}", peer, key, p2p::crypto::own_offer()));
  if (!reply || reply->kind == Kind::Err) app.private_channels().forget_ask(peer);
}

// "accept alice": listen for alice, then let the server tell her where.
void accept(ClientApp& app, const ClientArgs& args) {
  const std::string peer(args[0]);
  const auto invitation = app.private_channels().listen(peer);
  const auto reply = app.forward(fmt::format("accept {} {} {} {} {}", peer, invitation.port, invitation.token,
                                             invitation.public_key, p2p::crypto::own_offer()));
  if (!reply || reply->kind == Kind::Err) app.private_channels().cancel_listen(peer);
}

// "verify bob": the string both users compare over another channel; a key
// the server substituted shows as two different strings.
void verify(ClientApp& app, const ClientArgs& args) {
  const std::string peer(args[0]);
  const auto sas = app.private_channels().sas(peer);
  if (!sas)
    return app.out().error(fmt::format("No private session with {}: start one with startprivate {}", peer, peer));
  app.out().info("verify", fmt::format("Verification code of your private session with {}: {}", peer, *sas));
  app.out().info("verify", fmt::format("Compare it with {} over another channel (in person or by phone): {} must see "
                                       "the same code. If it differs, the keys were substituted on the way (by the "
                                       "server or someone between you): stop the session with stopprivate {}",
                                       peer, peer, peer));
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
  table.add({.name = "startprivate", .min_args = 1, .max_args = 1, .usage = "startprivate USER", .run = start_private});
  table.add({.name = "accept", .min_args = 1, .max_args = 1, .usage = "accept USER", .run = accept});
  table.add({.name = "private",
             .min_args = 2,
             .max_args = 2,
             .rest_of_line = true,
             .usage = "private USER TEXT",
             .run = send_private});
  table.add({.name = "stopprivate", .min_args = 1, .max_args = 1, .usage = "stopprivate USER", .run = stop_private});
  table.add({.name = "verify", .min_args = 1, .max_args = 1, .usage = "verify USER", .run = verify});
}

}  // namespace edgehub::client
