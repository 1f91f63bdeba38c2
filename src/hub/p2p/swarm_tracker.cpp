#include "hub/p2p/swarm_tracker.hpp"

#include <fmt/format.h>

#include "hub/p2p/swarm_tracker_costs.hpp"

namespace edgehub::hub {

using p2p::swarm::ChunkSet;
using protocol::StatusCode;

namespace {

SwarmRefusal memory_full() {
  return {StatusCode::TooLarge, "The swarm tracker is full (--swarm-max-memory); try again later"};
}

}  // namespace

std::optional<SwarmRefusal> SwarmTracker::check_name_room(const DeviceEntry* entry, const std::string& name,
                                                          std::size_t extra_bytes) const {
  const bool new_name = entry == nullptr || !entry->names.contains(name);
  if (new_name && entry != nullptr && entry->names.size() >= limits_.max_files)
    return SwarmRefusal{StatusCode::TooLarge, fmt::format("You already announce {} files, the most a device may "
                                                          "(--swarm-max-files); unshare one first",
                                                          limits_.max_files)};
  if (memory_ + extra_bytes > limits_.max_memory) return memory_full();
  return std::nullopt;
}

SwarmLimits SwarmTracker::limits() const {
  std::lock_guard lock(mutex_);
  return limits_;
}

void SwarmTracker::reconfigure(const SwarmLimits& limits) {
  std::lock_guard lock(mutex_);
  limits_ = limits;
}

std::optional<SwarmRefusal> SwarmTracker::check_share(const SwarmDevice& device, const std::string& name,
                                                      std::uint64_t count) const {
  std::lock_guard lock(mutex_);
  if (count > limits_.max_chunks)
    return SwarmRefusal{StatusCode::TooLarge, fmt::format("The file has {} chunks; the tracker takes at most {} "
                                                          "per file (--swarm-max-chunks)",
                                                          count, limits_.max_chunks)};
  if (count * 32 > limits_.max_manifest_bytes)
    return SwarmRefusal{StatusCode::TooLarge, fmt::format("The manifest has {} bytes of chunk hashes; the tracker "
                                                          "takes at most {} (--swarm-max-manifest-bytes)",
                                                          count * 32, limits_.max_manifest_bytes)};
  const auto it = devices_.find(device.name);
  const DeviceEntry* entry = it == devices_.end() || it->second.owner != device.owner ? nullptr : &it->second;
  const auto chunks = static_cast<std::uint32_t>(count);
  const std::size_t bytes = swarm_cost::root(count * 32) + swarm_cost::holder(device.name, chunks) +
                            swarm_cost::name(name) + swarm_cost::device(device.name, device.ip);
  return check_name_room(entry, name, bytes);
}

SwarmTracker::DeviceEntry* SwarmTracker::current_entry(const SwarmDevice& device) {
  const auto it = devices_.find(device.name);
  if (it == devices_.end()) return nullptr;
  if (it->second.owner == device.owner) return &it->second;
  drop_device(device.name);  // left over from an older login of the name, not yet withdrawn
  return nullptr;
}

SwarmTracker::DeviceEntry& SwarmTracker::device_entry(const SwarmDevice& device) {
  auto it = devices_.find(device.name);
  if (it == devices_.end()) {
    it = devices_.emplace(device.name, DeviceEntry{device.owner, device.ip, device.udp_port, {}, {}}).first;
    memory_ += swarm_cost::device(device.name, device.ip);
  }
  return it->second;
}

void SwarmTracker::bind_name(const std::string& device, DeviceEntry& entry, const std::string& name,
                             const SwarmRoot& root) {
  const auto old = entry.names.find(name);
  if (old != entry.names.end() && old->second == root) return;
  if (old != entry.names.end()) unbind_name(device, entry, name);
  entry.names.emplace(name, root);
  ++entry.root_names[root];
  ++names_[name][root];
  memory_ += swarm_cost::name(name);
}

void SwarmTracker::unbind_name(const std::string& device, DeviceEntry& entry, std::string name) {
  const auto it = entry.names.find(name);
  if (it == entry.names.end()) return;
  const SwarmRoot root = it->second;
  entry.names.erase(it);
  memory_ -= swarm_cost::name(name);
  auto& versions = names_[name];
  if (--versions[root] == 0) versions.erase(root);
  if (versions.empty()) names_.erase(name);
  if (--entry.root_names[root] == 0) {
    entry.root_names.erase(root);
    drop_holder(device, root);
  }
}

void SwarmTracker::drop_holder(const std::string& device, const SwarmRoot& root) {
  const auto it = roots_.find(root);
  if (it == roots_.end()) return;
  auto& holders = it->second.holders;
  if (holders.erase(device) > 0) memory_ -= swarm_cost::holder(device, it->second.manifest->chunk_count());
  if (!holders.empty()) return;
  memory_ -= swarm_cost::root(it->second.manifest->chunks.size() * 32);
  roots_.erase(it);
}

void SwarmTracker::drop_device(const std::string& device) {
  const auto it = devices_.find(device);
  if (it == devices_.end()) return;
  while (!it->second.names.empty()) unbind_name(device, it->second, it->second.names.begin()->first);
  memory_ -= swarm_cost::device(device, it->second.ip);
  devices_.erase(it);
}

std::optional<SwarmRefusal> SwarmTracker::share(const SwarmDevice& device, const std::string& name,
                                                std::shared_ptr<const SwarmManifest> manifest, bool complete) {
  std::lock_guard lock(mutex_);
  const DeviceEntry* entry = current_entry(device);
  const auto root_it = roots_.find(manifest->root);
  const bool holds = root_it != roots_.end() && root_it->second.holders.contains(device.name);
  std::size_t bytes = swarm_cost::name(name);
  if (root_it == roots_.end()) bytes += swarm_cost::root(manifest->chunks.size() * 32);
  if (!holds) bytes += swarm_cost::holder(device.name, manifest->chunk_count());
  if (entry == nullptr) bytes += swarm_cost::device(device.name, device.ip);
  if (auto refusal = check_name_room(entry, name, bytes)) return refusal;

  DeviceEntry& e = device_entry(device);
  auto& root = roots_[manifest->root];
  if (!root.manifest) {
    root.manifest = manifest;
    memory_ += swarm_cost::root(manifest->chunks.size() * 32);
  }
  auto [holder, added] = root.holders.try_emplace(device.name, manifest->chunk_count());
  if (added) memory_ += swarm_cost::holder(device.name, manifest->chunk_count());
  if (complete) holder->second.set_all();
  bind_name(device.name, e, name, manifest->root);
  return std::nullopt;
}

bool SwarmTracker::unshare(const SwarmDevice& device, const std::string& name) {
  std::lock_guard lock(mutex_);
  const auto it = devices_.find(device.name);
  if (it == devices_.end() || it->second.owner != device.owner || !it->second.names.contains(name)) return false;
  unbind_name(device.name, it->second, name);
  if (it->second.names.empty()) drop_device(device.name);
  return true;
}

std::optional<SwarmRefusal> SwarmTracker::add_downloader(const SwarmDevice& device, const std::string& name,
                                                         const SwarmRoot& root) {
  std::lock_guard lock(mutex_);
  const DeviceEntry* entry = current_entry(device);
  const auto root_it = roots_.find(root);
  if (root_it == roots_.end()) return SwarmRefusal{StatusCode::NotFound, fmt::format("{} is not available", name)};
  const bool holds = root_it->second.holders.contains(device.name);
  const std::uint32_t count = root_it->second.manifest->chunk_count();
  std::size_t bytes = swarm_cost::name(name) + (holds ? 0 : swarm_cost::holder(device.name, count));
  if (entry == nullptr) bytes += swarm_cost::device(device.name, device.ip);
  if (auto refusal = check_name_room(entry, name, bytes)) return refusal;

  DeviceEntry& e = device_entry(device);
  auto [holder, added] = root_it->second.holders.try_emplace(device.name, count);
  if (added) memory_ += swarm_cost::holder(device.name, count);
  bind_name(device.name, e, name, root);
  return std::nullopt;
}

std::optional<std::uint32_t> SwarmTracker::have(const SwarmDevice& device, const SwarmRoot& root,
                                                const std::vector<std::uint32_t>& chunks, std::string* held_hex) {
  std::lock_guard lock(mutex_);
  const auto dev = devices_.find(device.name);
  if (dev == devices_.end() || dev->second.owner != device.owner || !dev->second.root_names.contains(root))
    return std::nullopt;
  ChunkSet& set = roots_.at(root).holders.at(device.name);
  for (const auto chunk : chunks) set.set(chunk);
  if (held_hex != nullptr) *held_hex = set.to_hex();
  return set.count();
}

std::string SwarmTracker::held_hex(const std::string& device, const SwarmRoot& root) const {
  std::lock_guard lock(mutex_);
  const auto entry = roots_.find(root);
  if (entry == roots_.end()) return {};
  const auto holder = entry->second.holders.find(device);
  return holder == entry->second.holders.end() ? std::string() : holder->second.to_hex();
}

std::vector<SwarmVersion> SwarmTracker::versions(const std::string& name) const {
  std::lock_guard lock(mutex_);
  std::vector<SwarmVersion> out;
  const auto it = names_.find(name);
  if (it == names_.end()) return out;
  for (const auto& [root, devices] : it->second) {
    const RootEntry& entry = roots_.at(root);
    SwarmVersion& version = out.emplace_back(SwarmVersion{entry.manifest, {}});
    for (const auto& [device, set] : entry.holders) version.holders.push_back({device, set.count()});
  }
  return out;
}

std::vector<SwarmHolder> SwarmTracker::holders_of_chunks(const SwarmRoot& root,
                                                         const std::vector<std::uint32_t>& chunks) const {
  std::lock_guard lock(mutex_);
  std::vector<SwarmHolder> out;
  const auto it = roots_.find(root);
  if (it == roots_.end()) return out;
  for (const auto& [device, set] : it->second.holders) out.push_back({device, set.count_of(chunks)});
  return out;
}

std::shared_ptr<const SwarmManifest> SwarmTracker::manifest(const SwarmRoot& root) const {
  std::lock_guard lock(mutex_);
  const auto it = roots_.find(root);
  return it == roots_.end() ? nullptr : it->second.manifest;
}

std::vector<SwarmShare> SwarmTracker::announcements(const std::string& device) const {
  std::lock_guard lock(mutex_);
  std::vector<SwarmShare> out;
  const auto it = devices_.find(device);
  if (it == devices_.end()) return out;
  for (const auto& [name, root] : it->second.names) {
    const RootEntry& entry = roots_.at(root);
    const auto& held = entry.holders.at(device);
    out.push_back({{}, {}, name, held.complete(), entry.manifest, held.complete() ? std::string() : held.to_hex()});
  }
  return out;
}

SwarmStats SwarmTracker::stats() const {
  std::lock_guard lock(mutex_);
  SwarmStats s{memory_, limits_.max_memory, devices_.size(), names_.size(), roots_.size(), 0, ticket_count_};
  for (const auto& [root, entry] : roots_) s.holders += entry.holders.size();
  return s;
}

}  // namespace edgehub::hub
