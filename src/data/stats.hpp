#pragma once
// Exact running statistics of a stream of int64 values.
//
// Everything is integer arithmetic, so nothing is lost to rounding while
// accumulating:
//   sum     Int128: |sum| <= 2^63 * 2^63 = 2^126 for up to 2^63 values.
//   sum of squares: each square is at most 2^126, so 2^63 of them stay
//           below 2^189; kept in two 128-bit sums (see below).
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
  // The sum of squares, kept as two sums so the hot path needs no carry
  // test: each square (< 2^126) is split into its low and high 64-bit
  // halves, summed separately (each sum stays below 2^64 * 2^63 = 2^127).
  // Value = squares_high * 2^64 + squares_low; use sum_of_squares().
  UInt128 squares_low = 0;
  UInt128 squares_high = 0;

  // Hot path: called once per value, keep it branch-free and inline.
  void add(std::int64_t v) {
    ++count;
    sum += v;
    min = v < min ? v : min;
    max = v > max ? v : max;
    const auto square = static_cast<UInt128>(Int128{v} * v);  // one signed 64x64->128 multiply
    squares_low += static_cast<std::uint64_t>(square);
    squares_high += static_cast<std::uint64_t>(square >> 64);
  }

  // Combines the statistics of two disjoint parts of a file.
  void merge(const Stats& other);

  bool empty() const { return count == 0; }
  UInt256 sum_of_squares() const;
  // Stores a sum of squares (below 2^192) in canonical form.
  void set_sum_of_squares(const UInt256& value);

  // Compares values, not representations.
  friend bool operator==(const Stats& a, const Stats& b);
};

}  // namespace edgehub::data
