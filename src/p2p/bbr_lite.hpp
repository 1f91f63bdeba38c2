#pragma once
// A compact BBR-style congestion controller
// (docs/UDP.md#5-loss-detection-fast-retransmit-congestion-control). It models
// the path as bottleneck bandwidth x minimum RTT and paces at that rate, so
// random (non-congestive) loss costs only its retransmissions. Units: packets
// and packets per second. Pure; the caller passes time.
#include <cstdint>

#include "p2p/clock.hpp"
#include "p2p/max_filter.hpp"

namespace edgehub::p2p {

struct RateSample {
  double delivery_rate = 0;           // packets per second
  std::uint64_t prior_delivered = 0;  // delivered count when the packet was sent
  bool app_limited = false;
  bool valid = false;
};

struct AckEvent {
  std::uint32_t newly_delivered = 0;
  std::uint32_t newly_lost = 0;
  std::uint64_t delivered = 0;  // total so far
  std::uint32_t in_flight = 0;  // after this ACK
  RateSample rate;
  Micros rtt = 0;  // 0: no sample in this ACK
};

class BbrLite {
 public:
  enum class Mode { startup, drain, probe_bw };

  BbrLite();
  void on_ack(const AckEvent& e, Micros now);
  // Takes `bw` as its estimate and cruises at it, out of start-up: the share
  // of a path whose rate the transfers to the same peer measured (PathShares).
  void set_path_share(double bw, Micros min_rtt, Micros now);
  void on_rto();               // packet conservation until data is delivered again
  std::uint32_t cwnd() const;  // packets
  double pacing_rate() const;  // packets per second
  Mode mode() const { return mode_; }
  double bottleneck_bw() const { return bw_.get(); }
  Micros min_rtt() const { return min_rtt_; }

 private:
  void update_round(const AckEvent& e);
  void update_min_rtt(Micros rtt, Micros now);
  void check_full_bw(const AckEvent& e);
  void check_loss_bound();
  void advance_mode(const AckEvent& e, Micros now);
  double bdp() const;

  MaxFilter bw_{10};
  Mode mode_ = Mode::startup;
  Micros min_rtt_ = kNever;
  Micros min_rtt_stamp_ = 0;
  std::uint64_t round_ = 0, next_round_delivered_ = 0;
  bool round_start_ = false;
  double full_bw_ = 0;
  int full_bw_rounds_ = 0;
  unsigned cycle_index_ = 0;
  Micros cycle_stamp_ = 0;
  std::uint64_t round_lost_ = 0, round_delivered_ = 0;
  bool in_rto_recovery_ = false;
};

}  // namespace edgehub::p2p
