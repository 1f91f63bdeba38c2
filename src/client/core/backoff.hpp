#pragma once
// The waits between reconnect attempts (docs/CLIENT.md#when-the-server-goes-away):
// 0.5 s, doubling up to 10 s, each drawn from 75-125 % of that so that many
// clients cut off by one server restart do not all come back in the same
// instant. Pure: the caller sleeps, and passes the random draw in [0, 1).
#include <algorithm>
#include <chrono>

namespace edgehub::client {

class Backoff {
 public:
  using Duration = std::chrono::milliseconds;
  static constexpr Duration kFirst{500};
  static constexpr Duration kMost{10'000};

  // The next wait; `unit` is a random number in [0, 1).
  Duration next(double unit) {
    const auto base = current_;
    current_ = std::min(current_ * 2, kMost);
    const double factor = 0.75 + 0.5 * std::clamp(unit, 0.0, 1.0);
    return Duration{static_cast<Duration::rep>(static_cast<double>(base.count()) * factor)};
  }

 private:
  Duration current_ = kFirst;
};

}  // namespace edgehub::client
