#pragma once
// `get` in the interactive shell runs in the background, like UVF: the
// prompt comes back at once and the download's bar shows above it
// (docs/FILES.md#using-it). Downloads run one after another on a thread of
// their own, in the order asked for: each holds the server connection's
// turn, which it gives way between 16 MiB windows to the commands typed
// meanwhile. Batch mode does not use this: there `get` ends before the next
// line is read, so output keeps the input's order.
#include <atomic>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

namespace edgehub::client {

class ClientApp;

class BackgroundDownloads {
 public:
  explicit BackgroundDownloads(ClientApp& app) : app_(app) {}
  ~BackgroundDownloads() { stop(); }
  BackgroundDownloads(const BackgroundDownloads&) = delete;
  BackgroundDownloads& operator=(const BackgroundDownloads&) = delete;

  // Queues get NAME [-f]; says so. Refuses a name already queued or running.
  void start(const std::string& name, bool replace);
  // Logging out: the running download ends at its next window (its part is
  // kept for a resume), queued ones are dropped, said so. Waits for it.
  void stop();

 private:
  struct Job {
    std::string name;
    bool replace = false;
  };
  void work();

  ClientApp& app_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Job> queue_;
  std::optional<std::string> running_;
  bool closing_ = false;
  std::atomic<bool> stop_{false};
  std::thread worker_;  // started with the first download
};

}  // namespace edgehub::client
