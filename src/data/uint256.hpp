#pragma once
// A minimal unsigned 256-bit integer, only what exact variance needs:
// n * sum_of_squares - sum^2 is below 2^63 * 2^189 = 2^252.
// Not a general bignum: no division by anything wider than 64 bits.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "data/int128.hpp"

namespace edgehub::data {

class UInt256 {
 public:
  constexpr UInt256() = default;
  constexpr UInt256(UInt128 v)  // NOLINT(google-explicit-constructor): widening is lossless
      : limbs_{static_cast<std::uint64_t>(v), static_cast<std::uint64_t>(v >> 64), 0, 0} {}

  static UInt256 from_limbs(std::array<std::uint64_t, 4> little_endian);
  const std::array<std::uint64_t, 4>& limbs() const { return limbs_; }

  // Arithmetic wraps modulo 2^256, like unsigned built-ins; callers keep
  // values in range (see header comment).
  UInt256& operator+=(const UInt256& o);
  UInt256& operator-=(const UInt256& o);
  UInt256 times(std::uint64_t m) const;
  UInt256 times(UInt128 m) const;
  // Divides in place, returns the remainder.
  std::uint64_t divide_by(std::uint64_t d);

  bool is_zero() const { return (limbs_[0] | limbs_[1] | limbs_[2] | limbs_[3]) == 0; }
  friend bool operator==(const UInt256&, const UInt256&) = default;
  friend bool operator<(const UInt256& a, const UInt256& b);

  long double to_long_double() const;
  std::string to_decimal() const;
  static std::optional<UInt256> parse_decimal(std::string_view s);

 private:
  std::array<std::uint64_t, 4> limbs_{};
};

inline UInt256 operator+(UInt256 a, const UInt256& b) { return a += b; }
inline UInt256 operator-(UInt256 a, const UInt256& b) { return a -= b; }

}  // namespace edgehub::data
