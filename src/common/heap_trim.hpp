#pragma once
// Gives the heap's free pages back to the kernel once a burst of
// connections and logins is over (docs/BENCHMARKS.md#memory-per-device).
// A burst allocates and frees per-login buffers between the objects that
// stay; glibc keeps the freed pages, in every arena, until malloc_trim
// returns them (it releases whole free pages inside each arena, not only
// the top). After 19,500 logins that was ~100 B per device of RSS. The
// policy trims once the churn stops, never more often than min_gap: a
// steady trickle of logins does not pay for a trim per login.
#include <chrono>
#include <cstdint>

namespace edgehub {

class HeapTrimPolicy {
 public:
  using Clock = std::chrono::steady_clock;
  explicit HeapTrimPolicy(std::uint64_t min_churn = 1000, Clock::duration quiet = std::chrono::seconds(1),
                          Clock::duration min_gap = std::chrono::seconds(10))
      : min_churn_(min_churn), quiet_(quiet), min_gap_(min_gap) {}

  // churn: a running count of events that allocate and free per-device
  // memory (connections opened and closed, logins, logouts). True: trim now
  // (at least min_churn events since the last trim, none for `quiet`, and
  // min_gap since the last trim).
  bool should_trim(std::uint64_t churn, Clock::time_point now);

 private:
  const std::uint64_t min_churn_;
  const Clock::duration quiet_;
  const Clock::duration min_gap_;
  std::uint64_t seen_ = 0;  // churn at the last call
  Clock::time_point changed_{};
  std::uint64_t at_last_trim_ = 0;
  Clock::time_point last_trim_{};
  bool trimmed_ = false;
};

// malloc_trim(0). Returns the bytes of RSS it gave back (from
// /proc/self/statm; 0 if unknown or none).
std::int64_t trim_heap();

}  // namespace edgehub
