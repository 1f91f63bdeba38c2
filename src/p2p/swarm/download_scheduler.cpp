#include "p2p/swarm/download_scheduler.hpp"

#include <algorithm>
#include <random>

#include "p2p/swarm/manifest.hpp"

namespace edgehub::p2p::swarm {

namespace {

std::uint64_t seed_of(const SchedulerConfig& config) {
  if (config.seed) return *config.seed;
  std::random_device device;
  return (std::uint64_t{device()} << 32) ^ device();
}

std::vector<bool> to_bits(const HaveSet& set, std::uint32_t count) {
  std::vector<bool> bits(count, false);
  for (std::uint32_t i = 0; i < count; ++i) bits[i] = set.test(i);
  return bits;
}

}  // namespace

DownloadScheduler::DownloadScheduler(std::uint64_t file_size, std::uint32_t chunk_size, const HaveSet& verified,
                                     SchedulerConfig config)
    : file_size_(file_size),
      chunk_size_(chunk_size),
      config_(config),
      picker_(static_cast<std::uint32_t>(chunk_count_for(file_size, chunk_size)),
              to_bits(verified, static_cast<std::uint32_t>(chunk_count_for(file_size, chunk_size))), seed_of(config)) {
  for (std::uint32_t i = 0; i < picker_.chunk_count(); ++i) {
    if (picker_.done(i)) bytes_done_ += chunk_len(i);
  }
  resumed_bytes_ = bytes_done_;
}

std::uint32_t DownloadScheduler::chunk_len(std::uint32_t chunk) const {
  const std::uint64_t start = std::uint64_t{chunk} * chunk_size_;
  return static_cast<std::uint32_t>(std::min<std::uint64_t>(chunk_size_, file_size_ - start));
}

std::uint64_t DownloadScheduler::run_bytes(ChunkRun run) const {
  std::uint64_t bytes = 0;
  for (std::uint32_t i = run.first; i < run.end(); ++i) bytes += chunk_len(i);
  return bytes;
}

PeerSlot DownloadScheduler::slot_of(const std::string& peer) {
  auto [it, added] = slots_.try_emplace(peer, static_cast<PeerSlot>(peers_.size()));
  if (added) {
    peers_.emplace_back();
    peers_.back().name = peer;
    peers_.back().contributed.peer = peer;
  }
  return it->second;
}

const DownloadScheduler::Peer* DownloadScheduler::find(const std::string& peer) const {
  auto it = slots_.find(peer);
  return it == slots_.end() ? nullptr : &peers_[it->second];
}

void DownloadScheduler::update_peer(const std::string& peer, const HaveSet& have, Micros now) {
  const PeerSlot slot = slot_of(peer);
  if (peers_[slot].banned) return;
  picker_.set_have(slot, to_bits(have, chunk_count()));
  if (!peers_[slot].live) peers_[slot].last_progress = now;
  peers_[slot].live = true;
}

void DownloadScheduler::update_peer_all(const std::string& peer, Micros now) {
  update_peer(peer, HaveSet(), now);
  const PeerSlot slot = slot_of(peer);
  if (!peers_[slot].banned) picker_.set_have_all(slot);
}

std::vector<RequestId> DownloadScheduler::remove_peer(const std::string& peer) {
  auto it = slots_.find(peer);
  if (it == slots_.end()) return {};
  return forget_peer(it->second);
}

std::vector<RequestId> DownloadScheduler::drop_peer(const std::string& peer) {
  const PeerSlot slot = slot_of(peer);
  peers_[slot].banned = true;
  return forget_peer(slot);
}

bool DownloadScheduler::dropped(const std::string& peer) const {
  const Peer* p = find(peer);
  return p != nullptr && p->banned;
}

std::vector<RequestId> DownloadScheduler::forget_peer(PeerSlot slot) {
  Peer& peer = peers_[slot];
  std::vector<RequestId> ids = peer.requests;
  for (RequestId id : ids) close_request(id);
  picker_.remove_peer(slot);
  peer.live = false;
  peer.stalled = false;
  return ids;
}

std::size_t DownloadScheduler::live_peers() const {
  return static_cast<std::size_t>(std::count_if(peers_.begin(), peers_.end(), [](const Peer& p) { return p.live; }));
}

std::optional<double> DownloadScheduler::peer_rate(const std::string& peer) const {
  const Peer* p = find(peer);
  if (p == nullptr || !p->rate.known()) return std::nullopt;
  return p->rate.bytes_per_second();
}

std::vector<Contribution> DownloadScheduler::contributions() const {
  std::vector<Contribution> out;
  for (const Peer& p : peers_) {
    if (p.contributed.chunks > 0) out.push_back(p.contributed);
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const Contribution& a, const Contribution& b) { return a.bytes > b.bytes; });
  return out;
}

