// login and resume (docs/PROTOCOL.md#5-logging-in): lockout per username from
// any address, one answer for unknown names and wrong passwords, no duplicate
// logins.
#include <spdlog/spdlog.h>

#include <fmt/format.h>

#include <optional>

#include "common/strings.hpp"
#include "hub/auth/credentials.hpp"
#include "hub/auth/login_steps.hpp"
#include "hub/auth/security_log.hpp"
#include "hub/cluster/cluster_calls.hpp"
#include "hub/core/async.hpp"
#include "hub/core/command_context.hpp"
#include "hub/core/commands.hpp"
#include "hub/core/hub.hpp"

namespace edgehub::hub {

using metrics::LoginResult;

void count_login(LoginResult result) { metrics::server_metrics().login(result).inc(); }

std::optional<int> udp_port_arg(CommandContext& ctx, std::size_t index) {
  if (ctx.args.size() <= index) return 0;
  const auto port = parse_uint64(ctx.args[index]);
  if (!port || *port == 0 || *port > 65535) {
    ctx.err(protocol::StatusCode::BadRequest, "UDPPORT must be an integer from 1 to 65535");
    return std::nullopt;
  }
  return static_cast<int>(*port);
}

namespace {

void refuse_duplicate(CommandContext& ctx, const std::string& name) {
  count_login(LoginResult::already_online);
  ctx.err(protocol::StatusCode::Conflict, fmt::format("{} is already logged in", name));
}

// With several nodes the database decides who has the name, atomically
// (docs/CLUSTER.md#logins-across-nodes); one node alone decides in its
// Directory, as before. False after replying.
boost::asio::awaitable<bool> claimed_in_cluster(CommandContext& ctx, const std::string& name, int udp_port) {
  Cluster& cluster = ctx.hub.cluster();
  if (!cluster.spans_nodes()) co_return true;
  if (ctx.hub.directory().find_peer(name)) {  // online here: no need to ask
    refuse_duplicate(ctx, name);
    co_return false;
  }
  const DeviceClaim device{name, ctx.session.ip(), udp_port, ctx.session.udp_key};
  bool won = false;
  try {
    won = co_await claim_login(cluster, device);
  } catch (const std::exception& e) {
    spdlog::warn("cluster: cannot claim {}'s login: {}", name, e.what());
    ctx.err(protocol::StatusCode::Unavailable, kDatabaseAway);
    co_return false;
  }
  if (!won) refuse_duplicate(ctx, name);
  co_return won;
}

// The token is stored before the login completes: a device that hangs up
// at once and resumes on another node finds it there, and !TOKEN follows
// the welcome at once, before any event of the login (a client that loses
// its connection a moment later has it: docs/PROTOCOL.md#5-logging-in).
// Not stored (the database out of reach): the login stands, without a
// token; the next one is by password.
boost::asio::awaitable<std::optional<std::string>> stored_resume_token(CommandContext& ctx, const std::string& name,
                                                                       const tls::PeerCertificate* bound) {
  const std::string fingerprint = bound ? bound->fingerprint : "";
  try {
    co_return co_await ctx.hub.tokens().issue(name, fingerprint);
  } catch (const std::exception& e) {
    spdlog::warn("cluster: cannot store {}'s resume token: {}; none is sent", name, e.what());
    co_return std::nullopt;
  }
}

}  // namespace

boost::asio::awaitable<void> finish_login(CommandContext& ctx, const std::string& name, int udp_port,
                                          const tls::PeerCertificate* bound, ClusterClaim claim) {
  // Not `needed && !co_await ...`: GCC 12 mishandles a co_await in a
  // short-circuit operand (the frame's references were found dangling).
  if (claim == ClusterClaim::needed) {
    const bool claimed = co_await claimed_in_cluster(ctx, name, udp_port);
    if (!claimed) co_return;
  }
  const auto token = co_await stored_resume_token(ctx, name, bound);
  if (!ctx.hub.complete_login(ctx.session, name, udp_port)) {
    // Online here after all: the claim just made (if any) was refused by
    // the database already, since this node's row holds the name.
    refuse_duplicate(ctx, name);
    co_return;
  }
  ctx.hub.lockout().record_success(name);
  count_login(LoginResult::ok);
  ctx.ok(fmt::format("Welcome to edgehub, {}!", name));
  if (token) ctx.session.send(protocol::encode_event("TOKEN", *token));
}

// Every refused login costs its address one of --max-failed-logins
// (docs/SECURITY.md#abuse-limits).
void count_failure(CommandContext& ctx) {
  ctx.hub.abuse().login_failed(ctx.session.ip(), std::chrono::steady_clock::now());
}

// True (after telling the client and closing) if its address has used up
// its failed logins.
bool refused_by_address(CommandContext& ctx) {
  const auto refusal = ctx.hub.abuse().login_refusal(ctx.session.ip(), std::chrono::steady_clock::now());
  if (!refusal) return false;
  count_login(LoginResult::limit);
  ctx.err(refusal->code, refusal->text);
  ctx.session.peer().close_after_flush();
  return true;
}

namespace {

using protocol::StatusCode;
using Clock = std::chrono::steady_clock;

// The refusals say how long the block lasts, so a person knows when to come
// back (docs/PROTOCOL.md#5-logging-in).
std::string blocked_now(const Lockout& lockout) {
  return fmt::format("Invalid password. Your account has been blocked for {}. Please try again after that",
                     seconds_phrase(lockout.block_time()));
}
std::string still_blocked(Clock::duration left) {
  return fmt::format("Your account is blocked due to multiple login failures. Please try again in {}",
                     seconds_phrase(left));
}
constexpr std::string_view kWrongPassword = "Invalid username or password. Please try again";

void refuse_blocked(CommandContext& ctx, SecurityEvent event, const std::string& name, std::string_view why) {
  log_security_event(event, ctx.session.ip(), name);
  count_login(LoginResult::locked);
  count_failure(ctx);
  ctx.err(StatusCode::AccountBlocked, why);
  ctx.session.peer().close_after_flush();
}

boost::asio::awaitable<void> login(CommandContext& ctx) {
  const std::string name = ctx.arg(0);
  const std::string password = ctx.arg(1);
  const auto udp_port = udp_port_arg(ctx, 2);
  if (!udp_port || refused_by_address(ctx)) co_return;
  if (const auto left = ctx.hub.lockout().blocked_for(name, Clock::now()); left > Clock::duration{})
    co_return refuse_blocked(ctx, SecurityEvent::blocked_attempt, name, still_blocked(left));
  // Verifications wait their address's turn (login_gate.hpp): a flood from
  // one address does not delay the others.
  LoginGate& gate = ctx.hub.login_gate();
  const std::string address = ctx.session.ip();
  const std::optional<bool> ok = co_await gate.run(ctx.hub.workers(), address, [&]() -> std::optional<bool> {
    if (ctx.session.closing.load()) return std::nullopt;  // timed out or hung up while waiting: no argon2 for nobody
    return ctx.hub.accounts()->verify(name, password);
  });
  if (!ok) co_return;
  if (!*ok) {
    // Every node counts it: the lockout holds for the name cluster-wide
    // (docs/CLUSTER.md#lockout-and-blocks-across-nodes).
    ctx.hub.cluster().publish({.kind = ClusterEvent::Kind::failed_login, .name = name});
    if (ctx.hub.lockout().record_failure(name, Clock::now()) == Lockout::Outcome::NowBlocked)
      co_return refuse_blocked(ctx, SecurityEvent::lockout, name, blocked_now(ctx.hub.lockout()));
    log_security_event(SecurityEvent::login_failed, ctx.session.ip(), name);
    count_login(LoginResult::bad_password);
    count_failure(ctx);
    ctx.err(StatusCode::AuthFailed, kWrongPassword);
    co_return;
  }
  // A block may have started while argon2 ran (other clients failing).
  if (const auto left = ctx.hub.lockout().blocked_for(name, Clock::now()); left > Clock::duration{})
    co_return refuse_blocked(ctx, SecurityEvent::blocked_attempt, name, still_blocked(left));
  co_await finish_login(ctx, name, *udp_port, nullptr);
}

// The token spent, or why not. With a shared store the login is claimed
// in the cluster as the token is spent (ClusterTokens); the database out
// of reach: 503, nullopt.
boost::asio::awaitable<std::optional<ResumeTokens::Redeemed>> redeem_token(CommandContext& ctx,
                                                                           const DeviceClaim& device,
                                                                           const std::string& token,
                                                                           const std::string& certificate) {
  if (!is_valid_device_name(device.account)) co_return ResumeTokens::Redeemed::invalid;
  try {
    co_return co_await ctx.hub.tokens().redeem(device, token, certificate);
  } catch (const std::exception& e) {
    spdlog::warn("cluster: cannot redeem {}'s resume token: {}", device.account, e.what());
  }
  ctx.err(StatusCode::Unavailable, kDatabaseAway);
  co_return std::nullopt;
}

boost::asio::awaitable<void> resume(CommandContext& ctx) {
  const std::string name = ctx.arg(0);
  const std::string token = ctx.arg(1);
  const auto udp_port = udp_port_arg(ctx, 2);
  if (!udp_port || refused_by_address(ctx)) co_return;
  // Refuse a name that is online before spending its token: a device
  // racing its own logout can simply retry. Online on another node: the
  // shared store refuses it without spending the token either.
  if (ctx.hub.directory().find_peer(name)) co_return refuse_duplicate(ctx, name);
  const tls::PeerCertificate* cert = verified_certificate(ctx.session);
  const std::string fingerprint = cert ? cert->fingerprint : "";
  const DeviceClaim device{name, ctx.session.ip(), *udp_port};
  const auto redeemed = co_await redeem_token(ctx, device, token, fingerprint);
  if (!redeemed) co_return;
  if (*redeemed == ResumeTokens::Redeemed::online_elsewhere) co_return refuse_duplicate(ctx, name);
  if (*redeemed == ResumeTokens::Redeemed::invalid) {
    log_security_event(SecurityEvent::resume_failed, ctx.session.ip(), name);
    count_login(LoginResult::bad_token);
    count_failure(ctx);
    ctx.err(StatusCode::AuthFailed, "Invalid or expired resume token; log in with your password");
    co_return;
  }
  // docs/SECURITY.md#device-certificates: bound to the certificate, which
  // may have been revoked since.
  if (*redeemed == ResumeTokens::Redeemed::other_certificate)
    co_return refuse_certificate(ctx, name, "resume token bound to another certificate",
                                 "This resume token belongs to a certificate login: resume over TLS with the same "
                                 "certificate, or log in again");
  const bool claimed = ctx.hub.tokens().claims_login();
  if (*redeemed == ResumeTokens::Redeemed::ok_certificate && !certificate_usable(ctx, name, *cert)) {
    if (claimed) ctx.hub.cluster().release(name, {});  // the token stays spent, as on one node
    co_return;
  }
  co_await finish_login(ctx, name, *udp_port, *redeemed == ResumeTokens::Redeemed::ok_certificate ? cert : nullptr,
                        claimed ? ClusterClaim::made : ClusterClaim::needed);
}

}  // namespace

void register_auth_commands(CommandTable& table) {
  table.add({.name = "login",
             .aliases = {},
             .min_args = 2,
             .max_args = 3,
             .access = Access::LoggedOut,
             .usage = "login NAME PASSWORD [UDPPORT]",
             .help = "authenticate; UDPPORT is where you receive UVF transfers",
             .handler = login});
  register_certificate_login(table);
  table.add({.name = "resume",
             .aliases = {},
             .min_args = 2,
             .max_args = 3,
             .access = Access::LoggedOut,
             .usage = "resume NAME TOKEN [UDPPORT]",
             .help = "log in again with the token from your last login (no password)",
             .handler = resume});
}

}  // namespace edgehub::hub
