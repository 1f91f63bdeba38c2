#pragma once
// Who has blocked whom (docs/MESSAGING.md#blocks): the in-memory mirror of the
// store's blocks table, loaded at start-up and changed only after the store has
// committed. Thread-safe; read on every presence notification and message, so
// reads take a shared lock, and none at all while nobody blocks anyone.
#include <atomic>
#include <cstdint>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

namespace edgehub::hub {

class BlockList {
 public:
  using Names = std::unordered_set<std::string>;

  using Pairs = std::vector<std::pair<std::string, std::string>>;  // blocker, blocked
  void load(const Pairs& blocker_blocked);
  // Counts every change (load, add, remove): a snapshot read from the
  // database while the count stayed the same may replace the list.
  std::uint64_t version() const;
  // load() if version() is still `version`; false if it changed meanwhile.
  bool load_if_unchanged(const Pairs& blocker_blocked, std::uint64_t version);
  // True if blocker has blocked blocked.
  bool blocks(const std::string& blocker, const std::string& blocked) const;
  bool add(const std::string& blocker, const std::string& blocked);     // false if already
  bool remove(const std::string& blocker, const std::string& blocked);  // false if not blocked
  // Everyone who has blocked `blocked`: one lock for a whole broadcast.
  Names blockers_of(const std::string& blocked) const;
  // Everyone blocker has blocked (a scan: for listings, not per message).
  std::vector<std::string> blocked_by(const std::string& blocker) const;
  std::size_t size() const { return count_.load(std::memory_order_relaxed); }

 private:
  void replace(const Pairs& blocker_blocked);  // under mutex_, held for writing

  mutable std::shared_mutex mutex_;
  std::unordered_map<std::string, Names> blocked_by_;  // blocked -> its blockers
  std::atomic<std::size_t> count_{0};
  std::uint64_t version_ = 0;  // under mutex_
};

}  // namespace edgehub::hub
