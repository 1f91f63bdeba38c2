#include "hub/files/upload_budget.hpp"

#include <fmt/format.h>

#include "common/strings.hpp"
#include "hub/files/repository_refusal.hpp"

namespace edgehub::hub {

using protocol::StatusCode;

void UploadBudget::reserve(const std::string& user, const std::string& name, std::uint64_t bytes) {
  std::lock_guard lock(mutex_);
  std::uint64_t& mine = by_user_[user];
  if (bytes > limits_.per_user - std::min(mine, limits_.per_user)) {
    const std::uint64_t held = mine;
    if (held == 0) by_user_.erase(user);
    throw FileRefusal(
        StatusCode::TooLarge,
        fmt::format("No room for '{}' ({}): one user's uploads in progress may hold {} (edgehubd "
                    "--upload-budget-per-user){}",
                    name, byte_count_text(bytes), byte_count_text(limits_.per_user),
                    held > 0 ? fmt::format("; yours hold {} already", byte_count_text(held)) : std::string()));
  }
  if (bytes > limits_.total - std::min(total_, limits_.total)) {
    if (mine == 0) by_user_.erase(user);
    throw FileRefusal(
        StatusCode::TooLarge,
        fmt::format("No room for '{}' ({}) now: uploads in progress hold {} and together may hold {} "
                    "(edgehubd --upload-budget); try again later",
                    name, byte_count_text(bytes), byte_count_text(total_), byte_count_text(limits_.total)));
  }
  mine += bytes;
  total_ += bytes;
}

void UploadBudget::release(const std::string& user, std::uint64_t bytes) {
  std::lock_guard lock(mutex_);
  const auto it = by_user_.find(user);
  if (it == by_user_.end()) return;
  const std::uint64_t taken = std::min(it->second, bytes);
  it->second -= taken;
  total_ -= std::min(total_, taken);
  if (it->second == 0) by_user_.erase(it);
}

UploadBudgetLimits UploadBudget::limits() const {
  std::lock_guard lock(mutex_);
  return limits_;
}

void UploadBudget::reconfigure(const UploadBudgetLimits& limits) {
  std::lock_guard lock(mutex_);
  limits_ = limits;
}

void UploadBudget::check_disk(const std::string& name, std::uint64_t bytes, std::uint64_t free_bytes) const {
  const std::uint64_t keep_free = limits().keep_free;
  const std::uint64_t usable = free_bytes - std::min(free_bytes, keep_free);
  if (bytes <= usable) return;
  throw FileRefusal(StatusCode::DiskFull,
                    fmt::format("Not enough disk space on the server for '{}' ({}): {} free, of which {} stay free "
                                "for messages and logins (edgehubd --keep-free)",
                                name, byte_count_text(bytes), byte_count_text(free_bytes), byte_count_text(keep_free)));
}

std::uint64_t UploadBudget::reserved() const {
  std::lock_guard lock(mutex_);
  return total_;
}

std::uint64_t UploadBudget::reserved_by(const std::string& user) const {
  std::lock_guard lock(mutex_);
  const auto it = by_user_.find(user);
  return it == by_user_.end() ? 0 : it->second;
}

}  // namespace edgehub::hub
