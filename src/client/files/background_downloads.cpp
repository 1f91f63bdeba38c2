#include "client/files/background_downloads.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "client/core/client_app.hpp"
#include "client/files/file_transfer_download.hpp"

namespace edgehub::client {

void BackgroundDownloads::start(const std::string& name, bool replace) {
  std::lock_guard lock(mutex_);
  const bool queued = std::any_of(queue_.begin(), queue_.end(), [&](const Job& j) { return j.name == name; });
  if (queued || running_ == name) return app_.out().error(fmt::format("get {} is already running", name));
  if (closing_) return app_.out().error(fmt::format("get {}: logging out", name));
  const std::string after = running_ ? fmt::format(" (after {})", queue_.empty() ? *running_ : queue_.back().name) : "";
  queue_.push_back({name, replace});
  app_.out().info("get_started", fmt::format("Downloading {} in the background{}", name, after));
  if (!worker_.joinable()) worker_ = std::thread([this] { work(); });
  wake_.notify_one();
}

void BackgroundDownloads::work() {
  std::unique_lock lock(mutex_);
  for (;;) {
    wake_.wait(lock, [this] { return closing_ || !queue_.empty(); });
    if (closing_) return;
    const Job job = std::move(queue_.front());
    queue_.pop_front();
    running_ = job.name;
    lock.unlock();
    try {
      download_file(app_, job.name, job.replace, &stop_);
    } catch (const std::exception& e) {
      app_.out().error(fmt::format("get {}: {}", job.name, e.what()));
    }
    lock.lock();
    running_.reset();
  }
}

void BackgroundDownloads::stop() {
  {
    std::lock_guard lock(mutex_);
    closing_ = true;
    stop_ = true;
    for (const auto& job : queue_) app_.out().error(fmt::format("get {} was not started (logging out)", job.name));
    queue_.clear();
    wake_.notify_one();
  }
  if (worker_.joinable()) worker_.join();
}

}  // namespace edgehub::client
