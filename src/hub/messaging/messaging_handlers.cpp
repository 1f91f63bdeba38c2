// message/msg and broadcast (docs/MESSAGING.md#commands).
#include <spdlog/spdlog.h>

#include <fmt/format.h>

#include "hub/core/command_context.hpp"
#include "hub/core/commands.hpp"
#include "hub/core/hub.hpp"
#include "hub/messaging/broadcast_budget.hpp"
#include "hub/messaging/messaging_service.hpp"

namespace edgehub::hub {
namespace {

using protocol::StatusCode;

std::string_view plural(std::size_t n) { return n == 1 ? "" : "s"; }

// Replies and returns false if text is over the documented limit.
bool text_fits(CommandContext& ctx, std::string_view text) {
  const std::size_t limit = ctx.hub.messaging().max_text_bytes();
  if (text.size() <= limit) return true;
  ctx.err(StatusCode::TooLarge,
          fmt::format("Message too long: {} bytes; the limit is {} bytes. Nothing was sent", text.size(), limit));
  return false;
}

boost::asio::awaitable<void> message(CommandContext& ctx) {
  Messaging& messaging = ctx.hub.messaging();
  const std::string to = ctx.arg(0);
  const std::string_view text = ctx.args[1];
  const std::string& from = ctx.session.name;
  if (!text_fits(ctx, text)) co_return;
  if (to == from) co_return ctx.err(StatusCode::BadRequest, "You cannot send a message to yourself");
  if (!messaging.known_user(to)) co_return ctx.err(StatusCode::NotFound, fmt::format("{} is not a known user", to));
  if (messaging.blocks().blocks(to, from))
    co_return ctx.err(StatusCode::Forbidden, "Your message could not be delivered as the recipient has blocked you");
  switch (co_await messaging.send_direct(from, to, text)) {
    case Messaging::DeliveryResult::Delivered:
      co_return ctx.ok(fmt::format("Message sent to {}", to));
    case Messaging::DeliveryResult::Stored:
      co_return ctx.ok(
          fmt::format("{} is offline; the message is stored and will be delivered at their next login", to));
    case Messaging::DeliveryResult::QueueFull:
      co_return ctx.err(StatusCode::TooLarge,
                        fmt::format("{} already has {} messages waiting, the most the server keeps; message not stored",
                                    to, messaging.limits().max_offline_per_recipient));
  }
}

// The sender's broadcasts still queued at other devices, past
// --broadcast-budget: wait (and read nothing more from the sender) until
// they drain (docs/MESSAGING.md#broadcast).
boost::asio::awaitable<void> wait_for_budget(CommandContext& ctx) {
  const MessagingLimits limits = ctx.hub.messaging().limits();
  Session::Occasional& state = ctx.session.occasional();  // lives as long as the session
  auto& budget = state.broadcast_budget;
  if (!budget) budget = std::make_shared<BroadcastBudget>(limits.broadcast_budget_bytes);
  const std::size_t held = budget->in_flight();
  if (!co_await budget->wait_below(limits.broadcast_wait_ceiling) || state.budget_wait_logged) co_return;
  state.budget_wait_logged = true;
  spdlog::info(
      "{} ({}): broadcasts hold {} bytes in other devices' queues; reading nothing more from it until they "
      "drain (--broadcast-budget {})",
      ctx.session.name, ctx.session.ip(), held, limits.broadcast_budget_bytes);
}

boost::asio::awaitable<void> broadcast(CommandContext& ctx) {
  const std::string_view text = ctx.args[0];
  if (!text_fits(ctx, text)) co_return;
  co_await wait_for_budget(ctx);
  const auto result = ctx.hub.messaging().broadcast(ctx.session.name, text, ctx.session.occasional().broadcast_budget);
  if (result.skipped == 0)
    co_return ctx.ok(fmt::format("Broadcast sent to {} device{}", result.delivered, plural(result.delivered)));
  ctx.ok(fmt::format("Broadcast sent to {} device{}; your message could not be delivered to some recipients ({})",
                     result.delivered, plural(result.delivered), result.skipped));
}

}  // namespace

void register_messaging_commands(CommandTable& table) {
  table.add({.name = "message",
             .aliases = {"msg"},
             .min_args = 2,
             .max_args = 2,
             .access = Access::LoggedIn,
             .usage = "message USER TEXT",
             .help = "send TEXT to USER; kept until their next login if offline",
             .handler = message});
  table.add({.name = "broadcast",
             .aliases = {},
             .min_args = 1,
             .max_args = 1,
             .access = Access::LoggedIn,
             .usage = "broadcast TEXT",
             .help = "send TEXT to everyone online",
             .handler = broadcast});
  register_block_commands(table);
  register_private_commands(table);
}

}  // namespace edgehub::hub
