#pragma once
// Exact decimal renderings of statistics.
//
//   SUM      exact integer (Int128, never overflows).
//   AVERAGE  the exact rational sum/count rounded to 6 decimal places, halves
//            away from zero, always 6 decimals ("2.500000", "-0.333333").
//            Integer arithmetic only: no double rounding even for sums ~2^126.
//   STDDEV   population standard deviation sqrt((n*sumsq - sum^2)) / n. The
//            radicand is exact (256-bit); the root is taken in long double
//            (64-bit mantissa), so the relative error is below 1e-18; printed
//            with 6 decimals.
//   MEDIAN   see median.hpp: exact, ".5" when the two middle values differ by
//            an odd amount.
#include <string>

#include "data/int128.hpp"
#include "data/stats.hpp"

namespace edgehub::data {

std::string format_average(Int128 sum, std::uint64_t count);  // count > 0
std::string format_stddev(const Stats& s);                    // s.count > 0

// A median given as twice its value (the sum of the two middle values), so
// it stays an exact integer: 7 -> "3.5", -7 -> "-3.5", 8 -> "4".
std::string format_half(Int128 twice);

}  // namespace edgehub::data
