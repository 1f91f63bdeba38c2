#pragma once
// SHA-256 on a thread of its own, so that hashing a download overlaps
// receiving and writing it. Blocks are handed over (moved, not copied) in
// order; at most max_queued bytes wait, so memory stays bounded when the
// hash is the slowest stage.
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>
#include <string>
#include <thread>

#include "common/sha256.hpp"

namespace edgehub::client {

class BackgroundHash {
 public:
  // start: the hash of what precedes the blocks (a resumed prefix).
  BackgroundHash(Sha256 start, std::size_t max_queued);
  ~BackgroundHash();
  BackgroundHash(const BackgroundHash&) = delete;
  BackgroundHash& operator=(const BackgroundHash&) = delete;

  void add(std::string block);  // waits while max_queued bytes are queued
  std::string finish();         // hex digest of everything added; once

 private:
  void run();

  Sha256 hash_;
  const std::size_t max_queued_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<std::string> queue_;
  std::size_t queued_bytes_ = 0;
  bool done_ = false;
  std::thread thread_;  // last: starts once the rest is ready
};

}  // namespace edgehub::client
