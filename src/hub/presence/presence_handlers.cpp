// AED/whoelse/who, whoelsesince, status, OUT (docs/PROTOCOL.md#7-core-commands).
#include <fmt/format.h>

#include "common/strings.hpp"
#include "hub/cluster/cluster_calls.hpp"
#include "hub/core/command_context.hpp"
#include "hub/core/commands.hpp"
#include "hub/core/hub.hpp"

namespace edgehub::hub {
namespace {

using protocol::StatusCode;

std::string port_text(int port) { return port > 0 ? std::to_string(port) : "-"; }

boost::asio::awaitable<void> active_devices(CommandContext& ctx) {
  std::vector<std::string> lines;
  for (const auto& d : ctx.hub.directory().online()) {
    if (d.name == ctx.session.name || ctx.hub.hides(d.name, ctx.session.name)) continue;
    lines.push_back(
        fmt::format("{}, {}, {}, active since {}", d.name, d.ip, port_text(d.udp_port), format_log_time(d.since)));
  }
  if (lines.empty())
    ctx.ok("no other active edge devices");
  else
    ctx.list(fmt::format("{} other active edge device{}", lines.size(), lines.size() == 1 ? "" : "s"), lines);
  co_return;
}

boost::asio::awaitable<void> who_else_since(CommandContext& ctx) {
  const auto seconds = parse_uint64(ctx.args[0]);
  if (!seconds) {
    const bool too_large = is_decimal_integer(ctx.args[0]) && ctx.args[0].front() != '-';
    ctx.err(StatusCode::BadRequest, too_large ? "SECONDS is too large (any value over the uptime means since start-up)"
                                              : "SECONDS must be a non-negative integer");
    co_return;
  }
  const auto now = std::chrono::system_clock::now();
  const auto uptime = std::chrono::duration_cast<std::chrono::seconds>(now - ctx.hub.started_at());
  const auto window =
      std::chrono::seconds(std::min<std::uint64_t>(*seconds, static_cast<std::uint64_t>(uptime.count()) + 1));
  std::vector<std::string> lines;
  for (auto& name : ctx.hub.directory().names_since(now - window))
    if (name != ctx.session.name && !ctx.hub.hides(name, ctx.session.name)) lines.push_back(std::move(name));
  if (lines.empty())
    ctx.ok(fmt::format("no other edge devices in the last {} seconds", *seconds));
  else
    ctx.list(fmt::format("{} other edge device{} in the last {} seconds", lines.size(), lines.size() == 1 ? "" : "s",
                         *seconds),
             lines);
}

// The reply is bounded: the last N records, 50 unless asked, and how many
// there are in all (docs/PROTOCOL.md#7-core-commands).
constexpr std::uint64_t kStatusDefault = 50;

boost::asio::awaitable<void> status(CommandContext& ctx) {
  const auto wanted = ctx.args.empty() ? std::optional(kStatusDefault) : parse_uint64(ctx.args[0]);
  if (!wanted || *wanted == 0) {
    ctx.err(StatusCode::BadRequest, "N must be a positive integer (status [N]: the last N connections)");
    co_return;
  }
  // Who blocked the asker is not in its status, as not in AED (issue 13).
  const auto [records, total] =
      ctx.hub.directory().history_tail(static_cast<std::size_t>(*wanted), ctx.hub.hidden_from(ctx.session.name));
  std::vector<std::string> lines;
  for (const auto& r : records) {
    const std::string until = r.logout ? "disconnected " + format_log_time(*r.logout) : "still connected";
    lines.push_back(fmt::format("{}, {}, connected {}, {}", r.name, r.ip, format_log_time(r.login), until));
  }
  const std::string all = fmt::format("{} connection{} since start-up", total, total == 1 ? "" : "s");
  ctx.list(lines.size() == total ? all : fmt::format("last {} of {}", lines.size(), all), lines);
}

// A guest is logged in by the greeting, before it could give a UDP port as
// login does; it gives it with udpport, so that it can receive UVF
// transfers like everyone else (docs/PROTOCOL.md#4-greeting-and-modes).
boost::asio::awaitable<void> udp_port(CommandContext& ctx) {
  const auto port = parse_uint64(ctx.args[0]);
  if (!port || *port == 0 || *port > 65535) {
    ctx.err(StatusCode::BadRequest, "UDPPORT must be an integer from 1 to 65535");
    co_return;
  }
  if (!ctx.hub.set_udp_port(ctx.session, static_cast<int>(*port))) {
    ctx.err(StatusCode::Conflict, fmt::format("Your UDP port is already {}", ctx.session.udp_port));
    co_return;
  }
  ctx.ok(fmt::format("UDP port {} registered", *port));
}

boost::asio::awaitable<void> logout(CommandContext& ctx) {
  // Before the reply: a login right after Bye must find the name free
  // (docs/PROTOCOL.md#7-core-commands).
  ctx.hub.end_login(ctx.session);
  // In a cluster "free" means free on every node: the release reaches the
  // database first (docs/CLUSTER.md#logins-across-nodes).
  if (ctx.hub.cluster().spans_nodes()) co_await queued_jobs_done(ctx.hub.cluster());
  ctx.ok(ctx.session.logged_in() ? fmt::format("Bye, {}!", ctx.session.name) : std::string("Bye!"));
  ctx.session.closing.store(true);
  ctx.session.peer().close_after_flush();
}

}  // namespace

void register_presence_commands(CommandTable& table) {
  table.add({.name = "AED",
             .aliases = {"whoelse", "who"},
             .min_args = 0,
             .max_args = 0,
             .access = Access::LoggedIn,
             .usage = "AED",
             .help = "the other active edge devices: name, IP, UDP port, since",
             .handler = active_devices});
  table.add({.name = "whoelsesince",
             .aliases = {},
             .min_args = 1,
             .max_args = 1,
             .access = Access::LoggedIn,
             .usage = "whoelsesince SECONDS",
             .help = "everyone else online at any time in the last SECONDS",
             .handler = who_else_since});
  table.add({.name = "status",
             .aliases = {},
             .min_args = 0,
             .max_args = 1,
             .access = Access::LoggedIn,
             .usage = "status [N]",
             .help = "the last N connections since start-up (50 unless given) with connect/disconnect times",
             .handler = status});
  table.add({.name = "udpport",
             .aliases = {},
             .min_args = 1,
             .max_args = 1,
             .access = Access::LoggedIn,
             .usage = "udpport UDPPORT",
             .help = "guests: where you receive UVF transfers (a login gives it with UDPPORT)",
             .handler = udp_port});
  table.add({.name = "OUT",
             .aliases = {"logout", "exit", "quit"},
             .min_args = 0,
             .max_args = 0,
             .access = Access::Anyone,
             .usage = "OUT",
             .help = "log out and disconnect",
             .handler = logout});
}

}  // namespace edgehub::hub
