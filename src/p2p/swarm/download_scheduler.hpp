#pragma once
// The downloader's plan (docs/SWARM.md#3-piece-selection): which peer gets
// which run of chunks, how much each peer has in flight (sized from its
// measured rate), the endgame's duplicates and their cancels, and who
// contributed what. Pure logic: no I/O, no Asio; the caller passes the time.
//
// The caller's loop: add/update peers from swarmpeers; send every request
// next_requests() returns; report each verified chunk with on_chunk_done()
// (cancel the requests it names), a failed or refused request with
// on_request_failed(), a bad chunk with drop_peer(); call next_requests()
// again after each of those and on a timer (~100 ms) so stalls are noticed.
#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "p2p/clock.hpp"
#include "p2p/swarm/chunk_ranges.hpp"
#include "p2p/swarm/peer_rate.hpp"
#include "p2p/swarm/piece_picker.hpp"

namespace edgehub::p2p::swarm {

// What a peer holds, as swarmpeers reports it.
using HaveSet = ChunkSet;
using RequestId = std::uint64_t;

struct SchedulerConfig {
  // Bytes in flight per peer ≈ its rate × pipe_target, within
  // [min_pipe_chunks chunks, max_pipe_bytes], split over requests_per_peer
  // requests so one is always queued behind the one being served.
  Micros pipe_target = 1 * kSeconds;
  std::uint32_t requests_per_peer = 2;
  std::uint32_t min_pipe_chunks = 2;
  std::uint64_t max_pipe_bytes = 32ull << 20;
  // A peer whose rate is not measured yet gets requests of about this size.
  std::uint64_t probe_bytes = 512 * 1024;
  // A peer with work in flight that delivers nothing for
  // max(stall_floor, stall_chunks × one chunk's time at its rate) is
  // stalled: its chunks become free for others (its requests stay open).
  Micros stall_floor = 500 * kMillis;
  std::uint32_t stall_chunks = 4;
  // After a failed or refused request: wait this long before the next one
  // (doubling per failure in a row, up to failure_backoff_max).
  Micros failure_backoff = 100 * kMillis;
  Micros failure_backoff_max = 2 * kSeconds;
  // Seed of the random tie-breaks. Unset: drawn from std::random_device, so
  // that two downloaders of one file start at different chunks and can feed
  // each other. Tests fix it.
  std::optional<std::uint64_t> seed;
};

struct PeerRequest {
  RequestId id = 0;
  std::string peer;
  std::uint32_t first_chunk = 0;
  std::uint32_t count = 0;
};

struct ChunkDoneResult {
  bool fresh = false;  // first copy of this chunk: it counts
  // Requests (of any peer, this one's too) whose every undelivered chunk is
  // now verified: the caller cancels them. They are already forgotten here.
  std::vector<RequestId> cancel;
  bool request_finished = false;  // the peer's request delivered its last chunk
};

struct Contribution {
  std::string peer;
  std::uint32_t chunks = 0;  // fresh chunks it delivered
  std::uint64_t bytes = 0;
};

class DownloadScheduler {
 public:
  // `verified`: chunks already on disk (resume), never requested.
  DownloadScheduler(std::uint64_t file_size, std::uint32_t chunk_size, const HaveSet& verified,
                    SchedulerConfig config = {});

  // Adds a peer or replaces what it holds (swarmpeers every 2 s). Ignored
  // for a dropped peer.
  void update_peer(const std::string& peer, const HaveSet& have, Micros now);
  void update_peer_all(const std::string& peer, Micros now);
  // The peer left (no longer listed, logged out): its requests are
  // forgotten and their chunks re-queued. Returns them, to cancel.
  std::vector<RequestId> remove_peer(const std::string& peer);
  // The peer sent a bad chunk: as remove_peer, and it is never used again
  // for this file.
  std::vector<RequestId> drop_peer(const std::string& peer);
  bool dropped(const std::string& peer) const;

  // New requests to send now.
  std::vector<PeerRequest> next_requests(Micros now);
  // A verified chunk from `peer` (also a duplicate copy: fresh is false).
  ChunkDoneResult on_chunk_done(const std::string& peer, std::uint32_t chunk, std::uint64_t bytes, Micros now);
  // The request failed or was refused: its undelivered chunks are re-queued.
  void on_request_failed(RequestId id, Micros now);
  // The transfer ended normally; any chunk it did not deliver is re-queued.
  void on_request_finished(RequestId id, Micros now);

