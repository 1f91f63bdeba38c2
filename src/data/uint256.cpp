#include "data/uint256.hpp"

#include <algorithm>

namespace edgehub::data {

UInt256 UInt256::from_limbs(std::array<std::uint64_t, 4> little_endian) {
  UInt256 r;
  r.limbs_ = little_endian;
  return r;
}

UInt256& UInt256::operator+=(const UInt256& o) {
  std::uint64_t carry = 0;
  for (std::size_t i = 0; i < 4; ++i) {
    const UInt128 s = UInt128{limbs_[i]} + o.limbs_[i] + carry;
    limbs_[i] = static_cast<std::uint64_t>(s);
    carry = static_cast<std::uint64_t>(s >> 64);
  }
  return *this;
}

UInt256& UInt256::operator-=(const UInt256& o) {
  std::uint64_t borrow = 0;
  for (std::size_t i = 0; i < 4; ++i) {
    const std::uint64_t a = limbs_[i];
    const std::uint64_t b = o.limbs_[i];
    limbs_[i] = a - b - borrow;
    borrow = (a < b || (a == b && borrow != 0)) ? 1 : 0;
  }
  return *this;
}

UInt256 UInt256::times(std::uint64_t m) const {
  UInt256 r;
  std::uint64_t carry = 0;
  for (std::size_t i = 0; i < 4; ++i) {
    const UInt128 p = UInt128{limbs_[i]} * m + carry;
    r.limbs_[i] = static_cast<std::uint64_t>(p);
    carry = static_cast<std::uint64_t>(p >> 64);
  }
  return r;
}

UInt256 UInt256::times(UInt128 m) const {
  // (lo + hi * 2^64) * x = lo * x + (hi * x) shifted up one limb.
  UInt256 high = times(static_cast<std::uint64_t>(m >> 64));
  high.limbs_ = {0, high.limbs_[0], high.limbs_[1], high.limbs_[2]};
  return times(static_cast<std::uint64_t>(m)) + high;
}

std::uint64_t UInt256::divide_by(std::uint64_t d) {
  UInt128 rem = 0;
  for (std::size_t i = 4; i-- > 0;) {
    const UInt128 cur = (rem << 64) | limbs_[i];
    limbs_[i] = static_cast<std::uint64_t>(cur / d);
    rem = cur % d;
  }
  return static_cast<std::uint64_t>(rem);
}

bool operator<(const UInt256& a, const UInt256& b) {
  return std::lexicographical_compare(a.limbs_.rbegin(), a.limbs_.rend(), b.limbs_.rbegin(), b.limbs_.rend());
}

long double UInt256::to_long_double() const {
  long double r = 0;
  for (std::size_t i = 4; i-- > 0;) r = r * 18446744073709551616.0L + static_cast<long double>(limbs_[i]);
  return r;
}

std::string UInt256::to_decimal() const {
  // Peel 19 digits at a time (10^19 < 2^64), filling a buffer from the end.
  constexpr std::uint64_t chunk = 10'000'000'000'000'000'000ULL;
  char buf[80];
  char* p = buf + sizeof buf;
  UInt256 v = *this;
  do {
    std::uint64_t part = v.divide_by(chunk);
    const bool last = v.is_zero();
    for (int i = 0; i < 19 && (!last || part != 0 || p == buf + sizeof buf); ++i) {
      *--p = static_cast<char>('0' + part % 10);
      part /= 10;
    }
  } while (!v.is_zero());
  return std::string(p, buf + sizeof buf);
}

std::optional<UInt256> UInt256::parse_decimal(std::string_view s) {
  if (s.empty() || s.size() > 78) return std::nullopt;
  UInt256 v;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    // v = v * 10 + digit, refusing anything that carries out of the top limb.
    std::uint64_t carry = static_cast<std::uint64_t>(c - '0');
    for (auto& limb : v.limbs_) {
      const UInt128 p = UInt128{limb} * 10 + carry;
      limb = static_cast<std::uint64_t>(p);
      carry = static_cast<std::uint64_t>(p >> 64);
    }
    if (carry != 0) return std::nullopt;
  }
  return v;
}

}  // namespace edgehub::data
