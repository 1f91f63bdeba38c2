#include "common/heap_trim.hpp"

#include <malloc.h>
#include <unistd.h>

#include <fstream>

namespace edgehub {

bool HeapTrimPolicy::should_trim(std::uint64_t churn, Clock::time_point now) {
  if (churn != seen_) {
    seen_ = churn;
    changed_ = now;
    return false;
  }
  if (churn - at_last_trim_ < min_churn_ || now - changed_ < quiet_) return false;
  if (trimmed_ && now - last_trim_ < min_gap_) return false;
  at_last_trim_ = churn;
  last_trim_ = now;
  trimmed_ = true;
  return true;
}

namespace {

std::int64_t resident_bytes() {
  std::ifstream statm("/proc/self/statm");
  std::int64_t size = 0;
  std::int64_t resident = 0;
  if (!(statm >> size >> resident)) return 0;
  return resident * sysconf(_SC_PAGESIZE);
}

}  // namespace

std::int64_t trim_heap() {
  const std::int64_t before = resident_bytes();
  malloc_trim(0);
  const std::int64_t after = resident_bytes();
  return before > 0 && after > 0 && before > after ? before - after : 0;
}

}  // namespace edgehub
