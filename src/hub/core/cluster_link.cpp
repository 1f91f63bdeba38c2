#include "hub/core/cluster_link.hpp"

#include <spdlog/spdlog.h>

#include <chrono>

#include "common/strings.hpp"
#include "common/time_format.hpp"
#include "hub/core/hub.hpp"
#include "hub/messaging/messaging_service.hpp"
#include "hub/p2p/swarm_tracker.hpp"
#include "protocol/reply.hpp"

namespace edgehub::hub {
namespace {

using Kind = ClusterEvent::Kind;

OnlineDevice remote_device(const RemoteDevice& d) {
  OnlineDevice device;
  device.name = d.account;
  device.ip = d.ip;
  device.udp_port = d.udp_port;
  device.since = from_unix_ms(d.since_ms);
  device.node = d.node;
  device.udp_key = d.udp_key;
  return device;
}

}  // namespace

void ClusterLink::on_event(const ClusterEvent& event) {
  switch (event.kind) {
    case Kind::login:
      return remote_login(event);
    case Kind::logout:
      return remote_logout(event);
    case Kind::kick:
      return hub_.messaging().deliver_stored(event.name);
    case Kind::broadcast:
      hub_.messaging().broadcast_here(event.name, event.text, event.time);
      return;
    case Kind::block:
      return remote_block(event);
    case Kind::failed_login:
      // Counted here too: the lockout holds for the name on every node
      // (docs/CLUSTER.md#lockout-and-blocks-across-nodes).
      hub_.lockout().record_failure(event.name, Lockout::Clock::now());
      return;
    case Kind::udp_key:
      hub_.directory().set_remote_udp_key(event.name, event.node, event.key);
      return;
    case Kind::relay:
      return hub_.messaging().relayed(event.name, event.other, event.text);
    case Kind::swarm_share:  // comes to on_swarm_share, with its manifest
      return;
    case Kind::swarm_unshare:
      return swarm_.unshare(event.node, event.name, event.text);
    case Kind::swarm_have:
      return swarm_.have(event.node, event.name, event.other, event.text);
    case Kind::live_message:  // comes to on_live_message, which the listener answers
      return;
    case Kind::live_answer:
      if (event.name == hub_.cluster().node_id()) hub_.messaging().live_answered(event.id, event.on);
      return;
  }
}

std::shared_ptr<const p2p::swarm::Manifest> ClusterLink::known_manifest(const std::string& root_hex) const {
  SwarmRoot root{};
  if (!from_hex(root_hex, root.data(), root.size())) return nullptr;
  return hub_.swarm().manifest(root);
}

// Another node's device sent a message to one of ours: queue it; the
// listener tells that node whether it did (docs/CLUSTER.md#messages-across-nodes).
bool ClusterLink::on_live_message(const ClusterEvent& message) {
  return hub_.messaging().deliver_live(message.name, message.other, message.text, message.time);
}

void ClusterLink::remote_login(const ClusterEvent& event) {
  // A successful login ends the failures counted for the name, as here.
  hub_.lockout().record_success(event.name);
  if (hub_.directory().add_remote(
          remote_device({event.node, event.name, event.ip, event.udp_port, event.time, event.key})))
    changed({event.name}, {});
}

void ClusterLink::remote_logout(const ClusterEvent& event) {
  swarm_.left(event.node, event.name);
  if (hub_.directory().remove_remote(event.name, event.node, from_unix_ms(event.time))) changed({}, {event.name});
}

void ClusterLink::remote_block(const ClusterEvent& event) {
  auto& blocks = hub_.messaging().blocks();
  if (event.on)
    blocks.add(event.name, event.other);
  else
    blocks.remove(event.name, event.other);
}

void ClusterLink::on_snapshot(const std::vector<RemoteDevice>& devices) {
  std::vector<OnlineDevice> online;
  online.reserve(devices.size());
  for (const auto& d : devices) online.push_back(remote_device(d));
  const auto change = hub_.directory().replace_remote(online, std::chrono::system_clock::now());
  spdlog::info("cluster: {} device(s) online on the other nodes", devices.size());
  changed(change.arrived, change.left);
}

std::uint64_t ClusterLink::blocks_version() const { return hub_.messaging().blocks().version(); }

bool ClusterLink::on_blocks_snapshot(const std::vector<std::pair<std::string, std::string>>& blocks,
                                     std::uint64_t version) {
  if (!hub_.messaging().blocks().load_if_unchanged(blocks, version)) return false;
  spdlog::info("cluster: {} block(s) read again from the database", blocks.size());
  return true;
}

void ClusterLink::on_node_gone(const std::string& node_id) {
  swarm_.node_gone(node_id);
  hub_.messaging().live_node_gone(node_id);
  const auto left = hub_.directory().remove_node(node_id, std::chrono::system_clock::now());
  if (!left.empty()) spdlog::info("cluster: {} device(s) of node {} are gone with it", left.size(), node_id);
  changed({}, left);
}

// Each device online here claims its account again (guests claim nothing:
// they have no account). The others removed it with this node's row, so a
// device that wins is announced to them again.
void ClusterLink::on_rejoined() {
  for (const auto& device : hub_.directory().online()) {
    if (!device.peer || !hub_.accounts()->exists(device.name)) continue;
    hub_.cluster().claim({device.name, device.ip, device.udp_port, device.udp_key},
                         [this, device](std::exception_ptr error, bool won) { reclaimed(device, error, won); });
  }
}

void ClusterLink::reclaimed(const OnlineDevice& device, const std::exception_ptr& error, bool won) {
  if (error) {
    spdlog::warn("cluster: could not claim {}'s login again; it holds no row until it logs in again", device.name);
    return;
  }
  if (won) {
    hub_.cluster().publish({.kind = Kind::login,
                            .name = device.name,
                            .ip = device.ip,
                            .udp_port = device.udp_port,
                            .time = to_unix_ms(device.since),
                            .key = device.udp_key});
    // Its swarm announcements went with its row too.
    for (auto& share : hub_.swarm().announcements(device.name)) {
      share.account = device.name;
      hub_.cluster().announce_swarm(std::move(share));
    }
    return;
  }
  // Another node admitted the account while this node was away: that
  // login stands (the database decided), this one ends.
  spdlog::warn("cluster: {} logged in on another node while this node was away; logging it out here", device.name);
  device.peer->send(make_bytes(protocol::encode_event("BYE", "You logged in on another node of this cluster")));
  device.peer->close_after_flush();
}

void ClusterLink::changed(const std::vector<std::string>& arrived, const std::vector<std::string>& left) {
  if (arrived.empty() && left.empty()) return;
  hub_.device_log_changed();
  for (const auto& name : arrived) hub_.announce(name, "LOGIN");
  for (const auto& name : left) {
    hub_.messaging().remote_left(name);  // before LOGOUT, as a logout here does
    hub_.announce(name, "LOGOUT");
  }
}

}  // namespace edgehub::hub
