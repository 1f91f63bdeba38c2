#pragma once
// The disk space uploads in progress may hold (docs/FILES.md#limits). A
// `put` reserves its declared size when it starts (and preallocates it),
// so without a budget one user, or a client that never sends, could claim
// the whole disk: other users' offline messages then fail (issue 14).
// Thread-safe: begin_upload runs on any worker.
#include <cstdint>
#include <limits>
#include <map>
#include <mutex>
#include <string>

namespace edgehub::hub {

struct UploadBudgetLimits {
  std::uint64_t per_user = std::numeric_limits<std::uint64_t>::max();  // one user's uploads together
  std::uint64_t total = std::numeric_limits<std::uint64_t>::max();     // everybody's uploads together
  std::uint64_t keep_free = 0;  // disk space no reservation may take (the database needs it)
};

class UploadBudget {
 public:
  explicit UploadBudget(UploadBudgetLimits limits) : limits_(limits) {}

  // Takes bytes for user's upload of name, or throws FileRefusal (413)
  // naming the limit and its option.
  void reserve(const std::string& user, const std::string& name, std::uint64_t bytes);
  void release(const std::string& user, std::uint64_t bytes);
  // Throws FileRefusal (507) unless bytes fit in free_bytes (the disk's
  // free space now) with keep_free left over.
  void check_disk(const std::string& name, std::uint64_t bytes, std::uint64_t free_bytes) const;

  std::uint64_t reserved() const;
  std::uint64_t reserved_by(const std::string& user) const;
  UploadBudgetLimits limits() const;
  // New limits (SIGHUP) for the next reservation; those held stay.
  void reconfigure(const UploadBudgetLimits& limits);

 private:
  UploadBudgetLimits limits_;  // under mutex_
  mutable std::mutex mutex_;
  std::map<std::string, std::uint64_t> by_user_;
  std::uint64_t total_ = 0;
};

}  // namespace edgehub::hub
