// block and unblock (docs/MESSAGING.md#blocks). A block is committed to the
// store before it is confirmed and takes effect; the blocked user is never
// told.
#include <fmt/format.h>

#include "hub/core/async.hpp"
#include "hub/core/command_context.hpp"
#include "hub/core/hub.hpp"
#include "hub/messaging/messaging_service.hpp"

namespace edgehub::hub {
namespace {

using protocol::StatusCode;

// Replies and returns false unless other is someone else who exists.
bool valid_target(CommandContext& ctx, const std::string& other, std::string_view verb) {
  if (other == ctx.session.name) {
    ctx.err(StatusCode::BadRequest, fmt::format("You cannot {} yourself", verb));
    return false;
  }
  if (!ctx.hub.messaging().known_user(other)) {
    ctx.err(StatusCode::NotFound, fmt::format("{} is not a known user", other));
    return false;
  }
  return true;
}

// The other nodes apply it to their copy of the blocks at once
// (docs/CLUSTER.md#lockout-and-blocks-across-nodes); the store has it already.
// One node alone: publish does nothing.
void publish_block(CommandContext& ctx, const std::string& other, bool on) {
  ctx.hub.cluster().publish({.kind = ClusterEvent::Kind::block, .name = ctx.session.name, .other = other, .on = on});
}

boost::asio::awaitable<void> block(CommandContext& ctx) {
  const std::string other = ctx.arg(0);
  const std::string me = ctx.session.name;
  if (!valid_target(ctx, other, "block")) co_return;
  if (ctx.hub.messaging().blocks().blocks(me, other))
    co_return ctx.err(StatusCode::Conflict, fmt::format("{} is already blocked", other));
  auto job = [me, other](store::Store& st) { st.add_block(me, other); };  // named: see send_direct
  co_await run_in_store(ctx.hub.store(), std::move(job));
  ctx.hub.messaging().blocks().add(me, other);
  publish_block(ctx, other, true);
  ctx.ok(fmt::format("{} is blocked", other));
}

boost::asio::awaitable<void> unblock(CommandContext& ctx) {
  const std::string other = ctx.arg(0);
  const std::string me = ctx.session.name;
  if (!valid_target(ctx, other, "unblock")) co_return;
  if (!ctx.hub.messaging().blocks().blocks(me, other))
    co_return ctx.err(StatusCode::Conflict, fmt::format("{} is not blocked", other));
  auto job = [me, other](store::Store& st) { st.remove_block(me, other); };
  co_await run_in_store(ctx.hub.store(), std::move(job));
  ctx.hub.messaging().blocks().remove(me, other);
  publish_block(ctx, other, false);
  ctx.ok(fmt::format("{} is unblocked", other));
}

}  // namespace

void register_block_commands(CommandTable& table) {
  table.add({.name = "block",
             .aliases = {},
             .min_args = 1,
             .max_args = 1,
             .access = Access::LoggedIn,
             .usage = "block USER",
             .help = "USER can no longer message you or see you online (they are not told)",
             .handler = block});
  table.add({.name = "unblock",
             .aliases = {},
             .min_args = 1,
             .max_args = 1,
             .access = Access::LoggedIn,
             .usage = "unblock USER",
             .help = "undo block USER",
             .handler = unblock});
}

}  // namespace edgehub::hub
