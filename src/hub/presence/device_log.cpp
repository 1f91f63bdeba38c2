#include "hub/presence/device_log.hpp"

#include <spdlog/spdlog.h>

#include <fmt/format.h>

#include "common/atomic_file.hpp"

namespace edgehub::hub {

std::string format_device_log(const std::vector<OnlineDevice>& devices) {
  std::string out;
  std::size_t seq = 0;
  for (const auto& d : devices)
    out += fmt::format("{}; {}; {}; {}; {}\n", ++seq, format_log_time(d.since), d.name, d.ip, d.udp_port);
  return out;
}

DeviceLog::DeviceLog(std::filesystem::path file, Snapshot snapshot, Post post)
    : file_(std::move(file)), snapshot_(std::move(snapshot)), post_(std::move(post)) {}

void DeviceLog::changed() {
  dirty_.store(true);
  // Only one writer at a time; a writer that is running will see dirty_.
  if (!writer_running_.exchange(true)) post_([this] { rewrite_until_clean(); });
}

void DeviceLog::write_now() {
  try {
    write_file_atomically(file_, format_device_log(snapshot_()));
  } catch (const std::exception& e) {
    spdlog::error("device log: {}", e.what());
  }
}

void DeviceLog::rewrite_until_clean() {
  for (;;) {
    while (dirty_.exchange(false)) write_now();
    writer_running_.store(false);
    // A change that landed after the last exchange but before the store
    // above found the writer still running: take the job back if needed.
    if (!dirty_.load() || writer_running_.exchange(true)) return;
  }
}

}  // namespace edgehub::hub
