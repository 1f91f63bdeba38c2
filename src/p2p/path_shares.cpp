#include "p2p/path_shares.hpp"

#include <algorithm>

namespace edgehub::p2p {
namespace {

struct Measured {
  double bw = 0;
  Micros min_rtt = kNever;
};

// Only a transfer past start-up has a bandwidth estimate worth adding.
Measured measure(std::span<BbrLite* const> transfers) {
  Measured m;
  for (const BbrLite* cc : transfers) {
    if (cc->mode() == BbrLite::Mode::probe_bw) m.bw += cc->bottleneck_bw();
    m.min_rtt = std::min(m.min_rtt, cc->min_rtt());
  }
  return m;
}

}  // namespace

void PathShares::remember(const Peer& peer, std::span<BbrLite* const> transfers, Micros now) {
  const auto m = measure(transfers);
  if (m.bw <= 0) return;
  paths_[peer] = Rate{m.bw, m.min_rtt, now};
  if (paths_.size() > kMaxPeers) forget_stale(now);
}

void PathShares::forget_stale(Micros now) {
  std::erase_if(paths_, [&](const auto& entry) { return now - entry.second.at > kMemory; });
  while (paths_.size() > kMaxPeers) {
    auto stalest = std::ranges::min_element(paths_, {}, [](const auto& entry) { return entry.second.at; });
    paths_.erase(stalest);
  }
}

void PathShares::share(const Peer& peer, std::span<BbrLite* const> live, Micros now) const {
  auto known = paths_.find(peer);
  if (live.empty() || known == paths_.end() || now - known->second.at > kMemory) return;
  const auto m = measure(live);
  const double each = std::max(m.bw, known->second.bw) / static_cast<double>(live.size());
  const Micros rtt = std::min(m.min_rtt, known->second.min_rtt);
  for (BbrLite* cc : live) cc->set_path_share(each, rtt, now);
}

}  // namespace edgehub::p2p
