#include "client/files/download_sink.hpp"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <utility>

namespace edgehub::client {
namespace {

constexpr std::size_t kSlabSize = 1 << 20;  // the server's block size: one block, one write
constexpr std::size_t kSlabCount = 8;
constexpr std::size_t kScratchSize = 64 << 10;

// "" or why the write failed.
std::string write_all(int fd, const char* data, std::size_t size) {
  while (size > 0) {
    const ssize_t n = ::write(fd, data, size);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return std::strerror(errno);
    data += n;
    size -= static_cast<std::size_t>(n);
  }
  return {};
}

}  // namespace

DownloadSink::DownloadSink() : slabs_(kSlabCount), scratch_(kScratchSize) {
  for (auto& slab : slabs_) {
    slab.bytes = std::make_unique_for_overwrite<char[]>(kSlabSize);
    free_.push_back(&slab);
  }
  writer_ = std::thread([this] { write_slabs(); });
  hasher_ = std::thread([this] { hash_slabs(); });
}

DownloadSink::~DownloadSink() {
  discard();  // what is still queued is neither written nor hashed
  {
    std::lock_guard lock(mutex_);
    finishing_ = true;
  }
  changed_.notify_all();
  if (writer_.joinable()) writer_.join();
  if (hasher_.joinable()) hasher_.join();
}

void DownloadSink::start(int fd, Sha256 prefix, std::uint64_t expected) {
  {
    std::lock_guard lock(mutex_);
    if (state_ != State::Waiting) return;
    fd_ = fd;
    hash_ = std::move(prefix);
    allowed_ = expected;
    state_ = State::Writing;
  }
  changed_.notify_all();
}

void DownloadSink::discard() {
  {
    std::lock_guard lock(mutex_);
    state_ = State::Discarding;
  }
  changed_.notify_all();
}

bool DownloadSink::wait_written(std::uint64_t bytes) {
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [&] { return written() >= bytes || (to_write_.empty() && !writing_slab_); });
  return written() >= bytes;
}

std::optional<std::uint64_t> DownloadSink::take_window_mark() {
  std::lock_guard lock(mutex_);
  if (window_marks_.empty()) return std::nullopt;
  const std::uint64_t mark = window_marks_.front();
  window_marks_.pop_front();
  return mark;
}

std::optional<std::string> DownloadSink::write_error() const {
  std::lock_guard lock(mutex_);
  if (write_error_.empty()) return std::nullopt;
  return write_error_;
}

std::string DownloadSink::finish() {
  {
    std::lock_guard lock(mutex_);
    finishing_ = true;
  }
  changed_.notify_all();
  writer_.join();
  hasher_.join();
  discard();  // nothing written after the digest; a stray block is dropped
  return digest_hex(hash_.finish());
}

std::span<char> DownloadSink::room(std::size_t want) {
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [&] {
    return state_ == State::Discarding || (state_ == State::Writing && (current_ || !free_.empty() || allowed_ == 0));
  });
  into_scratch_ = state_ != State::Writing || allowed_ == 0;
  if (into_scratch_) return {scratch_.data(), std::min(want, scratch_.size())};
  if (!current_) {
    current_ = free_.back();
    free_.pop_back();
  }
  const auto n = std::min<std::uint64_t>({want, allowed_, kSlabSize - current_->used});
  return {current_->bytes.get() + current_->used, static_cast<std::size_t>(n)};
}

void DownloadSink::filled(std::size_t n) {
  offered_ += n;
  if (into_scratch_) return;
  current_->used += n;
  allowed_ -= n;
  if (current_->used == kSlabSize) submit();
}

void DownloadSink::block_end() {
  if (current_ && current_->used > 0) submit();
}

void DownloadSink::window_end() {
  std::lock_guard lock(mutex_);
  window_marks_.push_back(offered_);
}

// Queues the current slab for the writer and the hasher; a slab that is
// not wanted any more goes straight back.
void DownloadSink::submit() {
  Slab* slab = std::exchange(current_, nullptr);
  {
    std::lock_guard lock(mutex_);
    if (state_ == State::Writing) {
      slab->pending = 2;
      to_write_.push_back(slab);
      to_hash_.push_back(slab);
    } else {
      slab->used = 0;
      free_.push_back(slab);
    }
  }
  changed_.notify_all();
}

void DownloadSink::done_with(Slab* slab) {
  if (--slab->pending > 0) return;
  slab->used = 0;
  free_.push_back(slab);
}

void DownloadSink::write_slabs() {
  serve(to_write_, writing_slab_, [this](const Slab& slab) {
    std::string error = write_all(fd_, slab.bytes.get(), slab.used);
    if (error.empty()) written_.fetch_add(slab.used, std::memory_order_release);
    return error;
  });
}

void DownloadSink::hash_slabs() {
  serve(to_hash_, hashing_slab_, [this](const Slab& slab) {
    hash_.update(slab.bytes.get(), slab.used);  // only this thread uses hash_ meanwhile
    return std::string();
  });
}

// The writer's and the hasher's loop: slabs from the queue, in order, while
// the download is wanted, until finishing and drained. work runs outside
// the lock and returns "" or why the download cannot go on.
void DownloadSink::serve(std::deque<Slab*>& queue, bool& busy, const std::function<std::string(const Slab&)>& work) {
  std::unique_lock lock(mutex_);
  for (;;) {
    changed_.wait(lock, [&] { return !queue.empty() || finishing_; });
    if (queue.empty()) return;
    Slab* slab = queue.front();
    queue.pop_front();
    const bool wanted = state_ == State::Writing;
    busy = true;
    lock.unlock();
    const std::string error = wanted ? work(*slab) : std::string();
    lock.lock();
    busy = false;
    if (!error.empty()) {
      if (write_error_.empty()) write_error_ = error;
      state_ = State::Discarding;
    }
    done_with(slab);
    changed_.notify_all();
  }
}

}  // namespace edgehub::client
