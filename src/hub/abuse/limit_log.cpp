#include "hub/abuse/limit_log.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "common/metrics/catalog.hpp"
#include "hub/auth/security_log.hpp"

namespace edgehub::hub {
namespace {

std::string detail(Limit limit, std::uint64_t value) { return fmt::format("{} limit={}", limit_name(limit), value); }

}  // namespace

std::string_view limit_name(Limit limit) {
  switch (limit) {
    case Limit::connect_rate:
      return "connect_rate";
    case Limit::per_address:
      return "per_address";
    case Limit::failed_logins:
      return "failed_logins";
    case Limit::connections:
      return "connections";
    case Limit::unauthenticated:
      return "unauthenticated";
    case Limit::queued_bytes:
      return "queued_bytes";
    case Limit::tls_handshakes:
      return "tls_handshakes";
    case Limit::tls_rate:
      return "tls_rate";
  }
  return "unknown";
}

LimitLog::LimitLog(Clock::duration window, std::size_t max_keys, Sink sink)
    : window_(window), max_keys_(max_keys), sink_(std::move(sink)) {
  for (int kind = 0; kind < kLimitKinds; ++kind)
    hits_[kind] = &metrics::limit_counter(limit_name(static_cast<Limit>(kind)));
  if (!sink_) sink_ = [](const std::string& line) { spdlog::warn("{}", line); };
}

void LimitLog::hit(Limit limit, std::uint64_t value, std::string_view addr, Clock::time_point now) {
  hits_[static_cast<int>(limit)]->inc();
  std::vector<std::string> lines;
  {
    std::lock_guard lock(mutex_);
    if (now - window_start_ >= window_) lines = close_window(now);
    const auto key = std::make_pair(static_cast<int>(limit), std::string(addr));
    const auto it = counts_.find(key);
    if (it != counts_.end()) {
      ++it->second.more;
    } else if (counts_.size() >= max_keys_) {
      Count& over = overflow_[static_cast<int>(limit)];
      over.value = value;
      ++over.more;
    } else {
      counts_.emplace(key, Count{value, 0});
      lines.push_back(security_line(SecurityEvent::limit, addr, {}, detail(limit, value)));
    }
  }
  emit(lines);
}

void LimitLog::flush(Clock::time_point now) {
  std::vector<std::string> lines;
  {
    std::lock_guard lock(mutex_);
    if (window_start_ == Clock::time_point{} || now - window_start_ < window_) return;
    lines = close_window(now);
  }
  emit(lines);
}

std::vector<std::string> LimitLog::close_window(Clock::time_point now) {
  std::vector<std::string> lines;
  const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(now - window_start_).count();
  for (const auto& [key, count] : counts_) {
    if (count.more == 0) continue;
    const std::string text = fmt::format("{} refused={} more in {} s",
                                         detail(static_cast<Limit>(key.first), count.value), count.more, seconds);
    lines.push_back(security_line(SecurityEvent::limit, key.second, {}, text));
  }
  for (int kind = 0; kind < kLimitKinds; ++kind) {
    Count& over = overflow_[kind];
    if (over.more == 0) continue;
    const std::string text = fmt::format("{} refused={} from other addresses in {} s",
                                         detail(static_cast<Limit>(kind), over.value), over.more, seconds);
    lines.push_back(security_line(SecurityEvent::limit, {}, {}, text));
    over = {};
  }
  counts_.clear();
  window_start_ = now;
  return lines;
}

void LimitLog::emit(const std::vector<std::string>& lines) const {
  for (const auto& line : lines) sink_(line);
}

}  // namespace edgehub::hub
