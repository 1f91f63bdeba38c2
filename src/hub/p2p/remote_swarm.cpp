#include "hub/p2p/remote_swarm.hpp"

#include <spdlog/spdlog.h>

#include "common/strings.hpp"
#include "hub/core/hub.hpp"
#include "p2p/swarm/chunk_ranges.hpp"

namespace edgehub::hub {

const void* RemoteSwarm::owner_of(const std::string& node) { return &*nodes_.insert(node).first; }

void RemoteSwarm::share(const SwarmShare& share) {
  std::lock_guard lock(mutex_);
  share_locked(share);
}

void RemoteSwarm::share_locked(const SwarmShare& share) {
  // The device's address and UDP port come with its login event, which its
  // node sent before this announcement.
  const auto device = hub_.directory().find(share.account);
  if (!device || device->node != share.node) {
    spdlog::debug("cluster: swarm announcement of {} by {}, who is not online on node {}; ignored", share.file,
                  share.account, share.node);
    return;
  }
  const SwarmDevice who{share.account, owner_of(share.node), device->ip, device->udp_port};
  if (auto refusal = hub_.swarm().share(who, share.file, share.manifest, share.complete)) {
    // This node's --swarm-max-memory also bounds what it keeps of the others.
    spdlog::warn("cluster: {}'s announcement of {} (node {}) is not kept here: {}", share.account, share.file,
                 share.node, refusal->text);
    return;
  }
  announcers_[share.account] = share.node;
  if (share.held_hex.empty()) return;
  // A downloader's progress, as its node recorded it.
  if (const auto held = p2p::swarm::ChunkSet::from_hex(share.held_hex, share.manifest->chunk_count()))
    hub_.swarm().have(who, share.manifest->root, held->chunks());
}

void RemoteSwarm::unshare(const std::string& node, const std::string& account, const std::string& file) {
  std::lock_guard lock(mutex_);
  hub_.swarm().unshare({account, owner_of(node), {}, 0}, file);
}

void RemoteSwarm::have(const std::string& node, const std::string& account, const std::string& root_hex,
                       const std::string& chunks) {
  SwarmRoot root{};
  if (!from_hex(root_hex, root.data(), root.size())) return;
  const auto manifest = hub_.swarm().manifest(root);
  if (!manifest) return;  // not kept here (refused, or withdrawn meanwhile)
  const auto list = p2p::swarm::parse_chunk_list(chunks, manifest->chunk_count(), nullptr);
  if (!list) return;
  std::lock_guard lock(mutex_);
  hub_.swarm().have({account, owner_of(node), {}, 0}, root, *list);
}

void RemoteSwarm::left(const std::string& node, const std::string& account) {
  std::lock_guard lock(mutex_);
  withdraw_locked(account, node);
}

void RemoteSwarm::withdraw_locked(const std::string& account, const std::string& node) {
  // Tickets are made on the asker's node: a device of another node holds
  // none here, so nobody is to be told.
  hub_.swarm().withdraw(account, owner_of(node));
  const auto it = announcers_.find(account);
  if (it != announcers_.end() && it->second == node) announcers_.erase(it);
}

void RemoteSwarm::node_gone(const std::string& node) {
  std::lock_guard lock(mutex_);
  std::vector<std::string> gone;
  for (const auto& [account, at] : announcers_)
    if (at == node) gone.push_back(account);
  for (const auto& account : gone) withdraw_locked(account, node);
}

void RemoteSwarm::replace(const std::vector<SwarmShare>& shares) {
  std::lock_guard lock(mutex_);
  const auto before = announcers_;
  for (const auto& [account, node] : before) withdraw_locked(account, node);
  for (const auto& share : shares) share_locked(share);
  spdlog::info("cluster: {} swarm announcement(s) of the other nodes' devices", shares.size());
}

}  // namespace edgehub::hub
