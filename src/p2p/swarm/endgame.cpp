// DownloadScheduler's endgame (docs/SWARM.md#3-piece-selection): a peer with
// room in its pipe and nothing unrequested to fetch duplicates the chunks
// that are expected to arrive last, when it would deliver them sooner.
#include <algorithm>

#include "p2p/swarm/download_scheduler.hpp"

namespace edgehub::p2p::swarm {

namespace {

Micros after(Micros now, double bytes, double rate) { return now + static_cast<Micros>(bytes * 1e6 / rate); }

}  // namespace

// When each requested, missing chunk is expected to arrive: a peer sends its
// requests in order at its measured rate (chunks verified meanwhile through
// a duplicate still cost it their bytes). The earliest of a chunk's
// requesters counts; `except`'s own requests do not, nor do stalled peers.
std::vector<Micros> DownloadScheduler::chunk_etas(PeerSlot except, Micros now) const {
  std::vector<Micros> eta(chunk_count(), kNever);
  for (PeerSlot slot = 0; slot < peers_.size(); ++slot) {
    const Peer& peer = peers_[slot];
    if (slot == except || !usable(peer)) continue;
    const double rate = assumed_rate(peer);
    const Micros start = std::max(now, peer.last_progress);
    double queued = 0;
    for (RequestId id : peer.requests) {
      const Request& request = requests_.at(id);
      for (std::uint32_t k = 0; k < request.run.count; ++k) {
        if (request.delivered[k]) continue;
        const std::uint32_t chunk = request.run.first + k;
        queued += chunk_len(chunk);
        if (!picker_.done(chunk)) eta[chunk] = std::min(eta[chunk], after(start, queued, rate));
      }
    }
  }
  return eta;
}

// The chunk expected last that `peer` holds and is not fetching already,
// grown backwards (its holder delivers in order, so the chunks before it are
// next-latest) and then forwards while `peer` would still deliver each added
// chunk, behind everything it has in flight, before its current holder.
// The run's chunks are then asked twice; whichever copy arrives first
// counts, and the other request is cancelled once it holds nothing needed.
std::optional<ChunkRun> DownloadScheduler::endgame_run(PeerSlot slot, std::uint32_t max_count, Micros now) {
  const Peer& peer = peers_[slot];
  std::vector<Micros> eta = chunk_etas(slot, now);
  for (RequestId id : peer.requests) {
    const ChunkRun run = requests_.at(id).run;
    for (std::uint32_t i = run.first; i < run.end(); ++i) eta[i] = kNever;
  }
  auto candidate = [&](std::uint32_t i) {
    return picker_.requesters(i) > 0 && eta[i] != kNever && picker_.has(slot, i);
  };
  std::optional<std::uint32_t> latest;
  for (std::uint32_t i = 0; i < chunk_count(); ++i) {
    if (candidate(i) && (!latest || eta[i] > eta[*latest])) latest = i;
  }
  if (!latest) return std::nullopt;
  const double rate = assumed_rate(peer);
  double bytes = static_cast<double>(peer.undelivered_bytes);
  auto sooner = [&](std::uint32_t i) { return after(now, bytes + chunk_len(i), rate) < eta[i]; };
  if (!sooner(*latest)) return std::nullopt;
  ChunkRun run{*latest, 1};
  bytes += chunk_len(*latest);
  while (run.count < max_count) {
    std::uint32_t next = 0;
    if (run.first > 0 && candidate(run.first - 1) && sooner(run.first - 1)) {
      next = --run.first;
    } else if (run.end() < chunk_count() && candidate(run.end()) && sooner(run.end())) {
      next = run.end();
    } else {
      break;
    }
    bytes += chunk_len(next);
    ++run.count;
  }
  return run;
}

}  // namespace edgehub::p2p::swarm
