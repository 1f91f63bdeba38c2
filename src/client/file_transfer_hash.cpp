#include "client/file_transfer_hash.hpp"

namespace edgehub::client {

BackgroundHash::BackgroundHash(Sha256 start, std::size_t max_queued)
    : hash_(std::move(start)), max_queued_(max_queued), thread_([this] { run(); }) {}

BackgroundHash::~BackgroundHash() {
  {
    std::lock_guard lock(mutex_);
    done_ = true;
  }
  changed_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void BackgroundHash::add(std::string block) {
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [&] { return queued_bytes_ < max_queued_; });
  queued_bytes_ += block.size();
  queue_.push_back(std::move(block));
  changed_.notify_all();
}

std::string BackgroundHash::finish() {
  {
    std::lock_guard lock(mutex_);
    done_ = true;
  }
  changed_.notify_all();
  thread_.join();
  return digest_hex(hash_.finish());
}

void BackgroundHash::run() {
  std::unique_lock lock(mutex_);
  for (;;) {
    changed_.wait(lock, [&] { return !queue_.empty() || done_; });
    if (queue_.empty()) return;  // done and drained
    std::string block = std::move(queue_.front());
    queue_.pop_front();
    lock.unlock();
    hash_.update(block);  // the only user of hash_ until the thread ends
    lock.lock();
    queued_bytes_ -= block.size();
    changed_.notify_all();
  }
}

}  // namespace edgehub::client
