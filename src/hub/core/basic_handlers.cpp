// echo, help, ping: commands that need no state.
#include <fmt/format.h>

#include "hub/core/command_context.hpp"
#include "hub/core/commands.hpp"
#include "hub/core/hub.hpp"

namespace edgehub::hub {
namespace {

boost::asio::awaitable<void> echo(CommandContext& ctx) {
  ctx.ok(fmt::format("{} ACK", ctx.args[0]));
  co_return;
}

boost::asio::awaitable<void> help(CommandContext& ctx) {
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
    ctx.err(protocol::StatusCode::BadRequest, "Usage: notify on|off");
    co_return;
  }
  if (ctx.session.logged_in()) {
    ctx.err(protocol::StatusCode::BadRequest, "notify must be set before login");
    co_return;
  }
  ctx.session.wants_presence = choice == "on";
  ctx.ok(fmt::format("presence notifications {}", choice));
}

}  // namespace

void register_basic_commands(CommandTable& table) {
  table.add({"echo", {}, 1, 1, Access::Anyone, "echo TEXT", "the server answers TEXT ACK", echo});
  table.add({"help", {"?"}, 0, 0, Access::Anyone, "help", "this list", help});
  table.add({"ping", {}, 0, 0, Access::Anyone, "ping", "the server answers pong", ping});
  table.add({"notify", {}, 1, 1, Access::LoggedOut, "notify on|off",
             "before login: receive presence events or not (default on)", notify});
}

}  // namespace edgehub::hub
