// share, unshare, searchFile, searchChunk, p2pDownload: the client halves
// of the swarm (docs/SWARM.md#5-downloader-and-seeder). The downloads run
// in the background (client/p2p/swarm_agent.hpp).
#include <unistd.h>

#include <fmt/format.h>

#include <filesystem>

#include "client/core/client_app.hpp"
#include "client/core/command_registry.hpp"
#include "client/p2p/swarm_agent.hpp"
#include "client/p2p/swarm_replies.hpp"
#include "client/shell/progress_bar.hpp"
#include "common/file_names.hpp"
#include "p2p/swarm/chunk_ranges.hpp"
#include "protocol/limits.hpp"
#include "protocol/reply.hpp"

namespace edgehub::client {
namespace {

namespace fs = std::filesystem;
namespace ps = p2p::swarm;
using Kind = protocol::ServerMessage::Kind;

constexpr std::uint64_t kAnnounceHashingFrom = 64 << 20;  // smaller files hash before anyone wonders

// Why FILE cannot be shared, or "" (docs/SWARM.md#5-downloader-and-seeder).
std::string share_problem(const std::string& name) {
  if (auto why = file_name_problem(name, kSharedName)) return *why;
  std::error_code ec;
  const auto status = fs::status(name, ec);
  if (!fs::exists(status)) return fmt::format("{}: no such file", name);
  if (fs::is_directory(status)) return fmt::format("{} is a directory; share a file", name);
  if (!fs::is_regular_file(status)) return fmt::format("{} is not a regular file", name);
  if (::access(name.c_str(), R_OK) != 0) return fmt::format("{}: cannot read it: {}", name, std::strerror(errno));
  if (fs::file_size(name, ec) == 0) return fmt::format("{} is empty; there is nothing to share", name);
  return {};
}

ps::Manifest hash_with_progress(ClientApp& app, const std::string& name, std::uint64_t size) {
  if (size >= kAnnounceHashingFrom) app.out().info("swarm", fmt::format("Hashing {} ({})", name, format_bytes(size)));
  ProgressBar bar(app.out(), "hashing " + name, size);
  return ps::build_manifest(name, [&bar](std::uint64_t done, std::uint64_t) { bar.update(done); });
}

// The chunk digests as "$N" blocks and the closing "$0".
void send_digests(ClientApp& app, const ps::Manifest& m) {
  constexpr std::size_t kDigestBlockBytes = protocol::kClientToServer.max_block / 32 * 32;
  std::string all;
  all.reserve(m.chunks.size() * 32);
  for (const auto& d : m.chunks) all.append(reinterpret_cast<const char*>(d.data()), d.size());
  for (std::size_t at = 0; at < all.size(); at += kDigestBlockBytes) {
    const std::size_t n = std::min(kDigestBlockBytes, all.size() - at);
    app.link().send_bytes(protocol::encode_block_header(n) + all.substr(at, n));
  }
  app.link().send_bytes(protocol::encode_block_header(0));
}

// share FILE (alias register): hashes FILE and announces its manifest.
void share(ClientApp& app, const ClientArgs& args) {
  const std::string name(args[0]);
  if (const auto problem = share_problem(name); !problem.empty()) return app.out().error("share: " + problem);
  const auto before = swarm::stamp_if_file(name);
  if (!before) return app.out().error(fmt::format("share: {}: no such file", name));
  auto manifest = std::make_shared<ps::Manifest>(hash_with_progress(app, name, before->size));
  if (swarm::stamp_if_file(name) != before)
    return app.out().error(fmt::format("share: {} changed while it was being hashed; try again", name));
  app.link().send_line(
      fmt::format("share {} {} {} {}", manifest->size, manifest->chunk_size, manifest->root_hex(), name));
  send_digests(app, *manifest);
  const auto reply = app.link().next_reply();
  if (!reply) return app.out().error("Connection to the server lost");
  app.out().reply(*reply);
  if (reply->kind != Kind::Ok) return;
  app.swarm().shared().put(swarm::SharedFile{name, fs::absolute(name), *before, std::move(manifest)});
}

// A name refused here never reaches the tracker (docs/SWARM.md#5-downloader-and-seeder).
bool name_ok(ClientApp& app, std::string_view command, const std::string& name) {
  const auto why = file_name_problem(name, kSharedName);
  if (why) app.out().error(fmt::format("{}: {}", command, *why));
  return !why;
}

void unshare(ClientApp& app, const ClientArgs& args) {
  const std::string name(args[0]);
  if (!name_ok(app, "unshare", name)) return;
  const auto reply = app.forward("unshare " + name);
  if (reply && reply->kind == Kind::Ok) app.swarm().shared().remove(name);
}

void print_versions(ClientApp& app, const std::string& name, const protocol::ServerMessage& reply,
                    std::uint32_t asked) {
  if (reply.kind != Kind::List || app.out().json()) return app.out().reply(reply);
  const auto n = reply.lines.size();
  app.out().info("swarm", fmt::format("{}: {} version{}", name, n, n == 1 ? "" : "s"));
  for (const auto& line : reply.lines) {
    const auto v = swarm::parse_version_line(line);
    app.out().info("swarm", v ? swarm::format_version(name, *v, asked) : line);
  }
}

void search_file(ClientApp& app, const ClientArgs& args) {
  const std::string name(args[0]);
  if (!name_ok(app, "searchFile", name)) return;
  if (auto reply = app.ask("searchfile " + name)) print_versions(app, name, *reply, 0);
}

void search_chunk(ClientApp& app, const ClientArgs& args) {
  const std::string name(args[0]);
  if (!name_ok(app, "searchChunk", name)) return;
  std::string error;
  const auto asked = ps::parse_chunk_list(args[1], UINT32_MAX, &error);
  if (!asked) return app.out().error("searchChunk: " + error);
  const auto count = static_cast<std::uint32_t>(asked->size());
  if (auto reply = app.ask(fmt::format("searchchunk {} {}", name, args[1]))) print_versions(app, name, *reply, count);
}

// p2pDownload NAME[@ROOTPREFIX] [--json]; NAME may contain spaces.
void p2p_download(ClientApp& app, const ClientArgs& args) {
  std::string_view text = args[0];
  bool json = false;
  for (const std::string_view flag : {std::string_view(" --json"), std::string_view("--json")}) {
    if (text.size() >= flag.size() && text.substr(text.size() - flag.size()) == flag) {
      text.remove_suffix(flag.size());
      json = true;
      break;
    }
  }
  if (text.empty()) return app.out().error("Usage: p2pDownload NAME[@ROOTPREFIX] [--json]");
  std::string error;
  const auto choice = swarm::parse_name_choice(text, &error);
  if (!choice) return app.out().error("p2pDownload: " + error);
  if (auto why = file_name_problem(choice->name, swarm::kDownloadName)) return app.out().error("p2pDownload: " + *why);
  app.swarm().download(*choice, json);
}

}  // namespace

void register_swarm_commands(ClientCommandTable& table) {
  table.add({.name = "share",
             .aliases = {"register"},
             .min_args = 1,
             .max_args = 1,
             .rest_of_line = true,
             .usage = "share FILE",
             .run = share});
  table.add(
      {.name = "unshare", .min_args = 1, .max_args = 1, .rest_of_line = true, .usage = "unshare FILE", .run = unshare});
  table.add({.name = "searchFile",
             .min_args = 1,
             .max_args = 1,
             .rest_of_line = true,
             .usage = "searchFile NAME",
             .run = search_file});
  table.add(
      {.name = "searchChunk", .min_args = 2, .max_args = 2, .usage = "searchChunk NAME CHUNKS", .run = search_chunk});
  table.add({.name = "p2pDownload",
             .min_args = 1,
             .max_args = 1,
             .rest_of_line = true,
             .usage = "p2pDownload NAME[@ROOTPREFIX] [--json]",
             .run = p2p_download});
}

}  // namespace edgehub::client
