// DownloadScheduler: how much each peer gets in flight and who is served next
// (docs/SWARM.md#3-piece-selection).
#include <algorithm>
#include <cmath>

#include "p2p/swarm/download_scheduler.hpp"

namespace edgehub::p2p::swarm {

bool DownloadScheduler::usable(const Peer& peer) const { return peer.live && !peer.banned && !peer.stalled; }

// A peer with work in flight that has delivered nothing for several chunk
// times is stalled (killed, unplugged, overloaded): its chunks are freed for
// the others at once instead of waiting for the transport to give up. Its
// requests stay open; if it delivers again it counts again.
void DownloadScheduler::update_stalls(Micros now) {
  for (Peer& peer : peers_) {
    if (!usable(peer) || peer.requests.empty()) continue;
    Micros limit = 4 * config_.stall_floor;
    if (peer.rate.known() && peer.rate.bytes_per_second() > 0) {
      const double chunk_time = static_cast<double>(chunk_size_) * 1e6 / peer.rate.bytes_per_second();
      limit = std::max(config_.stall_floor, static_cast<Micros>(config_.stall_chunks * chunk_time));
    }
    if (now <= peer.last_progress || now - peer.last_progress <= limit) continue;
    peer.stalled = true;
    peer.rate = RateMeter{};
    ++stats_.stalls;
    for (RequestId id : peer.requests) count_request(requests_.at(id), false);
  }
}

// Peers not measured yet are assumed as fast as the average measured one:
// their probe request is small either way.
double DownloadScheduler::assumed_rate(const Peer& peer) const {
  if (peer.rate.known() && peer.rate.bytes_per_second() > 0) return peer.rate.bytes_per_second();
  double sum = 0;
  int n = 0;
  for (const Peer& p : peers_) {
    if (usable(p) && p.rate.known() && p.rate.bytes_per_second() > 0) {
      sum += p.rate.bytes_per_second();
      ++n;
    }
  }
  return n > 0 ? sum / n : static_cast<double>(config_.probe_bytes) * 10;
}

std::uint64_t DownloadScheduler::pipe_bytes(const Peer& peer) const {
  const std::uint64_t floor = std::uint64_t{config_.min_pipe_chunks} * chunk_size_;
  if (!peer.rate.known()) return std::max(floor, config_.requests_per_peer * config_.probe_bytes);
  const double wanted = peer.rate.bytes_per_second() * static_cast<double>(config_.pipe_target) / 1e6;
  return std::clamp(static_cast<std::uint64_t>(wanted), floor, std::max(floor, config_.max_pipe_bytes));
}

bool DownloadScheduler::has_room(const Peer& peer, Micros now) const {
  return usable(peer) && now >= peer.not_before && peer.requests.size() < config_.requests_per_peer &&
         peer.undelivered_bytes < pipe_bytes(peer);
}

bool DownloadScheduler::holds_missing(PeerSlot slot) const {
  for (std::uint32_t i = 0; i < chunk_count(); ++i) {
    if (!picker_.done(i) && picker_.has(slot, i)) return true;
  }
  return false;
}

// The time at which the useful peers would all finish if the unrequested
// chunks were shared out in proportion to their rates. A request never gives
// a peer more than it can fetch by then, so that near the end no peer is
// left holding chunks the others would have finished long before.
double DownloadScheduler::balanced_finish_seconds() const {
  double rates = 0;
  double bytes = static_cast<double>(picker_.unrequested_held()) * chunk_size_;
  for (PeerSlot slot = 0; slot < peers_.size(); ++slot) {
    if (!usable(peers_[slot]) || !holds_missing(slot)) continue;
    rates += assumed_rate(peers_[slot]);
    bytes += static_cast<double>(peers_[slot].undelivered_bytes);
  }
  return rates > 0 ? bytes / rates : 0;
}

// Chunks for the peer's next request: its pipe split over
// requests_per_peer requests, capped by its balanced share; an idle peer
// always gets at least one chunk.
std::uint32_t DownloadScheduler::request_chunks(const Peer& peer, double finish_seconds) const {
  const std::uint64_t per_request = peer.rate.known() ? pipe_bytes(peer) / config_.requests_per_peer
                                                      : std::max<std::uint64_t>(config_.probe_bytes, 1);
  const auto want = std::max<std::uint64_t>(1, (per_request + chunk_size_ / 2) / chunk_size_);
  const double share = finish_seconds * assumed_rate(peer) - static_cast<double>(peer.undelivered_bytes);
  auto capped = static_cast<std::uint64_t>(std::max(0.0, std::floor(share / chunk_size_)));
  if (capped == 0 && peer.requests.empty()) capped = 1;
  return static_cast<std::uint32_t>(std::min(want, capped));
}

// The peer whose pipe is emptiest relative to its size goes first; ties at random.
std::optional<PeerSlot> DownloadScheduler::neediest_peer(const std::vector<PeerSlot>& candidates) {
  std::optional<PeerSlot> best;
  double best_fill = 0;
  std::uint32_t ties = 0;
  for (PeerSlot slot : candidates) {
    const Peer& peer = peers_[slot];
    const double fill = static_cast<double>(peer.undelivered_bytes) / static_cast<double>(pipe_bytes(peer));
    if (!best || fill < best_fill) {
      best = slot;
      best_fill = fill;
      ties = 1;
    } else if (fill == best_fill && std::uniform_int_distribution<std::uint32_t>(0, ties++)(picker_.rng()) == 0) {
      best = slot;
    }
  }
  return best;
}

std::vector<PeerRequest> DownloadScheduler::next_requests(Micros now) {
  update_stalls(now);
  std::vector<PeerRequest> out;
  if (complete()) return out;
  const double finish = balanced_finish_seconds();
  std::vector<PeerSlot> candidates;
  for (PeerSlot slot = 0; slot < peers_.size(); ++slot) {
    if (has_room(peers_[slot], now)) candidates.push_back(slot);
  }
  while (auto slot = neediest_peer(candidates)) {
    const std::uint32_t count = request_chunks(peers_[*slot], finish);
    std::optional<ChunkRun> run = count > 0 ? picker_.pick(*slot, count) : std::nullopt;
    if (!run && count > 0) run = endgame_run(*slot, count, now);
    if (run) out.push_back(open_request(*slot, *run, now));
    if (!run || !has_room(peers_[*slot], now)) std::erase(candidates, *slot);
  }
  return out;
}

}  // namespace edgehub::p2p::swarm
