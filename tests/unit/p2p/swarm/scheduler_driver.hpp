#pragma once
// Small helpers for DownloadScheduler tests: peers that deliver a request's
// chunks one after another at a given rate, in virtual time.
#include <cstdint>
#include <initializer_list>
#include <vector>

#include "p2p/swarm/download_scheduler.hpp"

namespace edgehub::p2p::swarm::test {

inline constexpr std::uint64_t kChunk = 256 * 1024;

inline SchedulerConfig config(std::uint64_t seed = 1) {
  SchedulerConfig c;
  c.seed = seed;
  return c;
}

inline HaveSet have(std::uint32_t size, std::initializer_list<std::uint32_t> chunks) {
  HaveSet set(size);
  for (std::uint32_t c : chunks) set.set(c);
  return set;
}

inline std::vector<std::uint32_t> chunks_of(const PeerRequest& r) {
  std::vector<std::uint32_t> out;
  for (std::uint32_t c = r.first_chunk; c < r.first_chunk + r.count; ++c) out.push_back(c);
  return out;
}

inline Micros chunk_time(double rate) { return static_cast<Micros>(static_cast<double>(kChunk) * 1e6 / rate); }

// Delivers every chunk of r (all full-size but a file's short last one,
// which the scheduler measures by `bytes`), starting at `start`, at `rate`
// bytes/s. Returns the time the last chunk arrived.
inline Micros deliver(DownloadScheduler& s, const PeerRequest& r, Micros start, double rate) {
  Micros now = start;
  for (std::uint32_t c : chunks_of(r)) {
    const std::uint64_t bytes = std::min<std::uint64_t>(kChunk, s.file_size() - std::uint64_t{c} * kChunk);
    now += static_cast<Micros>(static_cast<double>(bytes) * 1e6 / rate);
    s.on_chunk_done(r.peer, c, bytes, now);
  }
  return now;
}

}  // namespace edgehub::p2p::swarm::test
