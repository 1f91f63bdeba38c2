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

// parse_bounded() reads at most this many bytes from its start pointer.
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
  w = (w * 10 + (w >> 8)) & 0x00FF00FF00FF00FFULL;         // pairs: 0..99
  w = (w * 100 + (w >> 16)) & 0x0000FFFF0000FFFFULL;       // quads: 0..9999
  return (w * 10000 + (w >> 32)) & 0x00000000FFFFFFFFULL;  // 0..99999999
}

inline constexpr std::uint64_t pow10_table[9] = {1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000};

// Parses the line [s, newline) when it is plainly "-?[0-9]{1,19}" (a '\r'
// before the newline allowed) and within int64. `s` must have `window`
// readable bytes; the newline's position comes from the caller (found for a
// whole block at once), so consecutive lines do not wait on each other's
// digit scanning: that dependency chain is what made a per-byte loop slow.
// Returns false when the careful path must decide.
inline bool parse_bounded(const char* s, const char* newline, std::int64_t& out) {
  const char* e = newline - (newline > s && newline[-1] == '\r' ? 1 : 0);
  const bool negative = *s == '-';
  const char* d = s + (negative ? 1 : 0);
  const auto n = static_cast<std::size_t>(e - d);
  if (e < d || n - 1 >= 19) return false;  // no digits, or 20 and more
  const std::uint64_t w1 = load8(d);
  std::uint64_t mag;
  if (n <= 8) {
    if (leading_digits(w1) < n) return false;
    mag = digits_value(w1, static_cast<unsigned>(n));
  } else {
    const std::uint64_t w2 = load8(d + 8);
    const std::size_t n2 = n <= 16 ? n - 8 : 8;
    if (leading_digits(w1) != 8 || leading_digits(w2) < n2) return false;
    mag = digits_value(w1, 8) * pow10_table[n2] + digits_value(w2, static_cast<unsigned>(n2));
    if (n > 16) {
      const std::uint64_t w3 = load8(d + 16);
      const std::size_t n3 = n - 16;  // 1..3: below 10^19, no uint64 overflow
      if (leading_digits(w3) < n3) return false;
      mag = mag * pow10_table[n3] + digits_value(w3, static_cast<unsigned>(n3));
      const std::uint64_t limit = std::uint64_t{std::numeric_limits<std::int64_t>::max()} + (negative ? 1 : 0);
      if (mag > limit) return false;
    }
  }
  out = static_cast<std::int64_t>(negative ? 0 - mag : mag);  // C++20: modular conversion
  return true;
}

}  // namespace edgehub::data::fast
