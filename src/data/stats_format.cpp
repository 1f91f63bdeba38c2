#include "data/stats_format.hpp"

#include <cmath>
#include <cstdio>

namespace edgehub::data {

namespace {

UInt128 magnitude(Int128 v) { return v < 0 ? UInt128{0} - static_cast<UInt128>(v) : static_cast<UInt128>(v); }

std::string six_decimals(std::uint64_t micro) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%06llu", static_cast<unsigned long long>(micro));
  return buf;
}

}  // namespace

std::string format_average(Int128 sum, std::uint64_t count) {
  const UInt128 abs_sum = magnitude(sum);
  UInt128 whole = abs_sum / count;
  const UInt128 rem = abs_sum % count;  // < count < 2^64, so rem * 2e6 fits easily
  // round(rem / count * 1e6), halves away from zero: floor((2 * rem * 1e6 + count) / (2 * count))
  UInt128 micro = (rem * 2'000'000 + count) / (UInt128{count} * 2);
  if (micro == 1'000'000) {
    ++whole;
    micro = 0;
  }
  const bool negative = sum < 0 && (whole != 0 || micro != 0);
  return (negative ? "-" : "") + to_decimal(whole) + "." + six_decimals(static_cast<std::uint64_t>(micro));
}

std::string format_stddev(const Stats& s) {
  // n * sumsq - sum^2 >= 0 (Cauchy-Schwarz), exact in 256 bits.
  const UInt128 abs_sum = magnitude(s.sum);
  const UInt256 radicand = s.sum_of_squares().times(s.count) - UInt256(abs_sum).times(abs_sum);
  const long double stddev = std::sqrt(radicand.to_long_double()) / static_cast<long double>(s.count);
  char buf[80];
  std::snprintf(buf, sizeof buf, "%.6Lf", stddev);
  return buf;
}

std::string format_half(Int128 twice) {
  const UInt128 abs_twice = magnitude(twice);
  const std::string sign = twice < 0 ? "-" : "";
  return sign + to_decimal(abs_twice / 2) + (abs_twice % 2 != 0 ? ".5" : "");
}

}  // namespace edgehub::data
