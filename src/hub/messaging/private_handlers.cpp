// startprivate, accept, decline, stopprivate. The server only introduces the
// two devices and relays their public keys (docs/MESSAGING.md#private-sessions):
//   alice: startprivate bob PK_A [CIPHERS_A]        -> bob gets  !PRIVREQ alice PK_A[:CIPHERS_A]
//   bob:   accept alice PORT TOKEN PK_B [CIPHERS_B] -> alice gets !PRIVSTART bob IP PORT TOKEN PK_B[:CIPHERS_B]
//          (bob's client listens on PORT and chose the one-time TOKEN; the
//          cipher offers are relayed, as UVF's, only to a client that gave
//          one itself with its udpkey: docs/SECURITY.md#end-to-end-encryption-private-sessions-and-verify)
//   alice's client connects to bob directly and proves itself with TOKEN;
//   both derive the session keys from the two public keys, which is all the
//   server sees (docs/SECURITY.md#end-to-end-encryption-private-sessions-and-verify).
//   bob:   decline alice             -> alice gets !PRIVDECLINED bob
//   either: stopprivate other        -> other gets !PRIVSTOP me
// Logging out ends every session of the device (its partners get PRIVSTOP).
#include <fmt/format.h>

#include "common/strings.hpp"
#include "hub/core/command_context.hpp"
#include "hub/core/hub.hpp"
#include "hub/messaging/messaging_service.hpp"
#include "hub/p2p/udp_keys.hpp"
#include "p2p/crypto/cipher_choice.hpp"

