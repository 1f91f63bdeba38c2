// share SIZE CHUNKSIZE ROOT NAME + $N digest blocks + $0
// (docs/SWARM.md#share): the line is checked first; the digests then
// stream into a DigestStream that never holds more than the manifest needs,
// and the one reply comes after $0. A refused share still drains its
// blocks, so the client's stream stays in step, and changes nothing.
#include <spdlog/spdlog.h>

#include <memory>

#include <fmt/format.h>

#include "common/file_names.hpp"
#include "common/strings.hpp"
#include "hub/core/hub.hpp"
#include "hub/p2p/swarm_commands.hpp"
#include "p2p/swarm/digest_stream.hpp"
#include "protocol/reply.hpp"

namespace edgehub::hub {
namespace {

using p2p::swarm::DigestStream;
using protocol::StatusCode;

struct ShareUpload {
  Hub& hub;
  SwarmDevice device;
  std::string name;
  std::optional<DigestStream> stream;  // empty once refused
  std::optional<SwarmRefusal> refusal;
};

SwarmRefusal bad(std::string text) { return {StatusCode::BadRequest, std::move(text)}; }

// The line's own problems, before any digest arrives.
std::optional<SwarmRefusal> check_line(CommandContext& ctx, ShareUpload& up) {
  if (const auto problem = file_name_problem(up.name, kSharedName))
    return bad(fmt::format("Refused file name '{}': {}", printable_file_name(up.name), *problem));
  const auto size = parse_uint64(ctx.args[0]);
  const auto chunk_size = parse_uint64(ctx.args[1]);
  const std::string root_hex = ctx.arg(2);
  Sha256Digest root{};
  if (!size || !chunk_size || *chunk_size > UINT32_MAX || !from_hex(root_hex, root.data(), root.size()))
    return bad(fmt::format("Usage: {} (SIZE and CHUNKSIZE in bytes, ROOT 64 lower-case hex digits)", ctx.spec.usage));
  const auto chunk = static_cast<std::uint32_t>(*chunk_size);
  if (auto problem = p2p::swarm::geometry_problem(*size, chunk); !problem.empty())
    return bad(fmt::format("Malformed manifest for {}: {}", up.name, problem));
  if (auto refusal = up.hub.swarm().check_share(up.device, up.name, p2p::swarm::chunk_count_for(*size, chunk)))
    return refusal;
  up.stream.emplace(*size, chunk, root);
  return std::nullopt;
}

void finish_share(ShareUpload& up, Session& s) {
  auto fail = [&](const SwarmRefusal& r) { s.send(protocol::encode_err(r.code, r.text)); };
  if (up.refusal) return fail(*up.refusal);
  auto result = up.stream->finish();
  if (auto* problem = std::get_if<std::string>(&result))
    return fail(bad(fmt::format("Malformed manifest for {}: {}", up.name, *problem)));
  auto manifest = std::make_shared<const SwarmManifest>(std::move(std::get<SwarmManifest>(result)));
  if (auto refusal = up.hub.swarm().share(up.device, up.name, manifest)) return fail(*refusal);
  announce_to_cluster(s, up.hub, up.name, manifest, true);
  const std::string root = manifest->root_hex();
  spdlog::info("{} ({}) shares '{}' as {} ({} bytes)", s.name, s.ip(), printable_file_name(up.name), root,
               manifest->size);
  s.send(protocol::encode_ok(fmt::format("shared {} as {} ({} chunks of {} bytes)", up.name, root.substr(0, 12),
                                         manifest->chunk_count(), manifest->chunk_size)));
}

boost::asio::awaitable<void> on_share_block(const std::shared_ptr<ShareUpload>& up, Session& s,
                                            std::string_view block) {
  if (!block.empty()) {
    if (up->stream) up->stream->add(block);
    co_return;
  }
  s.end_block_sink();  // "$0": this share is over either way (Hub::on_block holds a copy of the sink)
  finish_share(*up, s);
}

boost::asio::awaitable<void> share(CommandContext& ctx) {
  if (ctx.session.receiving_blocks())
    co_return ctx.err(StatusCode::Conflict,
                      "An upload is already in progress on this connection; end it with $0 first");
  auto up = std::make_shared<ShareUpload>(ShareUpload{ctx.hub, swarm_device(ctx.session), ctx.arg(3), {}, {}});
  up->refusal = check_line(ctx, *up);
  if (up->refusal) up->stream.reset();
  ctx.session.set_block_sink([up](Session& s, std::string_view block) { return on_share_block(up, s, block); });
}

}  // namespace

void register_swarm_share_command(CommandTable& table) {
  table.add({.name = "share",
             .aliases = {"register"},
             .min_args = 4,
             .max_args = 4,
             .access = Access::LoggedIn,
             .usage = "share SIZE CHUNKSIZE ROOT NAME",
             .help = "announce that you hold all of NAME; the chunk digests follow as $N blocks ended by $0 "
                     "(the edgehub client's share FILE does this)",
             .handler = share});
}

}  // namespace edgehub::hub
