#pragma once
// A token bucket (docs/SECURITY.md#abuse-limits): holds up to `burst`
// tokens, refilled at `rate` per second; each event takes one. The rate and
// burst are passed in, not stored, so the thousands of buckets of the
// per-address table cost 16 bytes each. Pure: the caller gives the time, so
// the tests need no clock.
#include <algorithm>
#include <chrono>

namespace edgehub::hub {

class TokenBucket {
 public:
  using Clock = std::chrono::steady_clock;

  // A new bucket is full.
  TokenBucket(double burst, Clock::time_point now) : tokens_(burst), updated_(now) {}

  // Takes one token if there is one; false (nothing taken) otherwise.
  bool take(double rate, double burst, Clock::time_point now) {
    refill(rate, burst, now);
    if (tokens_ < 1.0) return false;
    tokens_ -= 1.0;
    return true;
  }
  // Whether take() would succeed now, without taking.
  bool available(double rate, double burst, Clock::time_point now) {
    refill(rate, burst, now);
    return tokens_ >= 1.0;
  }
  // Full again: nothing to remember about this bucket.
  bool full(double rate, double burst, Clock::time_point now) {
    refill(rate, burst, now);
    return tokens_ >= burst;
  }
  // How long until take() can succeed (zero if it can now).
  Clock::duration wait_time(double rate, double burst, Clock::time_point now) {
    refill(rate, burst, now);
    if (tokens_ >= 1.0 || rate <= 0) return {};
    return std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>((1.0 - tokens_) / rate));
  }

 private:
  void refill(double rate, double burst, Clock::time_point now) {
    if (now > updated_) {
      const double seconds = std::chrono::duration<double>(now - updated_).count();
      tokens_ = std::min(burst, tokens_ + seconds * rate);
      updated_ = now;
    }
  }

  double tokens_;
  Clock::time_point updated_;
};

}  // namespace edgehub::hub
