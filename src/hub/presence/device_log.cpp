#include "hub/presence/device_log.hpp"

#include <spdlog/spdlog.h>

#include <fmt/format.h>

#include "common/atomic_file.hpp"

namespace edgehub::hub {

DeviceLogText format_device_log(const LoggedDevices& devices) {
  DeviceLogText out;
  out.reserve(devices.size() * 64);
  std::size_t seq = 0;
  for (const auto& d : devices)
    fmt::format_to(std::back_inserter(out), "{}; {}; {}; {}; {}\n", ++seq, format_log_time(d.since), d.name, d.ip,
                   d.udp_port);
  return out;
}

DeviceLog::DeviceLog(std::filesystem::path file, Snapshot snapshot, PostAfter post_after, Clock::duration min_interval,
                     Now now)
    : file_(std::move(file)),
      snapshot_(std::move(snapshot)),
      post_after_(std::move(post_after)),
      min_interval_(min_interval),
      now_(std::move(now)) {}

void DeviceLog::changed() {
  dirty_.store(true);
  // Only one writer at a time; a writer that is running will see dirty_.
  if (!writer_running_.exchange(true)) post_after_(Clock::duration::zero(), [this] { write_when_allowed(); });
}

void DeviceLog::write_now() {
  try {
    write_file_atomically(file_, format_device_log(snapshot_()));
  } catch (const std::exception& e) {
    spdlog::error("device log: {}", e.what());
  }
}

void DeviceLog::write_when_allowed() {
  for (;;) {
    const auto wait = next_write_ - now_();
    if (wait > Clock::duration::zero()) return post_after_(wait, [this] { write_when_allowed(); });
    dirty_.store(false);  // a change from here on is seen below
    write_now();
    next_write_ = now_() + min_interval_;
    writer_running_.store(false);
    // A change that landed after dirty_ was cleared found the writer still
    // running: take the job back if nobody else has.
    if (!dirty_.load() || writer_running_.exchange(true)) return;
  }
}

}  // namespace edgehub::hub
