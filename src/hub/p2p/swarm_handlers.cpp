// The swarm tracker's commands (docs/SWARM.md#2-tracker-protocol): unshare,
// searchfile, searchchunk, swarmget, swarmpeers, have, swarmstat; share is
// in swarm_share.cpp. State lives in the Hub's SwarmTracker; listings are
// built from its snapshots, events are sent after its lock is released.
#include <spdlog/spdlog.h>

#include <set>

#include <fmt/format.h>

#include "common/file_names.hpp"
#include "common/strings.hpp"
#include "hub/core/commands.hpp"
#include "hub/core/hub.hpp"
#include "hub/p2p/swarm_commands.hpp"
#include "hub/p2p/swarm_versions.hpp"
#include "hub/p2p/udp_keys.hpp"
#include "p2p/swarm/chunk_ranges.hpp"
#include "protocol/limits.hpp"
#include "protocol/reply.hpp"

namespace edgehub::hub {

using protocol::StatusCode;

SwarmDevice swarm_device(Session& s) { return {s.name, &s.peer(), s.ip(), s.udp_port}; }

bool check_shared_name(CommandContext& ctx, std::string_view name) {
  const auto problem = file_name_problem(name, kSharedName);
  if (problem)
    ctx.err(StatusCode::BadRequest, fmt::format("Refused file name '{}': {}", printable_file_name(name), *problem));
  return !problem;
}

void reply_refusal(CommandContext& ctx, const SwarmRefusal& refusal) { ctx.err(refusal.code, refusal.text); }

void Hub::withdraw_swarm(Session& s) {
  const auto unticketed = swarm_->withdraw(s.name, &s.peer());
  if (shutting_down_.load()) return;  // every seeder has its !BYE: nothing follows it (docs/PROTOCOL.md#6-liveness)
  for (const auto& untick : unticketed) {
    if (auto peer = directory_.find_peer(untick.holder))
      peer->send(make_bytes(protocol::encode_event("SWARMUNTICKET", untick.ticket)));
    else
      relay_event(untick.holder, "SWARMUNTICKET", untick.ticket);  // a holder on another node
  }
}

// The other nodes' trackers learn of a device's announcements
// (docs/CLUSTER.md#the-swarm-tracker-across-nodes); a guest holds no login
// in the cluster's tables, so its announcements stay on its node.
void announce_to_cluster(Session& s, Hub& hub, const std::string& file, std::shared_ptr<const SwarmManifest> manifest,
                         bool complete) {
  if (hub.claims_in_cluster(s)) hub.cluster().announce_swarm({{}, s.name, file, complete, std::move(manifest)});
}

namespace {

std::optional<SwarmRoot> parse_root(CommandContext& ctx, std::string_view hex) {
  SwarmRoot root{};
  if (from_hex(hex, root.data(), root.size())) return root;
  ctx.err(StatusCode::BadRequest, fmt::format("Usage: {} (ROOT: 64 lower-case hex digits)", ctx.spec.usage));
  return std::nullopt;
}

// The versions of name as the asker sees them, best first.
std::vector<SwarmVersion> visible_versions(CommandContext& ctx, const std::string& name) {
  const std::string& asker = ctx.session.name;
  auto hidden = [&](const std::string& holder) { return ctx.hub.hides(holder, asker); };
  auto versions = ctx.hub.swarm().versions(name);
  for (auto& v : versions) v.holders = visible_holders(std::move(v.holders), asker, hidden);
  sort_versions(versions);
  return versions;
}

// NAME[@ROOTPREFIX] checked and resolved to one version; nullopt after an error reply.
std::optional<SwarmVersion> chosen_version(CommandContext& ctx, const VersionQuery& query) {
  if (!check_shared_name(ctx, query.name)) return std::nullopt;
  if (!query.root_prefix.empty()) {
    if (auto problem = root_prefix_problem(query.root_prefix); !problem.empty()) {
      ctx.err(StatusCode::BadRequest, problem);
      return std::nullopt;
    }
  }
  auto choice = choose_version(visible_versions(ctx, query.name), query);
  if (choice.refusal) reply_refusal(ctx, *choice.refusal);
  return choice.version;
}

boost::asio::awaitable<void> unshare(CommandContext& ctx) {
  const std::string name = ctx.arg(0);
  if (!check_shared_name(ctx, name)) co_return;
  if (!ctx.hub.swarm().unshare(swarm_device(ctx.session), name))
    co_return ctx.err(StatusCode::NotFound, fmt::format("You do not share {}", name));
  if (ctx.hub.claims_in_cluster(ctx.session)) ctx.hub.cluster().withdraw_swarm(ctx.session.name, name);
  ctx.ok(fmt::format("{} withdrawn", name));
}

boost::asio::awaitable<void> searchfile(CommandContext& ctx) {
  const std::string name = ctx.arg(0);
  if (!check_shared_name(ctx, name)) co_return;
  const auto versions = visible_versions(ctx, name);
  if (versions.empty()) co_return ctx.err(StatusCode::NotFound, fmt::format("{} is not available", name));
  std::vector<std::string> lines;
  for (const auto& v : versions) lines.push_back(version_line(v));
  ctx.list(fmt::format("{} version{} of {}", lines.size(), lines.size() == 1 ? "" : "s", name), lines);
}

// searchchunk NAME[@ROOTPREFIX] CHUNKS: NAME may hold spaces, so CHUNKS is
// the last word.
boost::asio::awaitable<void> searchchunk(CommandContext& ctx) {
  const std::string_view all = trim(ctx.args[0]);
  const auto space = all.find_last_of(" \t");
  if (space == std::string_view::npos)
    co_return ctx.err(StatusCode::BadRequest, fmt::format("Usage: {}", ctx.spec.usage));
  const VersionQuery query = split_version_query(trim(all.substr(0, space)));
  const std::string_view chunk_text = all.substr(space + 1);
  auto version = chosen_version(ctx, query);
  if (!version) co_return;
  std::string error;
  const auto chunks = p2p::swarm::parse_chunk_list(chunk_text, version->manifest->chunk_count(), &error);
  if (!chunks) {
    if (const auto at = error.find("the file has"); at != std::string::npos) error.replace(at, 8, query.name);
    co_return ctx.err(StatusCode::BadRequest, error);
  }
  const std::string& asker = ctx.session.name;
  version->holders = visible_holders(ctx.hub.swarm().holders_of_chunks(version->manifest->root, *chunks), asker,
                                     [&](const std::string& holder) { return ctx.hub.hides(holder, asker); });
  if (version->holders.empty())
    co_return ctx.err(StatusCode::NotFound,
                      fmt::format("No online device holds chunks {} of {}", chunk_text, query.name));
  ctx.list(fmt::format("holders of chunks {} of {}", p2p::swarm::format_chunk_ranges(*chunks), query.name),
           {version_line(*version)});
}

// The digests go out as $N blocks of at most protocol::kServerToClient.max_block bytes, then $0.
void send_digests(Session& s, const SwarmManifest& m) {
  const auto* bytes = reinterpret_cast<const char*>(m.chunks.data());
  const std::size_t total = m.chunks.size() * sizeof(Sha256Digest);
  for (std::size_t at = 0; at < total; at += protocol::kServerToClient.max_block) {
    const std::size_t n = std::min(protocol::kServerToClient.max_block, total - at);
    s.send(protocol::encode_block_header(n) + std::string(bytes + at, n));
  }
  s.send(protocol::encode_block_header(0));
}

boost::asio::awaitable<void> swarmget(CommandContext& ctx) {
  const VersionQuery query = split_version_query(ctx.args[0]);
  const auto version = chosen_version(ctx, query);
  if (!version) co_return;
  const SwarmManifest& m = *version->manifest;
  if (auto refusal = ctx.hub.swarm().add_downloader(swarm_device(ctx.session), query.name, m.root))
    co_return reply_refusal(ctx, *refusal);
  announce_to_cluster(ctx.session, ctx.hub, query.name, version->manifest, false);
  ctx.ok(fmt::format("{} {} {} {}", m.root_hex(), m.size, m.chunk_size, m.chunk_count()));
  send_digests(ctx.session, m);
}

// The holder hears of a new ticket before the asker can use it; one on
// another node a moment later, through a relay event: until then it
// ignores the asker's requests, which the asker repeats
// (docs/UDP.md#13-swarm-requests).
void tell_holder(CommandContext& ctx, const OnlineDevice& holder, const std::string& ticket) {
  const std::string body = fmt::format("{} {} {} {}", ctx.session.name, ticket, ctx.args[0],
                                       relayed_key(ctx.session.udp_key, holder.udp_key));
  if (holder.peer)
    holder.peer->send(make_bytes(protocol::encode_event("SWARMTICKET", body)));
  else
    ctx.hub.relay_event(holder.name, "SWARMTICKET", body);
}

boost::asio::awaitable<void> swarmpeers(CommandContext& ctx) {
  const auto root = parse_root(ctx, ctx.args[0]);
  if (!root) co_return;
  const std::string& asker = ctx.session.name;
  if (ctx.session.udp_key.empty()) co_return ctx.err(StatusCode::Conflict, kNoOwnUdpKey);
  std::set<std::string> hidden;
  for (const auto& holder : ctx.hub.swarm().holders_of_chunks(*root, {}))
    if (ctx.hub.hides(holder.device, asker)) hidden.insert(holder.device);
  const auto result = ctx.hub.swarm().peers(swarm_device(ctx.session), *root, hidden);
  if (result.refusal) co_return reply_refusal(ctx, *result.refusal);
  std::vector<std::string> lines;
  for (const auto& p : result.peers) {
    // Each side learns the other's public key with the ticket
    // (docs/UDP.md#14-end-to-end-encryption); a holder without one (an old
    // client) cannot serve encrypted requests and is left out.
    const auto holder = ctx.hub.directory().find(p.device);
    if (!holder || holder->udp_key.empty()) continue;
    if (p.new_ticket) tell_holder(ctx, *holder, p.ticket);
    lines.push_back(fmt::format("{} {} {} {} {} {}", p.device, p.ip, p.udp_port, p.ticket,
                                relayed_key(holder->udp_key, ctx.session.udp_key), p.have));
  }
  ctx.list(fmt::format("{} peer{} for {}", lines.size(), lines.size() == 1 ? "" : "s", ctx.args[0].substr(0, 12)),
           lines);
}

boost::asio::awaitable<void> have(CommandContext& ctx) {
  const auto root = parse_root(ctx, ctx.args[0]);
  if (!root) co_return;
  const auto not_held = fmt::format("You hold no part of {}: swarmget or share it first", ctx.args[0].substr(0, 12));
  const auto manifest = ctx.hub.swarm().manifest(*root);
  if (!manifest) co_return ctx.err(StatusCode::NotFound, not_held);
  std::string error;
  const auto chunks = p2p::swarm::parse_chunk_list(trim(ctx.args[1]), manifest->chunk_count(), &error);
  if (!chunks) co_return ctx.err(StatusCode::BadRequest, error);
  const bool announce = ctx.hub.claims_in_cluster(ctx.session) && !chunks->empty();
  std::string held_hex;
  const auto count = ctx.hub.swarm().have(swarm_device(ctx.session), *root, *chunks, announce ? &held_hex : nullptr);
  if (!count) co_return ctx.err(StatusCode::NotFound, not_held);
  if (announce)
    ctx.hub.cluster().announce_have(ctx.session.name, manifest->root_hex(), p2p::swarm::format_chunk_ranges(*chunks),
                                    std::move(held_hex));
  ctx.ok(fmt::format("{}", *count));
}

boost::asio::awaitable<void> swarmstat(CommandContext& ctx) {
  const SwarmStats s = ctx.hub.swarm().stats();
  ctx.ok(fmt::format("memory {} of {} bytes, {} devices, {} names, {} roots, {} holders, {} tickets", s.memory,
                     s.max_memory, s.devices, s.names, s.roots, s.holders, s.tickets));
  co_return;
}

}  // namespace

void register_swarm_commands(CommandTable& table) {
  register_swarm_share_command(table);
  const auto add = [&](std::string name, std::size_t min, std::size_t max, std::string usage, std::string help,
                       auto handler) {
    table.add({.name = std::move(name),
               .aliases = {},
               .min_args = min,
               .max_args = max,
               .access = Access::LoggedIn,
               .usage = std::move(usage),
               .help = std::move(help),
               .handler = handler});
  };
  add("unshare", 1, 1, "unshare NAME", "withdraw your announcement of NAME", unshare);
  add("searchfile", 1, 1, "searchfile NAME",
      "the versions of NAME online devices hold: ROOT SIZE CHUNKSIZE COUNT HOLDER:CHUNKS,...", searchfile);
  add("searchchunk", 1, 1, "searchchunk NAME[@ROOTPREFIX] CHUNKS",
      "who holds CHUNKS (such as 0-9,12) of NAME's most held version, or of the one ROOTPREFIX chooses", searchchunk);
  add("swarmget", 1, 1, "swarmget NAME[@ROOTPREFIX]",
      "the manifest of NAME's most held version (ROOT SIZE CHUNKSIZE COUNT, then the digests as $N blocks); "
      "registers you as its downloader",
      swarmget);
  add("swarmpeers", 1, 1, "swarmpeers ROOT",
      "the online holders of ROOT you may fetch from: USER IP UDPPORT TICKET KEY all|xBITMAP", swarmpeers);
  add("have", 2, 2, "have ROOT CHUNKS", "announce that you now hold CHUNKS (such as 0-9,12) of ROOT", have);
  add("swarmstat", 0, 0, "swarmstat", "the swarm tracker's memory use and counts", swarmstat);
}

}  // namespace edgehub::hub
