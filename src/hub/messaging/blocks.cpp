#include "hub/messaging/blocks.hpp"

#include <algorithm>

#include <mutex>

namespace edgehub::hub {

void BlockList::load(const Pairs& blocker_blocked) {
  std::unique_lock lock(mutex_);
  replace(blocker_blocked);
}

bool BlockList::load_if_unchanged(const Pairs& blocker_blocked, std::uint64_t version) {
  std::unique_lock lock(mutex_);
  if (version_ != version) return false;
  replace(blocker_blocked);
  return true;
}

std::uint64_t BlockList::version() const {
  std::shared_lock lock(mutex_);
  return version_;
}

void BlockList::replace(const Pairs& blocker_blocked) {
  blocked_by_.clear();
  std::size_t n = 0;
  for (const auto& [blocker, blocked] : blocker_blocked) n += blocked_by_[blocked].insert(blocker).second ? 1 : 0;
  count_.store(n);
  ++version_;
}

bool BlockList::blocks(const std::string& blocker, const std::string& blocked) const {
  if (count_.load(std::memory_order_acquire) == 0) return false;
  std::shared_lock lock(mutex_);
  const auto it = blocked_by_.find(blocked);
  return it != blocked_by_.end() && it->second.count(blocker) > 0;
}

bool BlockList::add(const std::string& blocker, const std::string& blocked) {
  std::unique_lock lock(mutex_);
  if (!blocked_by_[blocked].insert(blocker).second) return false;
  count_.fetch_add(1, std::memory_order_release);
  ++version_;
  return true;
}

bool BlockList::remove(const std::string& blocker, const std::string& blocked) {
  std::unique_lock lock(mutex_);
  const auto it = blocked_by_.find(blocked);
  if (it == blocked_by_.end() || it->second.erase(blocker) == 0) return false;
  if (it->second.empty()) blocked_by_.erase(it);
  count_.fetch_sub(1, std::memory_order_release);
  ++version_;
  return true;
}

BlockList::Names BlockList::blockers_of(const std::string& blocked) const {
  if (count_.load(std::memory_order_acquire) == 0) return {};
  std::shared_lock lock(mutex_);
  const auto it = blocked_by_.find(blocked);
  return it == blocked_by_.end() ? Names{} : it->second;
}

std::vector<std::string> BlockList::blocked_by(const std::string& blocker) const {
  std::vector<std::string> names;
  if (count_.load(std::memory_order_acquire) == 0) return names;
  std::shared_lock lock(mutex_);
  for (const auto& [blocked, blockers] : blocked_by_)
    if (blockers.contains(blocker)) names.push_back(blocked);
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace edgehub::hub
