// help [COMMAND]: the server keeps the list of its commands and their help
// text; the client shows it in the words a person types, with its own
// commands, and explains one command with an example (docs/CLIENT.md#help).
#include <fmt/format.h>

#include "client/core/client_app.hpp"
#include "client/core/client_help.hpp"
#include "client/core/command_registry.hpp"

namespace edgehub::client {
namespace {

using Kind = protocol::ServerMessage::Kind;

void help_list(ClientApp& app) {
  auto reply = app.ask("help");
  if (!reply) return;
  if (reply->kind == Kind::List) {
    reply->lines = client_help_list(reply->lines, app.commands());
    if (!app.out().json()) reply->text.clear();  // the header is the word "commands": nothing to read
  }
  app.out().reply(*reply);
}

// A client command is explained here, without the server, which knows only
// its wire form; any other word goes to the server, which judges it.
void help_one(ClientApp& app, std::string_view word) {
  const ClientCommand* local = app.commands().find(word);
  if (local == nullptr) {
    auto reply = app.ask(fmt::format("help {}", word));
    if (!reply) return;
    // "Help for message" is for --json readers, as below; people read the lines.
    if (reply->kind == Kind::List && !app.out().json()) reply->text.clear();
    app.out().reply(*reply);
    return;
  }
  protocol::ServerMessage reply;
  reply.kind = Kind::List;
  // The summary line is for --json readers; people read the lines.
  if (app.out().json()) reply.text = protocol::command_help_summary(local->name);
  reply.lines = protocol::command_help_lines(client_command_help(*local));
  app.out().reply(reply);
}

void help(ClientApp& app, const ClientArgs& args) {
  if (args.empty()) return help_list(app);
  help_one(app, args[0]);
}

}  // namespace

void register_help_command(ClientCommandTable& table) {
  table.add({.name = "help",
             .aliases = {"?"},
             .min_args = 0,
             .max_args = 1,
             .rest_of_line = true,
             .usage = "help [COMMAND]",
             .run = help});
}

}  // namespace edgehub::client
