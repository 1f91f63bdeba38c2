#pragma once
// Windowed maximum over the last `window` rounds (BBR's BtlBw filter): a
// monotonic deque, O(1) amortised per update, exact.
#include <cstdint>
#include <deque>
#include <utility>

namespace edgehub::p2p {

class MaxFilter {
 public:
  explicit MaxFilter(std::uint64_t window) : window_(window) {}

  void update(std::uint64_t round, double value) {
    while (!q_.empty() && q_.back().second <= value) q_.pop_back();
    q_.emplace_back(round, value);
    while (q_.front().first + window_ <= round) q_.pop_front();
  }
  double get() const { return q_.empty() ? 0.0 : q_.front().second; }
  // Forgets every sample but this one.
  void reset(std::uint64_t round, double value) {
    q_.clear();
    q_.emplace_back(round, value);
  }
  // Lowers every remembered sample, e.g. after a lossy round.
  void scale(double factor) {
    for (auto& e : q_) e.second *= factor;
  }

 private:
  std::uint64_t window_;
  std::deque<std::pair<std::uint64_t, double>> q_;
};

}  // namespace edgehub::p2p
