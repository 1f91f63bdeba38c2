#include "hub/presence/directory.hpp"

#include <algorithm>
#include <limits>
#include <set>
#include <utility>

namespace edgehub::hub {

bool Directory::add(OnlineDevice device) {
  std::lock_guard lock(mutex_);
  if (const auto it = online_.find(device.name); it != online_.end()) {
    if (it->second.node().empty()) return false;
    // Another node's login the database has since given up (its logout
    // event not here yet): this login replaces it.
    end_record(*it, device.since);
    online_.erase(it);
  }
  insert(std::move(device));
  return true;
}

void Directory::insert(OnlineDevice device) {
  const std::uint64_t seq = next_seq_++;
  const bool subscribes = device.wants_presence && device.peer;
  std::string name = std::move(device.name);
  const auto [it, inserted] = online_.emplace(std::move(name), make_online(std::move(device), seq));
  if (inserted && subscribes) {
    it->second.subscriber = static_cast<std::uint32_t>(subscribers_.size());
    subscribers_.push_back(&*it);
  }
  trim_history();
}

Directory::Online Directory::make_online(OnlineDevice&& device, std::uint64_t seq) {
  Online entry{std::move(device.peer),    device.since, seq, device.udp_port, kNotSubscribed,
               std::move(device.udp_key), nullptr};
  if (!entry.peer || !device.node.empty() || entry.peer->remote_ip() != device.ip)
    entry.where = std::make_unique<Elsewhere>(Elsewhere{std::move(device.ip), std::move(device.node)});
  return entry;
}

const std::string& Directory::Online::node() const {
  static const std::string here;
  return where ? where->node : here;
}

// Swaps the last subscriber into the leaving one's place.
void Directory::unsubscribe(Online& entry) {
  const std::uint32_t index = std::exchange(entry.subscriber, kNotSubscribed);
  if (index == kNotSubscribed) return;
  auto* last = subscribers_.back();
  subscribers_[index] = last;
  last->second.subscriber = index;  // (itself, when it was the last)
  subscribers_.pop_back();
}

OnlineDevice Directory::device_of(const std::string& name, const Online& entry) {
  return OnlineDevice{name,
                      entry.ip(),
                      entry.udp_port,
                      entry.since,
                      entry.seq,
                      entry.peer,
                      entry.subscriber != kNotSubscribed,
                      entry.udp_key,
                      entry.node()};
}

PresenceRecord Directory::record_of(const Past& past) {
  return PresenceRecord{past.name, past.ip, past.login, past.logout};
}

PresenceRecord Directory::record_of(const OnlineEntry& online) {
  return PresenceRecord{online.first, online.second.ip(), online.second.since, std::nullopt};
}

// The caller erases the entry next.
void Directory::end_record(const OnlineEntry& online, SystemTime at) {
  history_.emplace_hint(history_.end(), online.second.seq,
                        Past{online.first, online.second.ip(), online.second.since, at});
}

bool Directory::remove(const std::string& name, const Peer* peer, SystemTime at) {
  std::lock_guard lock(mutex_);
  const auto it = online_.find(name);
  if (it == online_.end() || it->second.peer.get() != peer) return false;
  end_record(*it, at);
  unsubscribe(it->second);
  online_.erase(it);
  return true;
}

std::vector<std::shared_ptr<Peer>> Directory::take_local_peers() {
  std::vector<std::shared_ptr<Peer>> peers;
  std::lock_guard lock(mutex_);
  for (auto it = online_.begin(); it != online_.end();) {
    if (!it->second.peer) {
      ++it;
      continue;
    }
    peers.push_back(std::move(it->second.peer));
    it = online_.erase(it);
  }
  subscribers_.clear();  // every subscriber is a device of this node
  return peers;
}

bool Directory::add_remote(OnlineDevice device) {
  std::lock_guard lock(mutex_);
  return insert_remote(std::move(device));
}

bool Directory::insert_remote(OnlineDevice device) {
  device.peer = nullptr;
  device.wants_presence = false;
  const auto it = online_.find(device.name);
  if (it != online_.end()) {
    Online& old = it->second;
    if (old.node().empty()) return false;
    // The same login (a snapshot after events; the two clocks differ by a
    // little): kept, with the newer details.
    if (old.node() == device.node) {
      old.where->ip = device.ip;  // (a device elsewhere always has one)
      old.udp_port = device.udp_port;
      return false;
    }
    end_record(*it, device.since);
    online_.erase(it);
  }
  insert(std::move(device));
  return true;
}

bool Directory::remove_remote(const std::string& name, const std::string& node, SystemTime at) {
  std::lock_guard lock(mutex_);
  const auto it = online_.find(name);
  if (it == online_.end() || node.empty() || it->second.node() != node) return false;
  end_record(*it, at);
  online_.erase(it);
  return true;
}

std::vector<std::string> Directory::remove_node(const std::string& node, SystemTime at) {
  if (node.empty()) return {};
  std::lock_guard lock(mutex_);
  return erase_remote([&](const std::string&, const Online& entry) { return entry.node() == node; }, at);
}

Directory::RemoteChange Directory::replace_remote(const std::vector<OnlineDevice>& devices, SystemTime at) {
  std::unordered_set<std::string> listed;
  for (const auto& d : devices) listed.insert(d.name);
  RemoteChange change;
  std::lock_guard lock(mutex_);
  change.left = erase_remote([&](const std::string& name, const Online&) { return listed.count(name) == 0; }, at);
  for (const auto& d : devices)
    if (insert_remote(d)) change.arrived.push_back(d.name);
  return change;
}

std::vector<std::string> Directory::erase_remote(
    const std::function<bool(const std::string& name, const Online&)>& leaves, SystemTime at) {
  std::vector<std::string> names;
  for (auto it = online_.begin(); it != online_.end();) {
    if (it->second.node().empty() || !leaves(it->first, it->second)) {
      ++it;
      continue;
    }
    end_record(*it, at);
    names.push_back(it->first);
    it = online_.erase(it);
  }
  return names;
}

std::size_t Directory::count_remote(const std::function<bool(const std::string& name)>& counts) const {
  std::lock_guard lock(mutex_);
  return static_cast<std::size_t>(std::count_if(online_.begin(), online_.end(), [&](const auto& entry) {
    return !entry.second.node().empty() && counts(entry.first);
  }));
}

bool Directory::set_udp_port(const std::string& name, const Peer* peer, int port) {
  std::lock_guard lock(mutex_);
  const auto it = online_.find(name);
  if (it == online_.end() || it->second.peer.get() != peer || it->second.udp_port > 0) return false;
  it->second.udp_port = port;
  return true;
}

bool Directory::set_udp_key(const std::string& name, const Peer* peer, SharedText key) {
  std::lock_guard lock(mutex_);
  const auto it = online_.find(name);
  if (it == online_.end() || it->second.peer.get() != peer) return false;
  it->second.udp_key = std::move(key);
  return true;
}

bool Directory::set_remote_udp_key(const std::string& name, const std::string& node, const std::string& key) {
  std::lock_guard lock(mutex_);
  const auto it = online_.find(name);
  if (it == online_.end() || it->second.peer || it->second.node() != node) return false;
  it->second.udp_key = key;
  return true;
}

std::shared_ptr<Peer> Directory::find_peer(const std::string& name) const {
  std::lock_guard lock(mutex_);
  const auto it = online_.find(name);
  return it == online_.end() ? nullptr : it->second.peer;
}

std::optional<OnlineDevice> Directory::find(const std::string& name) const {
  std::lock_guard lock(mutex_);
  const auto it = online_.find(name);
  if (it == online_.end()) return std::nullopt;
  return device_of(it->first, it->second);
}

template <class Out, class Make>
Out Directory::in_login_order(Make make) const {
  Out out;
  {
    std::lock_guard lock(mutex_);
    out.reserve(online_.size());
    for (const auto& [name, entry] : online_) out.push_back(make(name, entry));
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.seq < b.seq; });
  return out;
}

