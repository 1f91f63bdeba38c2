#pragma once
// Security-log lines for abuse limits, aggregated so that a flood does not
// flood the log (docs/SECURITY.md#abuse-limits). The first refusal of a
// (limit, address) pair in a window is logged at once:
//   security: event=limit addr=192.0.2.7 user=- detail=per_address limit=64
// later ones in the same window are only counted, and flush() writes one
// summary per pair when the window ends:
//   security: event=limit addr=192.0.2.7 user=- detail=per_address limit=64 refused=5210 more in 10 s
// Past max_keys pairs in one window, new addresses are counted per limit
// and summarised with addr=- (so fail2ban's filter ignores that line).
// Thread-safe; the sink is called outside the lock.
#include <array>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/metrics/metrics.hpp"

namespace edgehub::hub {

enum class Limit : int {
  connect_rate,     // new connections per second from one address
  per_address,      // connections open from one address
  failed_logins,    // failed logins per minute from one address
  connections,      // connections in all (--max-clients)
  unauthenticated,  // connections not logged in yet, in all
  queued_bytes,     // bytes queued for output, across all connections
  tls_handshakes,   // TLS handshakes in progress, in all
  tls_rate,         // TLS handshakes begun per second, in all
};
inline constexpr int kLimitKinds = 8;
std::string_view limit_name(Limit limit);

class LimitLog {
 public:
  using Clock = std::chrono::steady_clock;
  using Sink = std::function<void(const std::string& line)>;

  // An empty sink logs with spdlog at level warning, like every security event.
  LimitLog(Clock::duration window, std::size_t max_keys, Sink sink = {});

  // A refusal by `limit`, whose value (what --flag says) is `value`.
  void hit(Limit limit, std::uint64_t value, std::string_view addr, Clock::time_point now);
  // Writes the summaries of a window that has ended.
  void flush(Clock::time_point now);

 private:
  struct Count {
    std::uint64_t value = 0;
    std::uint64_t more = 0;  // refusals after the first one of the window
  };
  std::vector<std::string> close_window(Clock::time_point now);  // with the lock held
  void emit(const std::vector<std::string>& lines) const;

  const Clock::duration window_;
  const std::size_t max_keys_;
  Sink sink_;
  std::mutex mutex_;
  Clock::time_point window_start_{};
  std::map<std::pair<int, std::string>, Count> counts_;
  Count overflow_[kLimitKinds];
  // edgehub_limits_hit_total{limit=...}, one per kind (docs/METRICS.md#every-metric).
  std::array<metrics::Counter*, kLimitKinds> hits_;
};

}  // namespace edgehub::hub