namespace edgehub::hub {
namespace {

using protocol::StatusCode;

bool is_token(std::string_view t) { return t.size() >= 16 && t.size() <= 128 && is_lower_hex(t); }

// An X25519 public key as the client sends it: 64 lower-case hex digits.
bool is_public_key(std::string_view k) { return k.size() == 64 && is_lower_hex(k); }

// The key as relayed to `to`: "KEY:CIPHERS" when the sender offered ciphers
// and to's client negotiates (it gave an offer with its udpkey), else the
// bare key an older client expects. nullopt: a bad CIPHERS argument.
std::optional<std::string> relayed_private_key(const CommandContext& ctx, std::size_t key_arg, const std::string& to) {
  if (ctx.args.size() <= key_arg + 1) return ctx.arg(key_arg);
  const std::string_view offer = ctx.args[key_arg + 1];
  if (!p2p::crypto::valid_offer(offer)) return std::nullopt;
  const auto device = ctx.hub.directory().find(to);
  return relayed_key(ctx.arg(key_arg) + ":" + std::string(offer), device ? device->udp_key.str() : std::string());
}

// A client from before end-to-end encryption sends no key: it is refused
// before anything is recorded, with the reason.
constexpr std::string_view kNeedsKey =
    "private sessions are end-to-end encrypted: the edgehub client adds its public key (update an older client)";

boost::asio::awaitable<void> start_private(CommandContext& ctx) {
  Messaging& messaging = ctx.hub.messaging();
  const std::string other = ctx.arg(0);
  const std::string& me = ctx.session.name;
  if (other == me) co_return ctx.err(StatusCode::BadRequest, "You cannot start a private session with yourself");
  if (ctx.args.size() < 2)
    co_return ctx.err(StatusCode::BadRequest, fmt::format("Usage: {}: {}", ctx.spec.usage, kNeedsKey));
  if (!is_public_key(ctx.args[1]))
    co_return ctx.err(StatusCode::BadRequest, "PUBLICKEY must be 64 lower-case hex digits");
  const auto key = relayed_private_key(ctx, 1, other);
  if (!key) co_return ctx.err(StatusCode::BadRequest, kBadCipherOffer);
  if (!messaging.known_user(other))
    co_return ctx.err(StatusCode::NotFound, fmt::format("{} is not a known user", other));
  if (messaging.blocks().blocks(other, me))
    co_return ctx.err(StatusCode::Forbidden,
                      "Your private session request could not be delivered as the recipient has blocked you");
  const auto device = ctx.hub.directory().find(other);
  if (!device) co_return ctx.err(StatusCode::NotFound, fmt::format("{} is offline", other));
  if (!messaging.privates().request(me, other))
    co_return ctx.err(StatusCode::Conflict, fmt::format("You already have a private session with {}", other));
  if (!messaging.notify(other, "PRIVREQ", fmt::format("{} {}", me, *key))) {
    messaging.privates().take_request(me, other);
    co_return ctx.err(StatusCode::NotFound, fmt::format("{} is offline", other));
  }
  ctx.ok(fmt::format("Asked {} to accept a private session; waiting for the answer", other));
}

boost::asio::awaitable<void> accept(CommandContext& ctx) {
  Messaging& messaging = ctx.hub.messaging();
  const std::string other = ctx.arg(0);
  const std::string& me = ctx.session.name;
  if (ctx.args.size() < 3)  // a person typing at nc: only the client can listen for the peer
    co_return ctx.err(
        StatusCode::BadRequest,
        fmt::format("Usage: {} (the edgehub client listens on PORT and adds both for you)", ctx.spec.usage));
  const auto port = parse_uint64(ctx.args[1]);
  if (!port || *port == 0 || *port > 65535)
    co_return ctx.err(StatusCode::BadRequest, "PORT must be an integer from 1 to 65535");
  if (!is_token(ctx.args[2]))
    co_return ctx.err(StatusCode::BadRequest, "TOKEN must be 16 to 128 lower-case hex digits");
  if (ctx.args.size() < 4)
    co_return ctx.err(StatusCode::BadRequest, fmt::format("Usage: {}: {}", ctx.spec.usage, kNeedsKey));
  if (!is_public_key(ctx.args[3]))
    co_return ctx.err(StatusCode::BadRequest, "PUBLICKEY must be 64 lower-case hex digits");
  const auto key = relayed_private_key(ctx, 3, other);
  if (!key) co_return ctx.err(StatusCode::BadRequest, kBadCipherOffer);
  if (!messaging.privates().take_request(other, me))
    co_return ctx.err(StatusCode::NotFound, fmt::format("{} has not asked you for a private session", other));
  const auto requester = ctx.hub.directory().find(other);
  if (!requester) co_return ctx.err(StatusCode::NotFound, fmt::format("{} is offline", other));
  messaging.privates().activate(me, other);
  messaging.notify(other, "PRIVSTART", fmt::format("{} {} {} {} {}", me, ctx.session.ip(), *port, ctx.args[2], *key));
  ctx.ok(fmt::format("Private session with {} ({}) accepted; waiting for {} to connect", other, requester->ip, other));
}

boost::asio::awaitable<void> decline(CommandContext& ctx) {
  const std::string other = ctx.arg(0);
  const std::string& me = ctx.session.name;
  if (!ctx.hub.messaging().privates().take_request(other, me))
    co_return ctx.err(StatusCode::NotFound, fmt::format("{} has not asked you for a private session", other));
  ctx.hub.messaging().notify(other, "PRIVDECLINED", me);
  ctx.ok(fmt::format("You declined {}'s private session request", other));
}

boost::asio::awaitable<void> stop_private(CommandContext& ctx) {
  const std::string other = ctx.arg(0);
  const std::string& me = ctx.session.name;
  if (!ctx.hub.messaging().privates().stop(me, other))
    co_return ctx.err(StatusCode::NotFound, fmt::format("You have no private session with {}", other));
  ctx.hub.messaging().notify(other, "PRIVSTOP", me);
  ctx.ok(fmt::format("Private session with {} stopped", other));
}

}  // namespace

void register_private_commands(CommandTable& table) {
  table.add({.name = "startprivate",
             .aliases = {},
             .min_args = 1,
             .max_args = 3,
             .access = Access::LoggedIn,
             .usage = "startprivate USER PUBLICKEY [CIPHERS]",
             .help = "ask USER for a private session: messages go straight between you, end-to-end encrypted",
             .handler = start_private});
  table.add({.name = "accept",
             .aliases = {},
             .min_args = 1,
             .max_args = 5,
             .access = Access::LoggedIn,
             .usage = "accept USER PORT TOKEN PUBLICKEY [CIPHERS]",
             .help = "accept USER's private session request: you listen on PORT, USER proves itself with TOKEN",
             .handler = accept});
  table.add({.name = "decline",
             .aliases = {},
             .min_args = 1,
             .max_args = 1,
             .access = Access::LoggedIn,
             .usage = "decline USER",
             .help = "refuse USER's private session request",
             .handler = decline});
  table.add({.name = "stopprivate",
             .aliases = {},
             .min_args = 1,
             .max_args = 1,
             .access = Access::LoggedIn,
             .usage = "stopprivate USER",
             .help = "end the private session with USER",
             .handler = stop_private});
}

}  // namespace edgehub::hub
