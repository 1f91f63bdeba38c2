#include "store/postgres/recipient_locks.hpp"

#include <string>

#include "store/store.hpp"

namespace edgehub::store {
namespace {

// "EHB3" as a 32-bit integer: the first key of these locks (the liveness
// locks use "EHB1", EDGEHUB_LIVENESS_LOCK_SPACE). Schema step 6's
// functions say the same number.
constexpr const char* kClass = "1162363443";

}  // namespace

std::int32_t RecipientLocks::key_of(std::string_view recipient) {
  std::uint32_t hash = 2166136261u;  // FNV-1a
  for (const unsigned char c : recipient) hash = (hash ^ c) * 16777619u;
  return static_cast<std::int32_t>(hash);
}

const char* RecipientLocks::mode_for(std::string_view recipient) {
  const std::int32_t key = key_of(recipient);
  if (doomed_) {
    needed_at_start_.insert(key);
    return nullptr;
  }
  if (held_.contains(key)) return "held";
  return held_.empty() || key > *held_.rbegin() ? "wait" : "try";
}

void RecipientLocks::busy(std::string_view recipient) {
  doomed_ = true;
  needed_at_start_.insert(held_.begin(), held_.end());
  needed_at_start_.insert(key_of(recipient));
}

void RecipientLocks::check_before_commit() const {
  if (doomed_) throw TransactionStartOver("a recipient's offline count was locked out of order");
}

void RecipientLocks::begin() {
  held_.clear();
  held_at_savepoint_.clear();
  doomed_ = false;
  for (const std::int32_t key : needed_at_start_) {  // ascending: std::set
    wait_for(key);
    held_.insert(key);
  }
  needed_at_start_.clear();
}

void RecipientLocks::end() {
  held_.clear();
  held_at_savepoint_.clear();
  doomed_ = false;
}

void RecipientLocks::wait_for(std::int32_t key) {
  static constexpr PgStatement kWait{"recipient_lock_wait", "SELECT pg_advisory_xact_lock($1::int4, $2::int4)"};
  db_.run(kWait, {kClass, std::to_string(key)});
}

}  // namespace edgehub::store
