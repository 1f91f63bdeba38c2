// The server's part of UVF
// (docs/UDP.md#2-handshake-connection-ids-authorisation): the file itself goes
// peer to peer over UDP; the server only introduces the two devices and
// authorises the transfer.
//   alice: uvf bob SIZE FILE  -> bob gets   !UVF alice SIZE TICKET ALICEKEY FILE
//                             -> alice gets +OK IP UDPPORT TICKET BOBKEY
// TICKET is 128 random bits in hex, for this one transfer. Bob's client
// accepts a handshake only with a ticket the server announced to it (once,
// within 30 s), so only logged-in devices the server vouched for can send
// it files. FILE is last so that it may contain spaces. The keys are the
// public keys each client gave with `udpkey` (below): the two derive the
// transfer's keys from them and the ticket; the server never sees those
// (docs/UDP.md#14-end-to-end-encryption).
#include <sodium.h>

#include <fmt/format.h>

#include "common/file_names.hpp"
#include "common/strings.hpp"
#include "hub/core/command_context.hpp"
#include "hub/core/commands.hpp"
#include "hub/core/hub.hpp"
#include "hub/messaging/messaging_service.hpp"
#include "hub/p2p/p2p_ticket.hpp"
#include "hub/p2p/udp_keys.hpp"
#include "p2p/crypto/cipher_choice.hpp"
#include "p2p/crypto/key_exchange.hpp"
#include "protocol/reply.hpp"

namespace edgehub::hub {
namespace {

using protocol::StatusCode;

// Replies with the reason and returns false unless `to` may receive from `from` now.
bool can_receive(CommandContext& ctx, const std::string& to, const std::string& from) {
  if (to == from) {
    ctx.err(StatusCode::BadRequest, "You cannot send a file to yourself");
    return false;
  }
  // Guests have no account but are users while online.
  if (!ctx.hub.accounts()->exists(to) && !ctx.hub.directory().find_peer(to)) {
    ctx.err(StatusCode::NotFound, fmt::format("{} is not a known user", to));
    return false;
  }
  if (ctx.hub.hides(to, from)) {
    ctx.err(StatusCode::Forbidden, "Your file could not be delivered as the recipient has blocked you");
    return false;
  }
  return true;
}

boost::asio::awaitable<void> uvf(CommandContext& ctx) {
  const std::string to = ctx.arg(0);
  const std::string& from = ctx.session.name;
  const auto size = parse_uint64(ctx.args[1]);
  const std::string_view file = ctx.args[2];
  if (!size) co_return ctx.err(StatusCode::BadRequest, "SIZE must be the file's size in bytes");
  // The receiver's own rule, so that no ticket is issued for a name it refuses.
  if (const auto problem = file_name_problem(file, kPlainName))
    co_return ctx.err(StatusCode::BadRequest,
                      fmt::format("Refused file name '{}': {}", printable_file_name(file), *problem));
  if (!can_receive(ctx, to, from)) co_return;
  if (ctx.session.udp_key.empty()) co_return ctx.err(StatusCode::Conflict, kNoOwnUdpKey);
  const auto device = ctx.hub.directory().find(to);
  if (!device) co_return ctx.err(StatusCode::NotFound, fmt::format("{} is offline", to));
  if (device->udp_port <= 0)
    co_return ctx.err(StatusCode::Conflict, fmt::format("{} has no UDP port to receive files on", to));
  if (device->udp_key.empty())
    co_return ctx.err(
        StatusCode::Conflict,
        fmt::format("{}'s client cannot receive encrypted files (it gave no udpkey): it must be upgraded", to));
  const std::string ticket = new_p2p_ticket();
  // The receiver hears of the ticket before the sender can use it (its
  // client also waits briefly for a ticket that is still on its way, as
  // one relayed from another node may be: docs/CLUSTER.md#peer-to-peer-across-nodes).
  if (!ctx.hub.messaging().notify(
          to, "UVF",
          fmt::format("{} {} {} {} {}", from, *size, ticket, relayed_key(ctx.session.udp_key, device->udp_key), file)))
    co_return ctx.err(StatusCode::NotFound, fmt::format("{} is offline", to));
  ctx.ok(fmt::format("{} {} {} {}", device->ip, device->udp_port, ticket,
                     relayed_key(device->udp_key, ctx.session.udp_key)));
}

// udpkey PUBLICKEY [CIPHERS]: this login's X25519 public key (crypto_kx),
// relayed to the peers of its UVF transfers and swarm requests, with the
// ciphers it offers (docs/UDP.md#14-end-to-end-encryption). The edgehub
// client makes a fresh key pair per run and gives it right after the
// greeting, so that its login lists it at once; a logged-in device may
// replace it.
boost::asio::awaitable<void> udp_key(CommandContext& ctx) {
  const auto key = p2p::crypto::decode_public_key(ctx.args[0]);
  if (!key) co_return ctx.err(StatusCode::BadRequest, "PUBLICKEY must be 64 hex digits (an X25519 public key)");
  const std::string offer = ctx.args.size() > 1 ? std::string(ctx.args[1]) : std::string();
  if (!offer.empty() && !p2p::crypto::valid_offer(offer)) co_return ctx.err(StatusCode::BadRequest, kBadCipherOffer);
  const std::string hex = p2p::crypto::encode_public_key(*key);
  ctx.hub.set_udp_key(ctx.session, offer.empty() ? hex : hex + ":" + offer);
  ctx.ok("UDP key registered");
}

}  // namespace

void register_uvf_commands(CommandTable& table) {
  table.add({.name = "uvf",
             .aliases = {},
             .min_args = 3,
             .max_args = 3,
             .access = Access::LoggedIn,
             .usage = "uvf USER SIZE FILE",
             .help = "authorise sending FILE (SIZE bytes) to USER peer to peer: replies IP UDPPORT TICKET KEY "
                     "(the edgehub client's UVF USER FILE does this and sends the file)",
             .handler = uvf});
  table.add({.name = "udpkey",
             .aliases = {},
             .min_args = 1,
             .max_args = 2,
             .access = Access::Anyone,
             .usage = "udpkey PUBLICKEY [CIPHERS]",
             .help = "your X25519 public key (64 hex digits) for end-to-end encrypted UVF and swarm transfers, "
                     "and the ciphers you offer, e.g. aes256gcm,xchacha20poly1305 (the edgehub client gives "
                     "both before logging in)",
             .handler = udp_key});
}

}  // namespace edgehub::hub
