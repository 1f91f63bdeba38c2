#include "p2p/swarm/piece_picker.hpp"

#include <algorithm>
#include <limits>

namespace edgehub::p2p::swarm {

PiecePicker::PiecePicker(std::uint32_t chunk_count, const std::vector<bool>& verified, std::uint64_t seed)
    : done_(chunk_count, 0), availability_(chunk_count, 0), requesters_(chunk_count, 0), rng_(seed) {
  for (std::uint32_t i = 0; i < chunk_count && i < verified.size(); ++i) {
    if (verified[i]) mark_done(i);
  }
}

bool PiecePicker::mark_done(std::uint32_t chunk) {
  if (done_[chunk]) return false;
  done_[chunk] = 1;
  ++done_count_;
  return true;
}

std::vector<std::uint8_t>& PiecePicker::have_of(PeerSlot peer) {
  if (peer >= have_.size()) have_.resize(peer + 1);
  return have_[peer];
}

void PiecePicker::forget_have(PeerSlot peer) {
  auto& have = have_of(peer);
  for (std::uint32_t i = 0; i < have.size(); ++i) availability_[i] -= have[i];
  have.clear();
}

void PiecePicker::set_have(PeerSlot peer, const std::vector<bool>& have) {
  forget_have(peer);
  auto& mine = have_of(peer);
  mine.assign(chunk_count(), 0);
  for (std::uint32_t i = 0; i < chunk_count() && i < have.size(); ++i) {
    mine[i] = have[i] ? 1 : 0;
    availability_[i] += mine[i];
  }
}

void PiecePicker::set_have_all(PeerSlot peer) { set_have(peer, std::vector<bool>(chunk_count(), true)); }

void PiecePicker::remove_peer(PeerSlot peer) { forget_have(peer); }

bool PiecePicker::has(PeerSlot peer, std::uint32_t chunk) const {
  return peer < have_.size() && chunk < have_[peer].size() && have_[peer][chunk] != 0;
}

void PiecePicker::add_requested(ChunkRun run) {
  for (std::uint32_t i = run.first; i < run.end(); ++i) ++requesters_[i];
}

void PiecePicker::remove_requested(std::uint32_t chunk) {
  if (requesters_[chunk] > 0) --requesters_[chunk];
}

bool PiecePicker::eligible(PeerSlot peer, std::uint32_t chunk) const {
  return !done_[chunk] && requesters_[chunk] == 0 && has(peer, chunk);
}

std::optional<ChunkRun> PiecePicker::pick(PeerSlot peer, std::uint32_t max_count) {
  if (max_count == 0 || peer >= have_.size() || have_[peer].empty()) return std::nullopt;
  // One pass: the rarest availability among eligible chunks and every chunk
  // that has it (the tie set).
  std::uint32_t rarest = std::numeric_limits<std::uint32_t>::max();
  std::vector<std::uint32_t> ties;
  for (std::uint32_t i = 0; i < chunk_count(); ++i) {
    if (!eligible(peer, i) || availability_[i] > rarest) continue;
    if (availability_[i] < rarest) {
      rarest = availability_[i];
      ties.clear();
    }
    ties.push_back(i);
  }
  if (ties.empty()) return std::nullopt;
  const std::uint32_t chosen = ties[std::uniform_int_distribution<std::size_t>(0, ties.size() - 1)(rng_)];
  // The maximal run of equally rare eligible chunks around the chosen one.
  auto same = [&](std::uint32_t i) { return eligible(peer, i) && availability_[i] == rarest; };
  std::uint32_t lo = chosen;
  while (lo > 0 && same(lo - 1)) --lo;
  std::uint32_t hi = chosen + 1;
  while (hi < chunk_count() && same(hi)) ++hi;
  return cut_run(chosen, lo, hi, max_count);
}

ChunkRun PiecePicker::cut_run(std::uint32_t chosen, std::uint32_t lo, std::uint32_t hi, std::uint32_t max_count) const {
  if (hi - lo <= max_count) return {lo, hi - lo};
  // Start at the random chunk, unless that leaves less than a request's
  // worth before it (then start at the run's start) or after it (then end
  // at the run's end): leftovers stay long enough for a full request.
  std::uint32_t start = chosen;
  if (start - lo < max_count) {
    start = lo;
  } else if (hi - start < 2 * max_count) {
    start = hi - max_count;
  }
  return {start, max_count};
}

std::uint32_t PiecePicker::unrequested_held() const {
  std::uint32_t n = 0;
  for (std::uint32_t i = 0; i < chunk_count(); ++i) {
    if (!done_[i] && requesters_[i] == 0 && availability_[i] > 0) ++n;
  }
  return n;
}

std::vector<std::uint32_t> PiecePicker::missing_without_holder() const {
  std::vector<std::uint32_t> missing;
  for (std::uint32_t i = 0; i < chunk_count(); ++i) {
    if (!done_[i] && availability_[i] == 0) missing.push_back(i);
  }
  return missing;
}

}  // namespace edgehub::p2p::swarm
