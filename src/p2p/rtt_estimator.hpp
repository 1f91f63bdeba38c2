#pragma once
// Smoothed RTT and retransmission timeout in the manner of RFC 6298, sections 2
// and 5 (docs/UDP.md#4-rtt-and-retransmission-timeout-rfc-6298).
#include "p2p/clock.hpp"

namespace edgehub::p2p {

class RttEstimator {
 public:
  RttEstimator(Micros initial_rto, Micros min_rto, Micros max_rto);

  void on_sample(Micros rtt);  // also clears the backoff (RFC 6298 5.7 note)
  void on_timeout();           // doubles the RTO (5.5), up to the maximum

  Micros rto() const;
  bool has_sample() const { return has_sample_; }
  Micros srtt() const { return srtt_; }
  Micros rttvar() const { return rttvar_; }
  Micros latest() const { return latest_; }

 private:
  Micros initial_rto_, min_rto_, max_rto_;
  Micros srtt_ = 0, rttvar_ = 0, latest_ = 0;
  unsigned backoff_ = 0;
  bool has_sample_ = false;
};

}  // namespace edgehub::p2p
