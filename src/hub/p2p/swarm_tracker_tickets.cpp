// The tracker's tickets and withdrawals (docs/SWARM.md#tickets): a ticket
// lets one downloader fetch one root from one holder; it lives while both
// stay online.
#include <sodium.h>

#include <algorithm>
#include <random>

#include <fmt/format.h>

#include "common/strings.hpp"
#include "hub/p2p/p2p_ticket.hpp"
#include "hub/p2p/swarm_tracker.hpp"
#include "hub/p2p/swarm_tracker_costs.hpp"

namespace edgehub::hub {

using protocol::StatusCode;

namespace {

std::string have_text(const p2p::swarm::ChunkSet& set) { return set.complete() ? "all" : "x" + set.to_hex(); }

}  // namespace

const std::string& SwarmTracker::ticket_for(const SwarmDevice& asker, const std::string& holder, const SwarmRoot& root,
                                            bool& is_new) {
  AskerTickets& mine = tickets_[asker.name];
  auto [it, added] = mine.tickets.try_emplace(TicketKey{holder, root});
  is_new = added;
  if (added) {
    it->second = new_p2p_ticket();
    ticket_askers_[holder].insert(asker.name);
    memory_ += swarm_cost::ticket(holder);
    ++ticket_count_;
  }
  return it->second;
}

std::vector<std::pair<const std::string*, const p2p::swarm::ChunkSet*>> SwarmTracker::eligible(
    const RootEntry& entry, const SwarmDevice& asker, const std::set<std::string>& hidden) const {
  std::vector<std::pair<const std::string*, const p2p::swarm::ChunkSet*>> out;
  for (const auto& [holder, set] : entry.holders) {
    const auto dev = devices_.find(holder);
    if (holder != asker.name && !hidden.contains(holder) && set.count() > 0 && dev != devices_.end() &&
        dev->second.udp_port > 0)
      out.emplace_back(&holder, &set);
  }
  if (out.size() <= kMaxPeers) return out;
  // A random choice, so that a downloader asking again meets other holders
  // and many downloaders spread over all of them.
  thread_local std::mt19937_64 random{std::random_device{}()};
  std::shuffle(out.begin(), out.end(), random);
  out.resize(kMaxPeers);
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return *a.first < *b.first; });
  return out;
}

SwarmTracker::PeersResult SwarmTracker::peers(const SwarmDevice& asker, const SwarmRoot& root,
                                              const std::set<std::string>& hidden) {
  std::lock_guard lock(mutex_);
  PeersResult result;
  const auto root_it = roots_.find(root);
  if (root_it == roots_.end()) {
    result.refusal = SwarmRefusal{StatusCode::NotFound, fmt::format("No online device holds {}", digest_hex(root))};
    return result;
  }
  auto& mine = tickets_[asker.name];
  if (mine.owner != asker.owner) {  // an older login's tickets: never given to this one
    drop_tickets_of_asker(asker.name, mine.owner);
    tickets_[asker.name].owner = asker.owner;
  }
  bool skipped = false;
  for (const auto& [holder, set] : eligible(root_it->second, asker, hidden)) {
    const DeviceEntry& dev = devices_.at(*holder);
    const bool known = tickets_[asker.name].tickets.contains(TicketKey{*holder, root});
    if (!known && memory_ + swarm_cost::ticket(*holder) > limits_.max_memory) {
      skipped = true;
      continue;
    }
    bool is_new = false;
    const std::string& ticket = ticket_for(asker, *holder, root, is_new);
    result.peers.push_back({*holder, dev.ip, dev.udp_port, ticket, is_new, have_text(*set)});
  }
  if (tickets_[asker.name].tickets.empty()) tickets_.erase(asker.name);
  if (result.peers.empty() && skipped)
    result.refusal =
        SwarmRefusal{StatusCode::TooLarge, "The swarm tracker is full (--swarm-max-memory): no ticket could be issued"};
  return result;
}

void SwarmTracker::drop_tickets_of_holder(const std::string& holder) {
  const auto it = ticket_askers_.find(holder);
  if (it == ticket_askers_.end()) return;
  for (const auto& asker : it->second) {
    auto& tickets = tickets_[asker].tickets;
    for (auto t = tickets.lower_bound(TicketKey{holder, SwarmRoot{}});
         t != tickets.end() && t->first.first == holder;) {
      memory_ -= swarm_cost::ticket(holder);
      --ticket_count_;
      t = tickets.erase(t);
    }
    if (tickets.empty()) tickets_.erase(asker);
  }
  ticket_askers_.erase(it);
}

std::vector<SwarmUnticket> SwarmTracker::drop_tickets_of_asker(const std::string& asker, const void* owner) {
  std::vector<SwarmUnticket> out;
  const auto it = tickets_.find(asker);
  if (it == tickets_.end() || it->second.owner != owner) return out;
  for (const auto& [key, ticket] : it->second.tickets) {
    const std::string& holder = key.first;
    out.push_back({holder, ticket});
    memory_ -= swarm_cost::ticket(holder);
    --ticket_count_;
    const auto askers = ticket_askers_.find(holder);
    if (askers == ticket_askers_.end()) continue;
    askers->second.erase(asker);
    if (askers->second.empty()) ticket_askers_.erase(askers);
  }
  tickets_.erase(it);
  return out;
}

std::vector<SwarmUnticket> SwarmTracker::withdraw(const std::string& device, const void* owner) {
  std::lock_guard lock(mutex_);
  const auto it = devices_.find(device);
  if (it != devices_.end() && it->second.owner != owner) return {};  // a newer login owns the name now
  drop_device(device);
  drop_tickets_of_holder(device);
  return drop_tickets_of_asker(device, owner);
}

}  // namespace edgehub::hub