std::vector<OnlineDevice> Directory::online() const {
  return in_login_order<std::vector<OnlineDevice>>(&Directory::device_of);
}

LoggedDevices Directory::logged() const {
  return in_login_order<LoggedDevices>([](const std::string& name, const Online& e) {
    return LoggedDevice{name, e.ip(), e.since, e.seq, e.udp_port};
  });
}

std::vector<NamedPeer> Directory::online_peers() const {
  std::vector<NamedPeer> out;
  std::lock_guard lock(mutex_);
  out.reserve(online_.size());
  for (const auto& [name, device] : online_)
    if (device.peer) out.push_back({name, device.peer});
  return out;
}

std::vector<NamedPeer> Directory::presence_subscribers() const {
  std::vector<NamedPeer> out;
  std::lock_guard lock(mutex_);
  out.reserve(subscribers_.size());
  for (const auto* entry : subscribers_) out.push_back({entry->first, entry->second.peer});
  return out;
}

std::vector<std::string> Directory::names_since(SystemTime since) const {
  std::set<std::string> names;
  std::lock_guard lock(mutex_);
  for (const auto& [name, device] : online_) names.insert(name);
  for (const auto& [seq, record] : history_)
    if (record.logout >= since) names.insert(record.name);
  return {names.begin(), names.end()};
}

