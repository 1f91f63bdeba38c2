#pragma once
// The pieces of a progress line (docs/CLIENT.md#progress-bars): sizes and
// durations as people read them, the line itself for a given width, and the
// recent rate. Pure, with the time passed in, so they are testable.
#include <chrono>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace edgehub::client {

std::string format_bytes(std::uint64_t bytes);  // "512 B", "1.5 KiB", "4.0 MiB"
std::string format_duration(double seconds);    // "0:04", "1:02:03"; "--:--" if unknown

// One line at most width columns, e.g.
// "get big.iso  42% [#######.........]  4.2 MiB/10.0 MiB  1.3 MiB/s  ETA 0:04".
// total 0 means unknown: "get big.iso  4.2 MiB  1.3 MiB/s". Parts are dropped
// (bar, ETA, rate) as the width shrinks.
std::string render_progress(std::string_view what, std::uint64_t done, std::uint64_t total, double rate, int width);

// Rate over the last few seconds, and whether a redraw is due. Time is
// passed in, so it is testable.
class ProgressMeter {
 public:
  using Clock = std::chrono::steady_clock;
  static constexpr auto kRedrawEvery = std::chrono::milliseconds(100);

  // Records done at now; true if a redraw is due (the first time, then at
  // most once per kRedrawEvery).
  bool update(std::uint64_t done, Clock::time_point now);
  double rate() const;  // bytes per second, 0 until two samples exist

 private:
  std::deque<std::pair<Clock::time_point, std::uint64_t>> samples_;
  std::optional<Clock::time_point> last_draw_;
};

}  // namespace edgehub::client
