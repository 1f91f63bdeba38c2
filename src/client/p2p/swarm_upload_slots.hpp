#pragma once
// The seeder's upload slots (docs/SWARM.md#5-downloader-and-seeder): at most
// `capacity` chunk requests are served at once (--swarm-upload-slots), and
// they are shared fairly between downloaders. A request that finds every
// slot taken (or others already waiting) is queued; each slot that frees up
// goes to the waiting downloader holding the fewest slots (round-robin among
// equals), so a downloader that
// asks for many chunks at once cannot starve one that asks for few. A
// downloader's queue is bounded; past it the request is refused as busy.
// Requests are opaque keys chosen by the caller. Pure, not thread-safe (the
// client's I/O thread).
#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace edgehub::client::swarm {

class UploadSlots {
 public:
  static constexpr std::size_t kDefaultCapacity = 8;
  static constexpr std::size_t kMaxQueuedPerDownloader = 256;

  enum class Admission { start, queued, busy };

  explicit UploadSlots(std::size_t capacity = kDefaultCapacity) : capacity_(capacity == 0 ? 1 : capacity) {}

  // start: a slot is taken for the request; queued: it waits for one (see
  // release); busy: refused, the downloader's queue is full.
  Admission admit(const std::string& downloader, std::uint64_t request);
  // An upload of `downloader` ended: its slot goes to the next request in
  // turn, if any, which is returned (its slot already taken).
  struct Next {
    std::string downloader;
    std::uint64_t request = 0;
  };
  std::optional<Next> release(const std::string& downloader);
  // Removes a queued request (given up or cancelled); false if not queued.
  bool unqueue(const std::string& downloader, std::uint64_t request);

  std::size_t in_use() const { return in_use_; }
  std::size_t held_by(const std::string& downloader) const;
  std::size_t queued() const;
  std::size_t capacity() const { return capacity_; }

 private:
  std::size_t capacity_;
  std::size_t in_use_ = 0;
  std::map<std::string, std::size_t> held_;
  std::map<std::string, std::deque<std::uint64_t>> queues_;  // only non-empty queues
  std::string last_served_;                                  // round-robin position
};

}  // namespace edgehub::client::swarm
