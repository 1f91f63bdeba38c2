// echo, help, ping: commands that need no state.
#include <fmt/format.h>

#include "hub/core/command_context.hpp"
#include "hub/core/command_examples.hpp"
#include "hub/core/commands.hpp"
#include "hub/core/hub.hpp"
#include "protocol/command_help.hpp"

namespace edgehub::hub {
namespace {

boost::asio::awaitable<void> echo(CommandContext& ctx) {
  ctx.ok(fmt::format("{} ACK", ctx.args[0]));
  co_return;
}

// "help COMMAND": one command with an example (protocol/command_help.hpp).
void help_one(CommandContext& ctx, std::string_view word) {
  const CommandSpec* spec = ctx.hub.commands().find(word);
  if (spec == nullptr)
    return ctx.err(protocol::StatusCode::NotFound, fmt::format("Unknown command '{}'. Type 'help' for the list", word));
  const auto lines = protocol::command_help_lines({.name = spec->name,
                                                   .usage = spec->usage,
                                                   .text = spec->help,
                                                   .aliases = spec->aliases,
                                                   .example = command_example(spec->name),
                                                   .before_login_only = spec->access == Access::LoggedOut});
  ctx.list(protocol::command_help_summary(spec->name), lines);
}

boost::asio::awaitable<void> help(CommandContext& ctx) {
  if (!ctx.args.empty()) {
    help_one(ctx, ctx.args[0]);
    co_return;
  }
  std::vector<std::string> lines;
  for (const auto& spec : ctx.hub.commands().all()) {
    std::string aliases;
    for (const auto& a : spec.aliases) aliases += (aliases.empty() ? " (aliases: " : ", ") + a;
    if (!aliases.empty()) aliases += ")";
    lines.push_back(fmt::format("{:<34} {}{}", spec.usage, spec.help, aliases));
  }
  ctx.list("commands", lines);
  co_return;
}

boost::asio::awaitable<void> ping(CommandContext& ctx) {
  ctx.ok("pong");
  co_return;
}

// Presence events to every device cost O(devices) per login; a device that
// does not need them says "notify off" before logging in (load tools, and
// sensors that never look at presence).
boost::asio::awaitable<void> notify(CommandContext& ctx) {
  const std::string choice = ctx.arg(0);
  if (choice != "on" && choice != "off") {
    ctx.err(protocol::StatusCode::BadRequest, fmt::format("Usage: {}", ctx.spec.usage));
    co_return;
  }
  ctx.session.wants_presence = choice == "on";
  ctx.ok(fmt::format("presence notifications {}", choice));
}

}  // namespace

void register_basic_commands(CommandTable& table) {
  table.add({.name = "echo",
             .aliases = {},
             .min_args = 1,
             .max_args = 1,
             .access = Access::Anyone,
             .usage = "echo TEXT",
             .help = "the server answers TEXT ACK",
             .handler = echo});
  table.add({.name = "help",
             .aliases = {"?"},
             .min_args = 0,
             .max_args = 1,
             .access = Access::Anyone,
             .usage = "help [COMMAND]",
             .help = "this list, or one command explained with an example",
             .handler = help});
  table.add({.name = "ping",
             .aliases = {},
             .min_args = 0,
             .max_args = 0,
             .access = Access::Anyone,
             .usage = "ping",
             .help = "the server answers pong",
             .handler = ping});
  // Logged-out only: the choice is read when the device joins the directory
  // (complete_login), so after login it would change nothing; a bare
  // "Already logged in" would not tell a person that, nor what notify is
  // for (issue 13).
  table.add({.name = "notify",
             .aliases = {},
             .min_args = 1,
             .max_args = 1,
             .access = Access::LoggedOut,
             .usage = "notify on|off",
             .help = "before login: receive presence events or not (default on)",
             .handler = notify,
             .after_login = "notify on|off works only before login: it chooses whether this device gets presence "
                            "events (NAME logged in, NAME logged out)"});
}

}  // namespace edgehub::hub
