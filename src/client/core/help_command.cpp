// help: the server keeps the list of commands and their help text; the
// client shows it with its own usage for the commands it handles itself,
// since those are what a person types (docs/CLIENT.md#help).
#include <fmt/format.h>

#include "client/core/client_app.hpp"
#include "client/core/command_registry.hpp"

namespace edgehub::client {
namespace {

using Kind = protocol::ServerMessage::Kind;

void help(ClientApp& app, const ClientArgs& args) {
  auto reply = app.ask(args.empty() ? std::string("help") : fmt::format("help {}", args[0]));
  if (!reply) return;
  if (reply->kind == Kind::List) {
    reply->lines = help_with_client_usages(reply->lines, app.commands());
    if (!app.out().json()) reply->text.clear();  // the header is the word "commands": nothing to read
  }
  app.out().reply(*reply);
}

}  // namespace

void register_help_command(ClientCommandTable& table) {
  // Any arguments go to the server as typed: it judges them, as before the
  // client had its own help.
  table.add({.name = "help",
             .aliases = {"?"},
             .min_args = 0,
             .max_args = 1,
             .rest_of_line = true,
             .usage = "help",
             .run = help});
}

}  // namespace edgehub::client
