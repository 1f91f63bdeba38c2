#include "p2p/reorder_buffer.hpp"

#include <algorithm>
#include <cstring>

namespace edgehub::p2p {

ReorderBuffer::ReorderBuffer(std::uint32_t slots, std::size_t slot_size)
    : slots_(std::max<std::uint32_t>(slots, 1)), slot_size_(slot_size) {}

bool ReorderBuffer::insert(std::uint32_t seq, std::span<const std::uint8_t> payload) {
  if (holds(seq) || payload.size() > slot_size_) return false;
  // Allocated at the first datagram out of order (a transfer without loss
  // or reordering needs none), the payload bytes not zeroed: only the slots
  // written are read. A whole window zeroed per transfer was a quarter of a
  // swarm download's page faults, and its bookkeeping another fifth
  // (6 December, docs/BENCHMARKS.md#reading-the-swarm-figures).
  if (!storage_) {
    storage_ = std::make_unique_for_overwrite<std::uint8_t[]>(std::size_t{slots_} * slot_size_);
    length_.assign(slots_, 0);
    seq_of_.assign(slots_, 0);
  }
  auto i = index(seq);
  if (!payload.empty()) std::memcpy(storage_.get() + i * slot_size_, payload.data(), payload.size());
  length_[i] = static_cast<std::uint32_t>(payload.size());
  seq_of_[i] = seq + 1;
  ++held_;
  return true;
}

void ReorderBuffer::free_storage() {
  storage_.reset();
  std::vector<std::uint32_t>().swap(length_);
  std::vector<std::uint32_t>().swap(seq_of_);
  held_ = 0;
}

// Nothing held: the slots may not even exist yet.
bool ReorderBuffer::holds(std::uint32_t seq) const { return held_ > 0 && seq_of_[index(seq)] == seq + 1; }

std::span<const std::uint8_t> ReorderBuffer::get(std::uint32_t seq) const {
  auto i = index(seq);
  return {storage_.get() + i * slot_size_, length_[i]};
}

void ReorderBuffer::release(std::uint32_t seq) {
  if (!holds(seq)) return;
  seq_of_[index(seq)] = 0;
  --held_;
}

SackBlock ReorderBuffer::block_around(std::uint32_t seq, std::uint32_t base, std::uint32_t limit) const {
  SackBlock b{seq, seq + 1};
  while (b.start > base + 1 && holds(b.start - 1)) --b.start;
  while (b.end < limit && holds(b.end)) ++b.end;
  return b;
}

std::vector<SackBlock> ReorderBuffer::sack_blocks(std::uint32_t base, std::uint32_t limit,
                                                  std::span<const std::uint32_t> recent) const {
  std::vector<SackBlock> out;
  if (held_ == 0) return out;
  auto listed = [&out](const SackBlock& b) { return std::find(out.begin(), out.end(), b) != out.end(); };
  for (auto seq : recent) {
    if (out.size() == kMaxSackBlocks) return out;
    if (seq <= base || seq >= limit || !holds(seq)) continue;
    auto b = block_around(seq, base, limit);
    if (!listed(b)) out.push_back(b);
  }
  for (std::uint32_t seq = base + 1; seq < limit && out.size() < kMaxSackBlocks; ++seq) {
    if (!holds(seq)) continue;
    auto b = block_around(seq, base, limit);
    if (!listed(b)) out.push_back(b);
    seq = b.end;
  }
  return out;
}

}  // namespace edgehub::p2p
