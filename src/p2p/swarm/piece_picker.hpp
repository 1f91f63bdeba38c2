#pragma once
// Which chunks to ask a peer for next (docs/SWARM.md#3-piece-selection):
// rarest first with random tie-breaks, grown into contiguous runs of equally
// rare chunks. Pure state: no I/O, no clock. DownloadScheduler drives it.
#include <cstdint>
#include <optional>
#include <random>
#include <vector>

namespace edgehub::p2p::swarm {

// A small index for a peer, chosen by the caller (DownloadScheduler).
using PeerSlot = std::uint32_t;

// Chunks first .. first+count-1.
struct ChunkRun {
  std::uint32_t first = 0;
  std::uint32_t count = 0;
  std::uint32_t end() const { return first + count; }
  bool contains(std::uint32_t chunk) const { return chunk >= first && chunk < end(); }
  bool operator==(const ChunkRun&) const = default;
};

class PiecePicker {
 public:
  // `verified[i]` true: chunk i is already on disk (resume) and never picked.
  PiecePicker(std::uint32_t chunk_count, const std::vector<bool>& verified, std::uint64_t seed);

  std::uint32_t chunk_count() const { return static_cast<std::uint32_t>(done_.size()); }
  std::uint32_t done_count() const { return done_count_; }
  bool complete() const { return done_count_ == chunk_count(); }
  bool done(std::uint32_t chunk) const { return done_[chunk] != 0; }
  // Marks a chunk verified; false if it already was.
  bool mark_done(std::uint32_t chunk);

  // Replaces what `peer` holds (have[i] for chunk i; shorter means "not
  // held"). A live peer's chunks count for rarity until remove_peer.
  void set_have(PeerSlot peer, const std::vector<bool>& have);
  void set_have_all(PeerSlot peer);
  void remove_peer(PeerSlot peer);
  bool has(PeerSlot peer, std::uint32_t chunk) const;
  // How many live peers hold the chunk.
  std::uint32_t availability(std::uint32_t chunk) const { return availability_[chunk]; }

  // How many live requests still wait for the chunk. Requested chunks are not
  // picked again; the scheduler's endgame duplicates them explicitly.
  void add_requested(ChunkRun run);
  void add_requested(std::uint32_t chunk) { ++requesters_[chunk]; }
  void remove_requested(std::uint32_t chunk);
  std::uint32_t requesters(std::uint32_t chunk) const { return requesters_[chunk]; }

  // Missing, unrequested and held by `peer`.
  bool eligible(PeerSlot peer, std::uint32_t chunk) const;
  // The rarest eligible chunk of `peer`, ties broken uniformly at random,
  // grown into a run of up to max_count eligible chunks of that same rarity.
  // A run is cut so that the part left over is not a sliver: fewer, longer
  // requests are cheaper (docs/SWARM.md#3-piece-selection).
  std::optional<ChunkRun> pick(PeerSlot peer, std::uint32_t max_count);

  // Missing chunks with no requester that some live peer holds.
  std::uint32_t unrequested_held() const;
  // Missing chunks that no live peer holds, ascending.
  std::vector<std::uint32_t> missing_without_holder() const;

  std::mt19937_64& rng() { return rng_; }

 private:
  std::vector<std::uint8_t>& have_of(PeerSlot peer);
  void forget_have(PeerSlot peer);
  ChunkRun cut_run(std::uint32_t chosen, std::uint32_t lo, std::uint32_t hi, std::uint32_t max_count) const;

  std::vector<std::uint8_t> done_;
  std::vector<std::uint32_t> availability_;
  std::vector<std::uint32_t> requesters_;
  std::vector<std::vector<std::uint8_t>> have_;  // by PeerSlot; empty: not live
  std::uint32_t done_count_ = 0;
  std::mt19937_64 rng_;
};

}  // namespace edgehub::p2p::swarm