PeerRequest DownloadScheduler::open_request(PeerSlot slot, ChunkRun run, Micros now) {
  Peer& peer = peers_[slot];
  Request request;
  request.id = next_id_++;
  request.peer = slot;
  request.run = run;
  request.sent = now;
  request.delivered.assign(run.count, 0);
  request.undelivered = run.count;
  bool duplicate = false;
  for (std::uint32_t i = run.first; i < run.end(); ++i) duplicate = duplicate || picker_.requesters(i) > 0;
  picker_.add_requested(run);
  if (peer.requests.empty()) {
    peer.rate.start_busy(now);
    peer.last_progress = now;
  }
  peer.requests.push_back(request.id);
  peer.undelivered_bytes += run_bytes(run);
  ++stats_.requests;
  if (duplicate) ++stats_.duplicate_requests;
  const RequestId id = request.id;
  requests_.emplace(id, std::move(request));
  return {.id = id, .peer = peer.name, .first_chunk = run.first, .count = run.count};
}

void DownloadScheduler::count_request(Request& request, bool counted) {
  if (request.counted == counted) return;
  for (std::uint32_t k = 0; k < request.run.count; ++k) {
    if (request.delivered[k]) continue;
    if (counted) {
      picker_.add_requested(request.run.first + k);
    } else {
      picker_.remove_requested(request.run.first + k);
    }
  }
  request.counted = counted;
}

void DownloadScheduler::close_request(RequestId id) {
  auto it = requests_.find(id);
  if (it == requests_.end()) return;
  Request& request = it->second;
  count_request(request, false);
  Peer& peer = peers_[request.peer];
  for (std::uint32_t k = 0; k < request.run.count; ++k) {
    if (!request.delivered[k]) peer.undelivered_bytes -= chunk_len(request.run.first + k);
  }
  std::erase(peer.requests, id);
  requests_.erase(it);
  // A stalled peer whose requests are all gone (failed, cancelled) may be
  // tried again, with a probe: its old rate is not trusted.
  if (peer.stalled && peer.requests.empty()) peer.stalled = false;
}

DownloadScheduler::Request* DownloadScheduler::request_of(PeerSlot slot, std::uint32_t chunk) {
  for (RequestId id : peers_[slot].requests) {
    Request& request = requests_.at(id);
    if (request.run.contains(chunk) && !request.delivered[chunk - request.run.first]) return &request;
  }
  return nullptr;
}

void DownloadScheduler::mark_delivered(Request& request, std::uint32_t chunk) {
  request.delivered[chunk - request.run.first] = 1;
  --request.undelivered;
  if (request.counted) picker_.remove_requested(chunk);
  peers_[request.peer].undelivered_bytes -= chunk_len(chunk);
}

// A request whose every undelivered chunk is verified (a duplicate won the
// race) only wastes its peer's uplink: cancel it
// (docs/SWARM.md#3-piece-selection).
void DownloadScheduler::cancel_useless(std::uint32_t chunk, std::vector<RequestId>& cancel) {
  std::vector<RequestId> useless;
  for (const auto& [id, request] : requests_) {
    if (!request.run.contains(chunk)) continue;
    bool needed = false;
    for (std::uint32_t k = 0; k < request.run.count && !needed; ++k) {
      needed = !request.delivered[k] && !picker_.done(request.run.first + k);
    }
    if (!needed) useless.push_back(id);
  }
  std::sort(useless.begin(), useless.end());
  for (RequestId id : useless) {
    close_request(id);
    cancel.push_back(id);
    ++stats_.cancelled;
  }
}

ChunkDoneResult DownloadScheduler::on_chunk_done(const std::string& name, std::uint32_t chunk, std::uint64_t bytes,
                                                 Micros now) {
  ChunkDoneResult result;
  if (chunk >= chunk_count()) return result;
  const PeerSlot slot = slot_of(name);
  Peer& peer = peers_[slot];
  result.fresh = picker_.mark_done(chunk);
  if (result.fresh) {
    bytes_done_ += chunk_len(chunk);
    ++peer.contributed.chunks;
    peer.contributed.bytes += chunk_len(chunk);
  } else {
    stats_.duplicate_bytes += bytes;
  }
  if (peer.stalled) {
    // Back from a stall: measuring starts again from here (the stall is
    // not its rate).
    peer.stalled = false;
    peer.rate.start_busy(now);
    for (RequestId id : peer.requests) count_request(requests_.at(id), true);
  } else {
    peer.rate.on_bytes(bytes, now);
  }
  peer.last_progress = now;
  peer.failures_in_row = 0;
  if (Request* request = request_of(slot, chunk)) {
    mark_delivered(*request, chunk);
    if (request->undelivered == 0) {
      result.request_finished = true;
      close_request(request->id);
    }
  }
  cancel_useless(chunk, result.cancel);
  return result;
}

void DownloadScheduler::on_request_failed(RequestId id, Micros now) {
  auto it = requests_.find(id);
  if (it == requests_.end()) return;
  Peer& peer = peers_[it->second.peer];
  ++peer.failures_in_row;
  const unsigned shift = std::min<std::uint32_t>(peer.failures_in_row - 1, 20);
  peer.not_before = now + std::min(config_.failure_backoff_max, config_.failure_backoff << shift);
  close_request(id);
}

void DownloadScheduler::on_request_finished(RequestId id, Micros) { close_request(id); }

}  // namespace edgehub::p2p::swarm
