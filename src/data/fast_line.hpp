#pragma once
// The fast path: parse one well-formed line eight bytes at a time (SWAR:
// SIMD within a register), without a branch per digit. It only ever says
// "accepted" or "not sure"; every doubt goes to check_line(), so it needs to
// be correct only for what it accepts.
#include <bit>
#include <cstdint>
#include <cstring>
#include <limits>

namespace edgehub::data::fast {

static_assert(std::endian::native == std::endian::little, "SWAR digit parsing assumes little-endian");

// parse_line() reads at most this many bytes from its start pointer.
inline constexpr std::size_t window = 32;

inline std::uint64_t load8(const char* p) {
  std::uint64_t w;
  std::memcpy(&w, p, sizeof w);  // unaligned load, one instruction
  return w;
}

// How many of the 8 bytes of w, in memory order, are ASCII digits before the
// first non-digit (0..8).
inline unsigned leading_digits(std::uint64_t w) {
  constexpr std::uint64_t ones = 0x0101010101010101ULL;
  // A byte is a digit iff its high nibble is 3 and its low nibble + 6 stays
  // below 16; both tests leave 0 in a digit's byte and never carry across.
  const std::uint64_t high = (w & (0xF0 * ones)) ^ (0x30 * ones);
  const std::uint64_t low = ((w & (0x0F * ones)) + 0x06 * ones) & (0xF0 * ones);
  const std::uint64_t bad = high | low;
  const std::uint64_t flags = (((bad & (0x7F * ones)) + 0x7F * ones) | bad) & (0x80 * ones);
  return flags == 0 ? 8u : static_cast<unsigned>(std::countr_zero(flags)) / 8u;
}

// Value of the first n (1..8) digit bytes of w.
inline std::uint64_t digits_value(std::uint64_t w, unsigned n) {
  constexpr std::uint64_t ones = 0x0101010101010101ULL;
  // Subtract '0' everywhere (borrows only run towards later bytes, which the
  // shift drops), then move the n digits to the top: the zero bytes below
  // act as leading zeros of an 8-digit number.
  w = (w - 0x30 * ones) << (8 * (8 - n));
  w = (w * 10 + (w >> 8)) & 0x00FF00FF00FF00FFULL;       // pairs: 0..99
  w = (w * 100 + (w >> 16)) & 0x0000FFFF0000FFFFULL;     // quads: 0..9999
  return (w * 10000 + (w >> 32)) & 0x00000000FFFFFFFFULL;  // 0..99999999
}

inline constexpr std::uint64_t pow10_table[9] = {1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000};

// Appends up to 8 more digits at q to mag; returns how many were taken.
inline unsigned take_digits(const char* q, std::uint64_t& mag) {
  const std::uint64_t w = load8(q);
  const unsigned n = leading_digits(w);
  if (n != 0) mag = mag * pow10_table[n] + digits_value(w, n);
  return n;
}

// Parses "-?[0-9]{1,19}" ending in "\n" or "\r\n" at p (which must have
// `window` readable bytes). Returns the byte after the line ending, or nullptr
// when the line is not plainly valid.
inline const char* parse_line(const char* p, std::int64_t& out) {
  const bool negative = *p == '-';
  const char* q = p + (negative ? 1 : 0);
  std::uint64_t mag = 0;
  unsigned n = take_digits(q, mag);
  q += n;
  if (n == 8) {
    n = take_digits(q, mag);
    q += n;
    if (n == 8) {
      n = take_digits(q, mag);  // at most 10^16 * 10^8: no uint64 overflow
      if (n > 3) return nullptr;  // 20+ digits
      q += n;
    }
  }
  if (q == p + (negative ? 1 : 0)) return nullptr;  // no digits
  const std::uint64_t limit = std::uint64_t{std::numeric_limits<std::int64_t>::max()} + (negative ? 1 : 0);
  if (mag > limit) return nullptr;
  if (*q == '\n') {
    ++q;
  } else if (*q == '\r' && q[1] == '\n') {
    q += 2;
  } else {
    return nullptr;
  }
  out = static_cast<std::int64_t>(negative ? 0 - mag : mag);  // C++20: modular conversion
  return q;
}

}  // namespace edgehub::data::fast
