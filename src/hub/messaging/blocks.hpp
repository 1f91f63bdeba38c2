#pragma once
// Who has blocked whom (docs/MESSAGING.md#blocks): the in-memory mirror of the
// store's blocks table, loaded at start-up and changed only after the store has
// committed. Thread-safe; read on every presence notification and message, so
// reads take a shared lock, and none at all while nobody blocks anyone.
#include <atomic>
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

  void load(const std::vector<std::pair<std::string, std::string>>& blocker_blocked);
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
  mutable std::shared_mutex mutex_;
  std::unordered_map<std::string, Names> blocked_by_;  // blocked -> its blockers
  std::atomic<std::size_t> count_{0};
};

}  // namespace edgehub::hub
