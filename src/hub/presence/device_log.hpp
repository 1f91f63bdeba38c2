#pragma once
// edge-device-log.txt (README.md#the-server): "SEQ; TIMESTAMP; NAME; IP;
// UDPPORT" for each active device in login order, numbered from 1, rewritten
// atomically whenever presence changes. Rewrites run on a worker thread,
// coalesce, and start at most once per min_interval: a login storm of 20,000
// devices would otherwise rewrite the whole file back to back, each rewrite a
// copy of the directory, and take ~40 % of the server's CPU
// (docs/BENCHMARKS.md#memory-per-device). The file always ends up matching
// the latest presence, at most min_interval (plus one rewrite) behind it.
#include <atomic>
#include <chrono>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "hub/presence/directory.hpp"

namespace edgehub::hub {

// The file's text, in pages of its own like the snapshot.
using DeviceLogText = std::basic_string<char, std::char_traits<char>, PageAllocator<char>>;
DeviceLogText format_device_log(const LoggedDevices& devices);

class DeviceLog {
 public:
  using Clock = std::chrono::steady_clock;
  using Snapshot = std::function<LoggedDevices()>;
  // Runs the job on a worker once `delay` has passed (zero: at once).
  using PostAfter = std::function<void(Clock::duration delay, std::function<void()> job)>;
  using Now = std::function<Clock::time_point()>;
  static constexpr Clock::duration kMinInterval = std::chrono::milliseconds(250);

  DeviceLog(std::filesystem::path file, Snapshot snapshot, PostAfter post_after,
            Clock::duration min_interval = kMinInterval, Now now = &Clock::now);

  // Presence changed: make sure a rewrite starts after this call.
  void changed();
  // Writes synchronously now (start-up).
  void write_now();

 private:
  // Runs only while holding writer_running_, so next_write_ needs no lock.
  void write_when_allowed();

  std::filesystem::path file_;
  Snapshot snapshot_;
  PostAfter post_after_;
  const Clock::duration min_interval_;
  Now now_;
  Clock::time_point next_write_{};
  std::atomic<bool> dirty_{false};
  std::atomic<bool> writer_running_{false};
};

}  // namespace edgehub::hub
