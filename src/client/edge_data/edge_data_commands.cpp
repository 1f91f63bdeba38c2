// Client side of edge data: EDG writes NAME-FILEID.txt in the current
// directory; UED streams it to the server as "$N" blocks after
// "UED FILEID SIZE SHA256" (docs/EDGE_DATA.md, docs/PROTOCOL.md).
#include "client/core/command_registry.hpp"

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include <fmt/format.h>

#include "client/core/client_app.hpp"
#include "common/sha256.hpp"
#include "common/strings.hpp"
#include "data/edg_args.hpp"
#include "data/file_id.hpp"
#include "data/generator.hpp"
#include "protocol/reply.hpp"

namespace edgehub::client {
namespace {

constexpr std::size_t kBlockBytes = 1024 * 1024;              // the protocol's block limit
constexpr std::size_t kMaxUnsentEdgeBytes = 4 * kBlockBytes;  // memory bound while uploading

// EDGEHUB_SEED makes EDG repeatable (same seed, same file); otherwise the
// clock seeds it.
std::uint64_t edg_seed() {
  if (const char* env = std::getenv("EDGEHUB_SEED"))
    if (const auto seed = parse_uint64(env)) return *seed;
  return data::seed_from_clock();
}

void generate(ClientApp& app, const ClientArgs& args) {
  const auto request = data::parse_edg_args(args.empty() ? std::string_view{} : args[0]);
  if (!request) {  // a usage error stands alone, like every "Usage: ..." (client or server)
    const bool usage = request.error().starts_with("Usage: ");
    return app.out().error(usage ? request.error() : "EDG: " + request.error());
  }
  const std::string file = data::data_file_name(app.name(), request->id);
  data::generate_file(file, data::GeneratorConfig{request->count, edg_seed()});
  app.out().info("local",
                 fmt::format("Data generation done, {} data samples have been generated and stored in the file {}",
                             request->count, file));
}

// Streams the file, hashing and counting what it sends; returns the reply
// if the server answered early (an error while blocks were still being
// sent).
std::optional<protocol::ServerMessage> stream_blocks(ClientApp& app, std::ifstream& in, Sha256& sha,
                                                     std::uint64_t& sent) {
  std::string block(kBlockBytes, '\0');
  while (in) {
    in.read(block.data(), static_cast<std::streamsize>(block.size()));
    const auto n = static_cast<std::size_t>(in.gcount());
    if (n == 0) break;
    sha.update(block.data(), n);
    sent += n;
    std::string frame = protocol::encode_block_header(n);
    frame.append(block.data(), n);
    app.link().send_bytes(std::move(frame));
    if (!app.link().wait_unsent_below(kMaxUnsentEdgeBytes)) break;
    if (auto early = app.link().poll_reply()) return early;
  }
  return std::nullopt;
}

void upload(ClientApp& app, const ClientArgs& args) {
  const auto id = data::parse_file_id(args[0]);
  if (!id) return app.out().error("UED: " + id.error());
  const std::string file = data::data_file_name(app.name(), *id);
  std::ifstream in(file, std::ios::binary);
  if (!in)
    return app.out().error(fmt::format("UED: no such local file {} (generate it with EDG {} COUNT)", file, id->str()));
  const auto size = std::filesystem::file_size(file);
  // "-": the SHA-256 follows the data, so the file is read once and hashed
  // as it goes (docs/EDGE_DATA.md#ued-on-the-wire); hashing it first cost
  // a GB upload 0.7 s before its first byte left.
  app.link().send_line(fmt::format("UED {} {} -", id->str(), size));
  Sha256 sha;
  std::uint64_t sent = 0;
  auto early = stream_blocks(app, in, sha, sent);
  // A file that shrank meanwhile gets no digest: the server then answers
  // that the data ended short.
  if (!early && sent == size) {
    const std::string digest = digest_hex(sha.finish());
    app.link().send_bytes(protocol::encode_block_header(digest.size()) + digest);
  }
  app.link().send_bytes(protocol::encode_block_header(0));  // end of data, always
  auto reply = early ? std::move(early) : app.link().next_reply();
  if (!reply) return app.out().error("Connection to the server lost");
  app.out().reply(*reply);
}

}  // namespace

void register_edge_data_commands(ClientCommandTable& table) {
  // EDG's words are counted by data::parse_edg_args, whose errors say which
  // one is missing ("Usage: EDG FILEID COUNT (COUNT is missing)"); the table
  // hands it the whole line. A bare UED gets the table's "Usage: UED FILEID".
  table.add({.name = "EDG",
             .min_args = 0,
             .max_args = 1,
             .rest_of_line = true,
             .usage = "EDG FILEID COUNT",
             .run = generate});
  table.add({.name = "UED", .min_args = 1, .max_args = 1, .usage = "UED FILEID", .run = upload});
}

}  // namespace edgehub::client
