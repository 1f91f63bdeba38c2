#include "data/int128.hpp"

#include <algorithm>

namespace edgehub::data {

std::string to_decimal(UInt128 v) {
  char buf[40];
  char* p = buf + sizeof buf;
  do {
    *--p = static_cast<char>('0' + static_cast<int>(v % 10));
    v /= 10;
  } while (v != 0);
  return std::string(p, buf + sizeof buf);
}

std::string to_decimal(Int128 v) {
  // Negate through the unsigned type so INT128_MIN does not overflow.
  if (v >= 0) return to_decimal(static_cast<UInt128>(v));
  return "-" + to_decimal(UInt128{0} - static_cast<UInt128>(v));
}

std::optional<UInt128> parse_uint128(std::string_view s) {
  if (s.empty() || s.size() > 39) return std::nullopt;
  const UInt128 max = ~UInt128{0};
  UInt128 v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    const auto d = static_cast<unsigned>(c - '0');
    if (v > (max - d) / 10) return std::nullopt;
    v = v * 10 + d;
  }
  return v;
}

std::optional<Int128> parse_int128(std::string_view s) {
  const bool negative = !s.empty() && s.front() == '-';
  const auto magnitude = parse_uint128(negative ? s.substr(1) : s);
  if (!magnitude) return std::nullopt;
  const UInt128 limit = (~UInt128{0}) >> 1;  // INT128_MAX
  if (*magnitude > limit + (negative ? 1 : 0)) return std::nullopt;
  if (!negative) return static_cast<Int128>(*magnitude);
  return static_cast<Int128>(UInt128{0} - *magnitude);
}

}  // namespace edgehub::data
