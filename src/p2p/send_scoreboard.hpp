#pragma once
// The sender's record of every packet between the cumulative ack and the next
// new seq (docs/UDP.md#3-sequence-numbers-and-selective-acknowledgements,
// docs/UDP.md#5-loss-detection-fast-retransmit-congestion-control): SACK
// processing, delivery-rate samples, and loss detection (duplicate threshold +
// RACK). Pure.
#include <cstdint>
#include <deque>
#include <optional>

#include "p2p/bbr_lite.hpp"
#include "p2p/clock.hpp"
#include "p2p/packet.hpp"

namespace edgehub::p2p {

class SendScoreboard {
 public:
  // Records a (re)transmission of seq, which must be < next_new() or == it.
  void on_sent(std::uint32_t seq, Micros now, bool app_limited);
  // Applies an ACK; returns nothing if it acknowledges seqs never sent.
  // min_rtt (kNever if unknown) tells retransmissions that were not needed.
  std::optional<AckEvent> on_ack(const Ack& ack, Micros now, Micros min_rtt = kNever);
  // Declares lost what the rules say is lost; returns how many.
  std::uint32_t detect_losses(Micros now, Micros reorder_window);
  // RTO: everything in flight is lost.
  std::uint32_t mark_all_lost();
  // Next seq to retransmit, if any.
  std::optional<std::uint32_t> pop_lost();

  std::uint32_t cum_ack() const { return base_; }
  std::uint32_t next_new() const { return next_new_; }
  std::uint32_t in_flight() const { return in_flight_; }
  std::uint64_t delivered() const { return delivered_; }
  // The path reorders: seen once a retransmission proved unnecessary. From
  // then on only RACK's time rule declares losses, not the duplicate threshold.
  bool reordering_seen() const { return reordering_seen_; }
  std::uint64_t spurious_retransmissions() const { return spurious_; }
  bool has_lost();  // drops stale queue entries from the front
  // When a packet not yet lost will be (RACK), or kNever.
  Micros loss_deadline() const { return loss_deadline_; }

 private:
  enum class State : std::uint8_t { in_flight, lost, delivered };
  struct Sent {
    Micros sent_time = 0;
    Micros delivered_time = 0;
    Micros first_sent_time = 0;
    std::uint64_t delivered = 0;
    std::uint32_t transmissions = 0;
    State state = State::in_flight;
    bool app_limited = false;
  };

  Sent& at(std::uint32_t seq) { return sent_[seq - base_]; }
  void deliver(std::uint32_t seq, Micros now, Micros min_rtt, const Sent*& newest);
  void mark_lost(std::uint32_t seq, Sent& s);
  RateSample rate_sample(const Sent* newest, Micros now) const;

  std::deque<Sent> sent_;
  std::deque<std::uint32_t> lost_queue_;
  std::uint32_t base_ = 0, next_new_ = 0, in_flight_ = 0;
  std::uint32_t highest_delivered_ = 0;  // one past the highest seq delivered
  std::uint64_t delivered_ = 0;
  Micros delivered_time_ = 0, first_sent_time_ = 0;
  Micros rack_xmit_time_ = 0, rack_rtt_ = 0;
  Micros loss_deadline_ = kNever;
  bool reordering_seen_ = false;
  std::uint64_t spurious_ = 0;
};

}  // namespace edgehub::p2p
