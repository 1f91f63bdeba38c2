#include "data/stats.hpp"

#include <algorithm>

namespace edgehub::data {

void Stats::merge(const Stats& other) {
  count += other.count;
  sum += other.sum;
  min = std::min(min, other.min);
  max = std::max(max, other.max);
  set_sum_of_squares(sum_of_squares() + other.sum_of_squares());
}

UInt256 Stats::sum_of_squares() const {
  const UInt256 high = UInt256::from_limbs(
      {0, static_cast<std::uint64_t>(squares_high), static_cast<std::uint64_t>(squares_high >> 64), 0});
  return high + UInt256(squares_low);
}

void Stats::set_sum_of_squares(const UInt256& value) {
  const auto& limbs = value.limbs();
  squares_low = limbs[0];
  squares_high = (UInt128{limbs[2]} << 64) | limbs[1];
}

bool operator==(const Stats& a, const Stats& b) {
  // min/max of an empty set are placeholders; compare them only when set.
  if (a.count != b.count || a.sum != b.sum || !(a.sum_of_squares() == b.sum_of_squares())) return false;
  return a.count == 0 || (a.min == b.min && a.max == b.max);
}

}  // namespace edgehub::data
