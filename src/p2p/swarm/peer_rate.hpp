#pragma once
// A peer's delivery rate as the downloader sees it (docs/SWARM.md#3-piece-selection):
// an EWMA over windows of completed bytes, counting only time during which the
// peer had work in flight, so an idle gap never lowers its rate.
#include <cstdint>

#include "p2p/clock.hpp"

namespace edgehub::p2p::swarm {

class RateMeter {
 public:
  // Windows shorter than this are merged into the next sample: single chunk
  // arrivals are bursty.
  static constexpr Micros kMinWindow = 50 * kMillis;
  // Weight of a new window in the average.
  static constexpr double kWeight = 0.3;

  // The peer had nothing in flight and is sent a request now: time counts
  // from here.
  void start_busy(Micros now) { mark_ = now; }
  // `bytes` arrived now (the peer had work in flight since the last call or
  // start_busy).
  void on_bytes(std::uint64_t bytes, Micros now);

  bool known() const { return known_; }
  double bytes_per_second() const { return rate_; }

 private:
  Micros mark_ = 0;
  std::uint64_t window_bytes_ = 0;
  Micros window_time_ = 0;
  double rate_ = 0;
  bool known_ = false;
};

}  // namespace edgehub::p2p::swarm
