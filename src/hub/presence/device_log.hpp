#pragma once
// edge-device-log.txt (README.md#the-server): "SEQ; TIMESTAMP; NAME; IP;
// UDPPORT" for each active device in login order, numbered from 1, rewritten
// atomically whenever presence changes. Rewrites run on a worker thread and
// coalesce: a burst of logins costs one or two rewrites, not one each, and the
// file always ends up matching the latest presence.
#include <atomic>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "hub/presence/directory.hpp"

namespace edgehub::hub {

std::string format_device_log(const std::vector<OnlineDevice>& devices);

class DeviceLog {
 public:
  using Snapshot = std::function<std::vector<OnlineDevice>()>;
  using Post = std::function<void(std::function<void()>)>;  // run on a worker

  DeviceLog(std::filesystem::path file, Snapshot snapshot, Post post);

  // Presence changed: make sure a rewrite happens after this call.
  void changed();
  // Writes synchronously now (start-up, shutdown).
  void write_now();

 private:
  void rewrite_until_clean();

  std::filesystem::path file_;
  Snapshot snapshot_;
  Post post_;
  std::atomic<bool> dirty_{false};
  std::atomic<bool> writer_running_{false};
};

}  // namespace edgehub::hub
