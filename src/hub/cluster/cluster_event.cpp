#include "hub/cluster/cluster_event.hpp"

#include <vector>

#include "common/strings.hpp"

namespace edgehub::hub {
namespace {

using Kind = ClusterEvent::Kind;

// Fields after the kind and the node, the name included, per kind; a
// broadcast's, relay's or live message's last field is the rest of the payload.
std::size_t field_count(Kind kind) {
  switch (kind) {
    case Kind::login:
      return 5;
    case Kind::relay:
      return 3;
    case Kind::logout:
      return 2;
    case Kind::udp_key:
      return 2;
    case Kind::kick:
    case Kind::failed_login:
      return 1;
    case Kind::broadcast:
      return 3;
    case Kind::block:
      return 3;
    case Kind::swarm_share:
      return 4;
    case Kind::swarm_unshare:
      return 2;
    case Kind::swarm_have:
      return 3;
    case Kind::live_message:
      return 6;
    case Kind::live_answer:
      return 3;
  }
  return 0;
}

std::optional<Kind> kind_of(std::string_view text) {
  if (text.size() != 1) return std::nullopt;
  for (Kind k :
       {Kind::login, Kind::logout, Kind::kick, Kind::broadcast, Kind::block, Kind::failed_login, Kind::udp_key,
        Kind::relay, Kind::swarm_share, Kind::swarm_unshare, Kind::swarm_have, Kind::live_message, Kind::live_answer})
    if (static_cast<char>(k) == text[0]) return k;
  return std::nullopt;
}

// Splits into at most `limit` fields; the last one keeps its tabs.
std::vector<std::string_view> split_tabs(std::string_view text, std::size_t limit) {
  std::vector<std::string_view> out;
  while (out.size() + 1 < limit) {
    const auto tab = text.find('\t');
    if (tab == std::string_view::npos) break;
    out.push_back(text.substr(0, tab));
    text.remove_prefix(tab + 1);
  }
  out.push_back(text);
  return out;
}

bool fill(ClusterEvent& e, const std::vector<std::string_view>& f) {
  e.name = std::string(f[2]);
  if (e.name.empty()) return false;
  switch (e.kind) {
    case Kind::login: {
      const auto port = parse_uint64(f[4]);
      const auto since = parse_int64(f[5]);
      if (!port || *port > 65535 || !since || f[3].empty()) return false;
      e.ip = std::string(f[3]);
      e.udp_port = static_cast<int>(*port);
      e.time = *since;
      e.key = std::string(f[6]);
      return true;
    }
    case Kind::udp_key:
      e.key = std::string(f[3]);
      return !e.key.empty();
    case Kind::relay:
      e.other = std::string(f[3]);
      e.text = std::string(f[4]);
      return !e.other.empty();
    case Kind::logout: {
      const auto at = parse_int64(f[3]);
      if (!at) return false;
      e.time = *at;
      return true;
    }
    case Kind::broadcast: {
      const auto sent = parse_int64(f[3]);
      if (!sent) return false;
      e.time = *sent;
      e.text = std::string(f[4]);
      return true;
    }
    case Kind::block:
      if (f[3].empty() || (f[4] != "1" && f[4] != "0")) return false;
      e.other = std::string(f[3]);
      e.on = f[4] == "1";
      return true;
    case Kind::swarm_share:
      if (f[3].size() != 64 || (f[4] != "1" && f[4] != "0") || f[5].empty()) return false;
      e.other = std::string(f[3]);
      e.on = f[4] == "1";
      e.text = std::string(f[5]);
      return true;
    case Kind::swarm_unshare:
      e.text = std::string(f[3]);
      return !e.text.empty();
    case Kind::swarm_have:
      if (f[3].size() != 64 || f[4].empty()) return false;
      e.other = std::string(f[3]);
      e.text = std::string(f[4]);
      return true;
    case Kind::live_message: {
      const auto id = parse_int64(f[4]);
      const auto sent = parse_int64(f[5]);
      if (f[3].empty() || !id || !sent || f[6].empty()) return false;
      e.target = std::string(f[3]);
      e.id = *id;
      e.time = *sent;
      e.other = std::string(f[6]);
      e.text = std::string(f[7]);
      return true;
    }
    case Kind::live_answer: {
      const auto id = parse_int64(f[3]);
      if (!id || (f[4] != "1" && f[4] != "0")) return false;
      e.id = *id;
      e.on = f[4] == "1";
      return true;
    }
    case Kind::kick:
    case Kind::failed_login:
      return true;
  }
  return false;
}

}  // namespace

std::string encode_cluster_event(const ClusterEvent& e) {
  std::string out{static_cast<char>(e.kind)};
  auto add = [&out](std::string_view field) {
    out += '\t';
    out += field;
  };
  add(e.node);
  add(e.name);
  switch (e.kind) {
    case Kind::login:
      add(e.ip);
      add(std::to_string(e.udp_port));
      add(std::to_string(e.time));
      add(e.key);
      break;
    case Kind::udp_key:
      add(e.key);
      break;
    case Kind::relay:
      add(e.other);
      add(e.text);
      break;
    case Kind::logout:
      add(std::to_string(e.time));
      break;
    case Kind::broadcast:
      add(std::to_string(e.time));
      add(e.text);
      break;
    case Kind::block:
      add(e.other);
      add(e.on ? "1" : "0");
      break;
    case Kind::swarm_share:
      add(e.other);
      add(e.on ? "1" : "0");
      add(e.text);
      break;
    case Kind::swarm_unshare:
      add(e.text);
      break;
    case Kind::swarm_have:
      add(e.other);
      add(e.text);
      break;
    case Kind::live_message:
      add(e.target);
      add(std::to_string(e.id));
      add(std::to_string(e.time));
      add(e.other);
      add(e.text);
      break;
    case Kind::live_answer:
      add(std::to_string(e.id));
      add(e.on ? "1" : "0");
      break;
    case Kind::kick:
    case Kind::failed_login:
      break;
  }
  return out;
}

std::optional<ClusterEvent> decode_cluster_event(std::string_view payload) {
  const auto kind = kind_of(payload.substr(0, payload.find('\t')));
  if (!kind) return std::nullopt;
  const std::size_t fields = 2 + field_count(*kind);  // the kind and the node first
  const auto f = split_tabs(payload, fields);
  if (f.size() != fields || f[1].empty()) return std::nullopt;
  // Only a text (broadcast, relay, live message) may hold tabs: elsewhere the last field may not.
  const bool text_last = *kind == Kind::broadcast || *kind == Kind::relay || *kind == Kind::live_message;
  if (!text_last && f.back().find('\t') != std::string_view::npos) return std::nullopt;
  ClusterEvent e;
  e.kind = *kind;
  e.node = std::string(f[1]);
  if (!fill(e, f)) return std::nullopt;
  return e;
}

}  // namespace edgehub::hub
