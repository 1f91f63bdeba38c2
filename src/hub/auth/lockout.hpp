#pragma once
// Failed-login accounting per username, from any address
// (docs/PROTOCOL.md#5-logging-in).
// Unknown names are counted exactly like known ones, so the answers reveal
// nothing. Thread-safe. The table is bounded: past max_entries, names that
// are not currently blocked are forgotten first. A SIGHUP may change the
// attempts and the block time (reconfigure); failures counted stay.
#include <atomic>
#include <chrono>
#include <mutex>
#include <string>
#include <unordered_map>

namespace edgehub::hub {

class Lockout {
 public:
  using Clock = std::chrono::steady_clock;
  enum class Outcome { TryAgain, NowBlocked };

  Lockout(int max_attempts, std::chrono::seconds block_time, std::size_t max_entries = 100'000);

  bool is_blocked(const std::string& name, Clock::time_point now) { return blocked_for(name, now) > Clock::duration{}; }
  // How long name's block still lasts; zero when not blocked. The refusal
  // tells the user (docs/PROTOCOL.md#5-logging-in).
  Clock::duration blocked_for(const std::string& name, Clock::time_point now);
  std::chrono::seconds block_time() const { return block_time_.load(std::memory_order_relaxed); }
  // From the next failure on; blocks already set keep their end.
  void reconfigure(int max_attempts, std::chrono::seconds block_time);
  Outcome record_failure(const std::string& name, Clock::time_point now);
  void record_success(const std::string& name);
  // `edgehubd user unlock`: forgets the failures and lifts a block.
  void unlock(const std::string& name) { record_success(name); }

 private:
  struct Entry {
    int failures = 0;
    Clock::time_point blocked_until{};
  };
  void evict_if_full(Clock::time_point now);

  std::atomic<int> max_attempts_;
  std::atomic<std::chrono::seconds> block_time_;
  const std::size_t max_entries_;
  std::mutex mutex_;
  std::unordered_map<std::string, Entry> entries_;
};

// "10 seconds", "1 second": a duration as the lockout replies say it,
// rounded up to whole seconds.
std::string seconds_phrase(Lockout::Clock::duration d);

}  // namespace edgehub::hub
