#pragma once
// Exact running statistics of a stream of int64 values.
//
// Everything is integer arithmetic, so nothing is lost to rounding while
// accumulating:
//   sum     Int128: |sum| <= 2^63 * 2^63 = 2^126 for up to 2^63 values.
//   sumsq   192 bits (UInt128 low part + uint64 carry count): each square is
//           at most 2^126, so 2^63 of them stay below 2^189.
// Only the final STDDEV uses floating point (see stats_format.hpp).
#include <cstdint>
#include <limits>

#include "data/int128.hpp"
#include "data/uint256.hpp"

namespace edgehub::data {

struct Stats {
  std::uint64_t count = 0;
  Int128 sum = 0;
  std::int64_t min = std::numeric_limits<std::int64_t>::max();  // meaningful when count > 0
  std::int64_t max = std::numeric_limits<std::int64_t>::min();
  UInt128 sumsq_low = 0;       // sum of squares modulo 2^128
  std::uint64_t sumsq_high = 0;  // how many times sumsq_low wrapped

  // Hot path: called once per value, keep it branch-light and inline.
  void add(std::int64_t v) {
    ++count;
    sum += v;
    min = v < min ? v : min;
    max = v > max ? v : max;
    const std::uint64_t magnitude = v < 0 ? 0 - static_cast<std::uint64_t>(v) : static_cast<std::uint64_t>(v);
    const UInt128 square = UInt128{magnitude} * magnitude;
    sumsq_low += square;
    sumsq_high += sumsq_low < square ? 1 : 0;
  }

  // Combines the statistics of two disjoint parts of a file.
  void merge(const Stats& other);

  bool empty() const { return count == 0; }
  UInt256 sum_of_squares() const;

  friend bool operator==(const Stats& a, const Stats& b);
};

}  // namespace edgehub::data
