#include "p2p/swarm/peer_rate.hpp"

namespace edgehub::p2p::swarm {

void RateMeter::on_bytes(std::uint64_t bytes, Micros now) {
  window_bytes_ += bytes;
  window_time_ += now > mark_ ? now - mark_ : 0;
  mark_ = now;
  // The first sample is taken at once (after the probe's first chunk) so that
  // a new peer's second request is already sized by rate.
  if (window_time_ == 0 || (known_ && window_time_ < kMinWindow)) return;
  const double sample = static_cast<double>(window_bytes_) * 1e6 / static_cast<double>(window_time_);
  rate_ = known_ ? rate_ + kWeight * (sample - rate_) : sample;
  known_ = true;
  window_bytes_ = 0;
  window_time_ = 0;
}

}  // namespace edgehub::p2p::swarm
