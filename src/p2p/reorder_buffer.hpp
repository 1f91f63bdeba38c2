#pragma once
// The receiver's window of out-of-order packets (docs/UDP.md#6-flow-control): a ring of
// `slots` fixed-size buffers indexed by seq modulo slots. Storage is
// allocated on the first out-of-order packet, so in-order transfers cost none.
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "p2p/packet.hpp"

namespace edgehub::p2p {

class ReorderBuffer {
 public:
  ReorderBuffer(std::uint32_t slots, std::size_t slot_size);

  // Stores seq, which must be in (base, base + slots). False if already held.
  bool insert(std::uint32_t seq, std::span<const std::uint8_t> payload);
  bool holds(std::uint32_t seq) const;
  // The payload of a held seq; it stays valid until release(seq).
  std::span<const std::uint8_t> get(std::uint32_t seq) const;
  void release(std::uint32_t seq);
  std::uint32_t slots() const { return slots_; }
  std::uint32_t held() const { return held_; }
  // Frees the slots' memory once the transfer is over (it may linger for
  // seconds; swarm downloads end many transfers a second). Forgets all.
  void free_storage();

  // SACK blocks for seqs held in (base, limit), at most kMaxSackBlocks: first
  // the blocks holding the `recent` seqs (most recent first, as RFC 2018
  // asks, so that every block is repeated in several ACKs and a lost ACK
  // loses no news), then the others in ascending order.
  std::vector<SackBlock> sack_blocks(std::uint32_t base, std::uint32_t limit,
                                     std::span<const std::uint32_t> recent) const;
  std::vector<SackBlock> sack_blocks(std::uint32_t base, std::uint32_t limit, std::uint32_t recent) const {
    return sack_blocks(base, limit, std::span<const std::uint32_t>(&recent, 1));
  }

 private:
  std::size_t index(std::uint32_t seq) const { return seq % slots_; }
  SackBlock block_around(std::uint32_t seq, std::uint32_t base, std::uint32_t limit) const;

  std::uint32_t slots_;
  std::size_t slot_size_;
  std::uint32_t held_ = 0;
  // From the first insert until free_storage(); empty before and after.
  std::unique_ptr<std::uint8_t[]> storage_;  // slots_ x slot_size_, not zeroed
  std::vector<std::uint32_t> length_;
  std::vector<std::uint32_t> seq_of_;  // which seq a slot holds (+1; 0 = empty)
};

}  // namespace edgehub::p2p
