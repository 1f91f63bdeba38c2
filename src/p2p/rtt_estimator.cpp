#include "p2p/rtt_estimator.hpp"

#include <algorithm>

namespace edgehub::p2p {
namespace {
constexpr Micros kGranularity = 1 * kMillis;  // G of RFC 6298
}

RttEstimator::RttEstimator(Micros initial_rto, Micros min_rto, Micros max_rto)
    : initial_rto_(initial_rto), min_rto_(min_rto), max_rto_(max_rto) {}

void RttEstimator::on_sample(Micros rtt) {
  latest_ = rtt;
  backoff_ = 0;
  if (!has_sample_) {
    srtt_ = rtt;
    rttvar_ = rtt / 2;
    has_sample_ = true;
    return;
  }
  Micros diff = srtt_ > rtt ? srtt_ - rtt : rtt - srtt_;
  rttvar_ = (3 * rttvar_ + diff) / 4;
  srtt_ = (7 * srtt_ + rtt) / 8;
}

void RttEstimator::on_timeout() {
  if (rto() < max_rto_) ++backoff_;
}

Micros RttEstimator::rto() const {
  Micros base = has_sample_ ? srtt_ + std::max(kGranularity, 4 * rttvar_) : initial_rto_;
  base = std::clamp(base, min_rto_, max_rto_);
  for (unsigned i = 0; i < backoff_ && base < max_rto_; ++i) base *= 2;
  return std::min(base, max_rto_);
}

}  // namespace edgehub::p2p
