#include "client/core/command_registry.hpp"

#include <fmt/format.h>
#include <boost/asio/ip/address.hpp>

#include <filesystem>

#include "client/core/client_app.hpp"
#include "client/p2p/uvf_agent.hpp"
#include "common/strings.hpp"

namespace edgehub::client {
namespace {

namespace fs = std::filesystem;
using Kind = protocol::ServerMessage::Kind;

struct Grant {
  boost::asio::ip::udp::endpoint to;
  std::string ticket;
  p2p::crypto::PeerKey key;
};

// "IP UDPPORT TICKET KEY" from the server's reply to "uvf USER SIZE FILE";
// KEY is the receiver's public key and cipher offer (docs/UDP.md#14-end-to-end-encryption).
std::optional<Grant> parse_grant(std::string_view text) {
  const auto words = split_words(text, 5);
  if (words.size() != 4) return std::nullopt;
  boost::system::error_code ec;
  const auto address = boost::asio::ip::make_address(std::string(words[0]), ec);
  const auto port = parse_uint64(words[1]);
  const auto key = p2p::crypto::decode_peer_key(words[3]);
  if (ec || !port || *port == 0 || *port > 65535 || !key) return std::nullopt;
  return Grant{boost::asio::ip::udp::endpoint(address, static_cast<std::uint16_t>(*port)), std::string(words[2]), *key};
}

// UVF USER FILE; FILE may contain spaces.
void uvf(ClientApp& app, const ClientArgs& args) {
  const std::string user(args[0]);
  const fs::path path{std::string(args[1])};
  std::error_code ec;
  if (!fs::exists(path, ec)) return app.out().error(fmt::format("{}: no such file", path.string()));
  if (!fs::is_regular_file(path, ec)) return app.out().error(fmt::format("{}: not a regular file", path.string()));
  const auto size = fs::file_size(path, ec);
  if (ec) return app.out().error(fmt::format("{}: {}", path.string(), ec.message()));
  const std::string name = path.filename().string();
  const auto reply = app.link().request(fmt::format("uvf {} {} {}", user, size, name));
  if (reply.kind == Kind::Err) return app.out().reply(reply);  // e.g. "bob is offline"
  const auto grant = parse_grant(reply.text);
  if (!grant) return app.out().error(fmt::format("UVF: unexpected answer from the server: {}", reply.text));
  app.out().info("uvf_sending", fmt::format("Sending {} to {} in the background", name, user));
  app.uvf().send(UvfSend{user, grant->to, path, name, grant->ticket, size, grant->key});
}

}  // namespace

void register_uvf_commands(ClientCommandTable& table) {
  table.add({.name = "UVF", .min_args = 2, .max_args = 2, .rest_of_line = true, .usage = "UVF USER FILE", .run = uvf});
}

}  // namespace edgehub::client
