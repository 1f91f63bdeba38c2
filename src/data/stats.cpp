#include "data/stats.hpp"

#include <algorithm>

namespace edgehub::data {

void Stats::merge(const Stats& other) {
  count += other.count;
  sum += other.sum;
  min = std::min(min, other.min);
  max = std::max(max, other.max);
  const UInt128 before = sumsq_low;
  sumsq_low += other.sumsq_low;
  sumsq_high += other.sumsq_high + (sumsq_low < before ? 1 : 0);
}

UInt256 Stats::sum_of_squares() const {
  return UInt256::from_limbs({static_cast<std::uint64_t>(sumsq_low), static_cast<std::uint64_t>(sumsq_low >> 64),
                              sumsq_high, 0});
}

bool operator==(const Stats& a, const Stats& b) {
  // min/max of an empty set are placeholders; compare them only when set.
  if (a.count != b.count || a.sum != b.sum || a.sumsq_low != b.sumsq_low || a.sumsq_high != b.sumsq_high) {
    return false;
  }
  return a.count == 0 || (a.min == b.min && a.max == b.max);
}

}  // namespace edgehub::data
