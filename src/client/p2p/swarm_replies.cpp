#include "client/p2p/swarm_replies.hpp"

#include <fmt/format.h>
#include <boost/asio/ip/address.hpp>

#include "client/shell/progress_bar.hpp"
#include "common/strings.hpp"

namespace edgehub::client::swarm {
namespace {

std::optional<std::uint32_t> parse_u32(std::string_view s) {
  const auto v = parse_uint64(s);
  if (!v || *v > UINT32_MAX) return std::nullopt;
  return static_cast<std::uint32_t>(*v);
}

bool is_root(std::string_view s) { return s.size() == 64 && is_lower_hex(s); }

std::optional<VersionLine::Holder> parse_holder(std::string_view item) {
  const auto colon = item.rfind(':');
  if (colon == std::string_view::npos || colon == 0) return std::nullopt;
  const auto have = parse_u32(item.substr(colon + 1));
  if (!have) return std::nullopt;
  return VersionLine::Holder{std::string(item.substr(0, colon)), *have};
}

}  // namespace

std::optional<VersionLine> parse_version_line(std::string_view line) {
  const auto words = split_words(line, 5);
  if (words.size() != 5 || !is_root(words[0])) return std::nullopt;
  VersionLine v;
  v.root = std::string(words[0]);
  const auto size = parse_uint64(words[1]);
  const auto chunk_size = parse_u32(words[2]);
  const auto count = parse_u32(words[3]);
  if (!size || !chunk_size || !count) return std::nullopt;
  v.size = *size;
  v.chunk_size = *chunk_size;
  v.chunk_count = *count;
  std::string_view rest = words[4];
  while (!rest.empty()) {
    const auto comma = rest.find(',');
    const auto holder = parse_holder(rest.substr(0, comma));
    if (!holder) return std::nullopt;
    v.holders.push_back(*holder);
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
  }
  return v;
}

std::string format_version(std::string_view name, const VersionLine& v, std::uint32_t asked) {
  const std::uint32_t whole = asked > 0 ? asked : v.chunk_count;
  std::string holders;
  for (const auto& h : v.holders) {
    if (!holders.empty()) holders += ", ";
    holders += h.have >= whole ? fmt::format("{} all", h.user) : fmt::format("{} {}/{}", h.user, h.have, whole);
  }
  const std::size_t n = v.holders.size();
  return fmt::format("{} {}: {} in {} chunk{} of {}, {} holder{}: {}", name, v.root.substr(0, 12), format_bytes(v.size),
                     v.chunk_count, v.chunk_count == 1 ? "" : "s", format_bytes(v.chunk_size), n, n == 1 ? "" : "s",
                     holders);
}

std::optional<SwarmGetHeader> parse_swarmget(std::string_view text) {
  const auto words = split_words(text, 5);
  if (words.size() != 4 || !is_root(words[0])) return std::nullopt;
  const auto size = parse_uint64(words[1]);
  const auto chunk_size = parse_u32(words[2]);
  const auto count = parse_u32(words[3]);
  if (!size || !chunk_size || !count) return std::nullopt;
  return SwarmGetHeader{std::string(words[0]), *size, *chunk_size, *count};
}

std::optional<PeerLine> parse_peer_line(std::string_view line) {
  const auto words = split_words(line, 7);
  const auto key = words.size() == 6 ? p2p::crypto::decode_peer_key(words[4]) : std::nullopt;
  if (!key || words[3].empty()) return std::nullopt;
  boost::system::error_code ec;
  const auto ip = boost::asio::ip::make_address(std::string(words[1]), ec);
  const auto port = parse_uint64(words[2]);
  if (ec || !port || *port == 0 || *port > 65535) return std::nullopt;
  PeerLine p;
  p.user = std::string(words[0]);
  p.address = boost::asio::ip::udp::endpoint(ip, static_cast<std::uint16_t>(*port));
  p.ticket = std::string(words[3]);
  p.key = *key;
  if (words[5] == "all") {
    p.all = true;
  } else if (words[5].size() > 1 && words[5][0] == 'x' && is_lower_hex(words[5].substr(1))) {
    p.bitmap_hex = std::string(words[5].substr(1));
  } else {
    return std::nullopt;
  }
  return p;
}

std::optional<TicketEvent> parse_ticket_event(std::string_view text) {
  const auto words = split_words(text, 5);
  const auto key = words.size() == 4 ? p2p::crypto::decode_peer_key(words[3]) : std::nullopt;
  if (!key || words[1].empty() || !is_root(words[2])) return std::nullopt;
  return TicketEvent{std::string(words[0]), std::string(words[1]), std::string(words[2]), *key};
}

std::optional<NameChoice> parse_name_choice(std::string_view text, std::string* error) {
  const auto at = text.rfind('@');
  if (at == std::string_view::npos) return NameChoice{std::string(text), {}};
  const auto prefix = text.substr(at + 1);
  if (prefix.size() < 4 || prefix.size() > 64 || !is_lower_hex(prefix)) {
    *error = fmt::format("'{}' is not a root prefix (4 to 64 lower-case hex digits)", prefix);
    return std::nullopt;
  }
  return NameChoice{std::string(text.substr(0, at)), std::string(prefix)};
}

}  // namespace edgehub::client::swarm