  bool complete() const { return picker_.complete(); }
  std::uint32_t chunk_count() const { return picker_.chunk_count(); }
  std::uint32_t chunks_done() const { return picker_.done_count(); }
  // Verified bytes in all, including those verified before the start
  // (resume); bytes_fetched() counts only this run's, for rates and ETAs.
  std::uint64_t bytes_done() const { return bytes_done_; }
  std::uint64_t resumed_bytes() const { return resumed_bytes_; }
  std::uint64_t bytes_fetched() const { return bytes_done_ - resumed_bytes_; }
  std::uint64_t file_size() const { return file_size_; }
  // Chunks still missing that no live peer holds ("missing chunks").
  std::vector<std::uint32_t> missing_without_holder() const { return picker_.missing_without_holder(); }
  std::size_t outstanding_requests() const { return requests_.size(); }
  std::size_t live_peers() const;
  // Measured rate in bytes/s, if any.
  std::optional<double> peer_rate(const std::string& peer) const;
  // Fresh chunks per peer that delivered any (also peers that left), most bytes first.
  std::vector<Contribution> contributions() const;

  struct Stats {
    std::uint64_t requests = 0;            // sent
    std::uint64_t duplicate_requests = 0;  // endgame requests for already requested chunks
    std::uint64_t cancelled = 0;
    std::uint64_t duplicate_bytes = 0;  // chunks received twice
    std::uint64_t stalls = 0;           // peers found stalled
  };
  const Stats& stats() const { return stats_; }

 private:
  struct Request {
    RequestId id = 0;
    PeerSlot peer = 0;
    ChunkRun run;
    Micros sent = 0;
    std::vector<std::uint8_t> delivered;  // per chunk of run
    std::uint32_t undelivered = 0;
    bool counted = true;  // its undelivered chunks count as requested in picker_
  };
  struct Peer {
    std::string name;
    bool live = false;
    bool banned = false;
    RateMeter rate;
    std::vector<RequestId> requests;  // oldest first
    std::uint64_t undelivered_bytes = 0;
    Micros last_progress = 0;
    bool stalled = false;
    std::uint32_t failures_in_row = 0;
    Micros not_before = 0;
    Contribution contributed;
  };

  PeerSlot slot_of(const std::string& peer);
  const Peer* find(const std::string& peer) const;
  std::uint32_t chunk_len(std::uint32_t chunk) const;
  std::uint64_t run_bytes(ChunkRun run) const;

  // download_scheduler.cpp: requests and their bookkeeping.
  PeerRequest open_request(PeerSlot peer, ChunkRun run, Micros now);
  void close_request(RequestId id);
  void count_request(Request& request, bool counted);
  std::vector<RequestId> forget_peer(PeerSlot peer);
  Request* request_of(PeerSlot peer, std::uint32_t chunk);
  void mark_delivered(Request& request, std::uint32_t chunk);
  void cancel_useless(std::uint32_t chunk, std::vector<RequestId>& cancel);

  // pipeline.cpp: sizing, stalls, who goes next.
  bool usable(const Peer& peer) const;
  void update_stalls(Micros now);
  double assumed_rate(const Peer& peer) const;
  std::uint64_t pipe_bytes(const Peer& peer) const;
  bool has_room(const Peer& peer, Micros now) const;
  bool holds_missing(PeerSlot slot) const;
  double balanced_finish_seconds() const;
  std::uint32_t request_chunks(const Peer& peer, double finish_seconds) const;
  std::optional<PeerSlot> neediest_peer(const std::vector<PeerSlot>& candidates);

  // endgame.cpp: duplicates of late chunks.
  std::optional<ChunkRun> endgame_run(PeerSlot slot, std::uint32_t max_count, Micros now);
  std::vector<Micros> chunk_etas(PeerSlot except, Micros now) const;

  std::uint64_t file_size_;
  std::uint32_t chunk_size_;
  SchedulerConfig config_;
  PiecePicker picker_;
  std::vector<Peer> peers_;  // by PeerSlot
  std::unordered_map<std::string, PeerSlot> slots_;
  std::unordered_map<RequestId, Request> requests_;
  RequestId next_id_ = 1;
  std::uint64_t bytes_done_ = 0;
  std::uint64_t resumed_bytes_ = 0;
  Stats stats_;
};

}  // namespace edgehub::p2p::swarm
