// p2pDownload on the command thread (docs/SWARM.md#5-downloader-and-seeder):
// swarmget gives the chosen version's manifest; a file already here is
// left alone; the part file resumes from its verified chunks; then the
// download runs in the background.
#include <fmt/format.h>

#include <filesystem>

#include "client/core/client_app.hpp"
#include "client/p2p/swarm_agent.hpp"
#include "client/p2p/swarm_download.hpp"
#include "client/shell/progress_bar.hpp"
#include "common/strings.hpp"

namespace edgehub::client::swarm {

namespace fs = std::filesystem;
namespace ps = p2p::swarm;
using Kind = protocol::ServerMessage::Kind;

namespace {

// The digests after "+OK ROOT SIZE CHUNKSIZE COUNT", as blocks up to "$0".
std::optional<std::string> read_digests(ClientApp& app, std::uint64_t expected) {
  std::string digests;
  for (;;) {
    const auto block = app.link().next_reply();
    if (!block) {
      app.out().error("Connection to the server lost");
      return std::nullopt;
    }
    if (block->kind != Kind::Block) {
      app.out().error("p2pDownload: the server's manifest ended early: " + block->text);
      return std::nullopt;
    }
    if (block->data.empty()) return digests;
    if (digests.size() + block->data.size() <= expected)
      digests += block->data;  // more is refused below
    else
      digests.resize(expected + 1);
  }
}

std::optional<ps::Manifest> fetch_manifest(ClientApp& app, const std::string& target) {
  app.link().send_line("swarmget " + target);
  const auto reply = app.link().next_reply();
  if (!reply) {
    app.out().error("Connection to the server lost");
    return std::nullopt;
  }
  if (reply->kind == Kind::Err) {
    app.out().reply(*reply);  // "NAME is not available", "ROOTPREFIX matches several versions"...
    return std::nullopt;
  }
  const auto header = parse_swarmget(reply->text);
  if (!header) {
    app.out().error("p2pDownload: unexpected answer from the server: " + reply->text);
    return std::nullopt;
  }
  const auto digests = read_digests(app, std::uint64_t{header->chunk_count} * 32);
  if (!digests) return std::nullopt;
  ps::Manifest m;
  m.size = header->size;
  m.chunk_size = header->chunk_size;
  for (std::size_t at = 0; at + 32 <= digests->size(); at += 32) {
    Sha256Digest d{};
    std::copy_n(digests->data() + at, 32, d.begin());
    m.chunks.push_back(d);
  }
  from_hex(header->root, m.root.data(), m.root.size());
  std::string problem = manifest_problem(m);
  if (problem.empty() && (digests->size() != m.chunks.size() * 32 || m.chunk_count() != header->chunk_count))
    problem = "the number of chunk hashes is wrong";
  if (problem.empty()) return m;
  app.out().error(fmt::format("p2pDownload: the server sent a bad manifest for {}: {}", target, problem));
  return std::nullopt;
}

// True (and said) if NAME is here already: complete with this root, or
// another file that a download must not overwrite.
bool already_here(ClientApp& app, SharedFiles& shared, const std::string& name, const ps::Manifest& m) {
  std::error_code ec;
  if (!fs::exists(fs::symlink_status(name, ec))) return false;
  const auto stamp = stamp_if_file(name);
  const auto other = [&] {
    app.out().error(fmt::format(
        "p2pDownload: {} already exists here with other contents; move it away to download this version", name));
    return true;
  };
  if (!stamp) return other();
  std::string root;
  if (const auto file = shared.by_name(name); file && file->stamp == *stamp) {
    root = file->manifest->root_hex();
  } else if (stamp->size == m.size) {
    ProgressBar bar(app.out(), "checking " + name, m.size);
    try {
      root = ps::build_manifest(name, [&bar](std::uint64_t done, std::uint64_t) { bar.update(done); }).root_hex();
    } catch (const std::exception& e) {
      app.out().error(fmt::format("p2pDownload: {}", e.what()));
      return true;
    }
  }
  if (root != m.root_hex()) return other();
  app.out().info("swarm", fmt::format("p2pDownload: you already have {} ({}), complete; nothing to do", name,
                                      m.root_hex().substr(0, 12)));
  return true;
}

}  // namespace

void SwarmAgent::download(const NameChoice& choice, bool json) {
  if (running(choice.name))
    return app_.out().error(fmt::format("p2pDownload {} is already running in the background", choice.name));
  const std::string target = choice.root_prefix.empty() ? choice.name : choice.name + "@" + choice.root_prefix;
  auto manifest = fetch_manifest(app_, target);
  if (!manifest || already_here(app_, shared_, choice.name, *manifest)) return;
  std::shared_ptr<ps::PartFile> part;
  try {
    part = ps::PartFile::open(fs::current_path(), choice.name, *manifest);
  } catch (const std::exception& e) {
    return app_.out().error(fmt::format("p2pDownload {}: {}", choice.name, e.what()));
  }
  const auto& m = *manifest;
  const std::string resumed =
      part->resumed_chunks() == 0 ? "" : fmt::format(", resuming with {} chunks already here", part->resumed_chunks());
  app_.out().info("swarm", fmt::format("p2pDownload {}: {} in {} chunks of {} ({}){}; downloading in the background",
                                       choice.name, format_bytes(m.size), m.chunk_count(), format_bytes(m.chunk_size),
                                       m.root_hex().substr(0, 12), resumed));
  start_download(DownloadPlan{choice.name, std::make_shared<const ps::Manifest>(std::move(*manifest)), part, json});
}

}  // namespace edgehub::client::swarm
