#include "protocol/utf8.hpp"

#include <cstdint>

namespace edgehub::protocol {
namespace {

// Length of the sequence starting with lead byte b, or 0 if b cannot start one.
int sequence_length(std::uint8_t b) {
  if (b < 0x80) return 1;
  if (b >= 0xC2 && b <= 0xDF) return 2;
  if (b >= 0xE0 && b <= 0xEF) return 3;
  if (b >= 0xF0 && b <= 0xF4) return 4;
  return 0;
}

bool is_continuation(std::uint8_t b) { return (b & 0xC0) == 0x80; }

// The second byte's range is narrower for some lead bytes (overlongs,
// surrogates, > U+10FFFF).
bool second_byte_ok(std::uint8_t lead, std::uint8_t second) {
  switch (lead) {
    case 0xE0:
      return second >= 0xA0 && second <= 0xBF;
    case 0xED:
      return second >= 0x80 && second <= 0x9F;
    case 0xF0:
      return second >= 0x90 && second <= 0xBF;
    case 0xF4:
      return second >= 0x80 && second <= 0x8F;
    default:
      return is_continuation(second);
  }
}

}  // namespace

bool is_valid_utf8(std::string_view s) {
  const auto* p = reinterpret_cast<const std::uint8_t*>(s.data());
  const auto* end = p + s.size();
  while (p < end) {
    if (*p < 0x80) {  // fast path for ASCII
      ++p;
      continue;
    }
    const int len = sequence_length(*p);
    if (len == 0 || end - p < len) return false;
    if (!second_byte_ok(p[0], p[1])) return false;
    for (int i = 2; i < len; ++i)
      if (!is_continuation(p[i])) return false;
    p += len;
  }
  return true;
}

bool has_control_chars(std::string_view s) {
  for (char c : s) {
    const auto b = static_cast<std::uint8_t>(c);
    if ((b < 0x20 && b != '\t') || b == 0x7F) return true;
  }
  return false;
}

}  // namespace edgehub::protocol