std::vector<const Directory::OnlineEntry*> Directory::online_in_order(const std::unordered_set<std::string>& hidden,
                                                                      std::size_t latest) const {
  std::vector<const OnlineEntry*> out;
  out.reserve(online_.size());
  for (const auto& entry : online_)
    if (hidden.count(entry.first) == 0) out.push_back(&entry);
  const auto later = [](const OnlineEntry* a, const OnlineEntry* b) { return a->second.seq > b->second.seq; };
  // The latest first, so that a short tail of many devices costs O(devices), not a full sort.
  const auto keep = std::min(latest, out.size());
  std::partial_sort(out.begin(), out.begin() + static_cast<std::ptrdiff_t>(keep), out.end(), later);
  out.resize(keep);
  std::reverse(out.begin(), out.end());
  return out;
}

std::vector<PresenceRecord> Directory::history() const {
  return history_tail(std::numeric_limits<std::size_t>::max()).first;
}

// The two tables merged from the latest back, the n latest kept.
std::pair<std::vector<PresenceRecord>, std::size_t> Directory::history_tail(
    std::size_t n, const std::unordered_set<std::string>& hidden) const {
  std::lock_guard lock(mutex_);
  const auto still_online = online_in_order(hidden, n);
  std::size_t shown = history_.size() + online_.size();
  if (!hidden.empty())
    shown = static_cast<std::size_t>(std::count_if(history_.begin(), history_.end(),
                                                   [&](const auto& e) { return hidden.count(e.second.name) == 0; })) +
            static_cast<std::size_t>(std::count_if(online_.begin(), online_.end(),
                                                   [&](const auto& e) { return hidden.count(e.first) == 0; }));
  std::vector<PresenceRecord> out;
  out.reserve(std::min(n, shown));
  auto ended = history_.rbegin();
  auto still = still_online.rbegin();
  while (out.size() < n) {
    while (ended != history_.rend() && hidden.count(ended->second.name) != 0) ++ended;
    const bool has_ended = ended != history_.rend();
    if (!has_ended && still == still_online.rend()) break;
    if (has_ended && (still == still_online.rend() || ended->first > (*still)->second.seq))
      out.push_back(record_of((ended++)->second));
    else
      out.push_back(record_of(**still++));
  }
  std::reverse(out.begin(), out.end());
  return {std::move(out), shown};
}

std::size_t Directory::online_count() const {
  std::lock_guard lock(mutex_);
  return online_.size();
}

void Directory::trim_history() {
  // Forget the oldest ended sessions first; open ones always stay.
  while (!history_.empty() && history_.size() + online_.size() > max_history_) history_.erase(history_.begin());
}

}  // namespace edgehub::hub
