#include "hub/auth/lockout.hpp"

namespace edgehub::hub {

Lockout::Lockout(int max_attempts, std::chrono::seconds block_time, std::size_t max_entries)
    : max_attempts_(max_attempts), block_time_(block_time), max_entries_(max_entries) {}

void Lockout::reconfigure(int max_attempts, std::chrono::seconds block_time) {
  max_attempts_.store(max_attempts, std::memory_order_relaxed);
  block_time_.store(block_time, std::memory_order_relaxed);
}

Lockout::Clock::duration Lockout::blocked_for(const std::string& name, Clock::time_point now) {
  std::lock_guard lock(mutex_);
  const auto it = entries_.find(name);
  if (it == entries_.end() || it->second.blocked_until == Clock::time_point{}) return {};
  if (now < it->second.blocked_until) return it->second.blocked_until - now;
  entries_.erase(it);  // the block has run out: start counting afresh
  return {};
}

std::string seconds_phrase(Lockout::Clock::duration d) {
  // Rounded up: "try again in 0 seconds" would be wrong for the last 0.9 s.
  const auto s = std::chrono::ceil<std::chrono::seconds>(d).count();
  return s == 1 ? "1 second" : std::to_string(s) + " seconds";
}

Lockout::Outcome Lockout::record_failure(const std::string& name, Clock::time_point now) {
  std::lock_guard lock(mutex_);
  evict_if_full(now);
  Entry& e = entries_[name];
  if (++e.failures < max_attempts_.load(std::memory_order_relaxed)) return Outcome::TryAgain;
  e.failures = 0;
  e.blocked_until = now + block_time();
  return Outcome::NowBlocked;
}

void Lockout::record_success(const std::string& name) {
  std::lock_guard lock(mutex_);
  entries_.erase(name);
}

void Lockout::evict_if_full(Clock::time_point now) {
  if (entries_.size() < max_entries_) return;
  for (auto it = entries_.begin(); it != entries_.end();) {
    const bool blocked = now < it->second.blocked_until;
    it = blocked ? std::next(it) : entries_.erase(it);
  }
}

}  // namespace edgehub::hub
