// Client-side messaging commands (docs/MESSAGING.md, "Private sessions").
#include "client/messaging/messaging_commands.hpp"

#include <fmt/format.h>

#include "client/core/client_app.hpp"
#include "client/messaging/private_channels.hpp"
#include "client/messaging/private_wire.hpp"
#include "common/strings.hpp"

namespace edgehub::client {
namespace {

using Kind = protocol::ServerMessage::Kind;

// "accept alice": listen for alice, then let the server tell her where.
void accept(ClientApp& app, std::string_view args) {
  const std::string peer(split_first_word(args).first);
  if (peer.empty()) return app.out().error("Usage: accept USER");
  const auto invitation = app.private_channels().listen(peer);
  const auto reply = app.forward(fmt::format("accept {} {} {}", peer, invitation.port, invitation.token));
  if (!reply || reply->kind == Kind::Err) app.private_channels().cancel_listen(peer);
}

// "private bob TEXT": straight to bob, the server is not involved.
void send_private(ClientApp& app, std::string_view args) {
  const auto words = split_words(args, 2);
  if (words.size() < 2) return app.out().error("Usage: private USER TEXT");
  const std::string peer(words[0]);
  if (words[1].size() > kPrivateMaxText)
    return app.out().error(fmt::format("Message too long: {} bytes; the limit is {} bytes", words[1].size(), kPrivateMaxText));
  switch (app.private_channels().send(peer, words[1])) {
    case PrivateChannels::SendResult::Sent:
      return;
    case PrivateChannels::SendResult::Ended:
      return app.out().error(fmt::format("The private session with {} has ended ({} is gone)", peer, peer));
    case PrivateChannels::SendResult::NoSession:
      return app.out().error(fmt::format("No private session with {}: start one with startprivate {}", peer, peer));
  }
}

// "stopprivate bob": close our side, then the server tells bob.
void stop_private(ClientApp& app, std::string_view args) {
  const std::string peer(split_first_word(args).first);
  if (peer.empty()) return app.out().error("Usage: stopprivate USER");
  app.private_channels().stop(peer);
  app.forward(fmt::format("stopprivate {}", peer));
}

}  // namespace

void register_messaging_commands(ClientCommandTable& table) {
  table.add({"accept", {}, "accept USER", accept});
  table.add({"private", {}, "private USER TEXT", send_private});
  table.add({"stopprivate", {}, "stopprivate USER", stop_private});
}

}  // namespace edgehub::client
