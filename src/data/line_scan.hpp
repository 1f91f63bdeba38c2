#pragma once
// The scanning loop shared by the streaming validator and the MEDIAN loader:
// walk a buffer line by line, fast path first, careful path when in doubt.
#include <bit>
#include <cstring>
#include <string_view>

#include "data/fast_line.hpp"
#include "data/line_check.hpp"
#include "data/newline_mask.hpp"
#include "data/simd_line.hpp"

namespace edgehub::data {

struct ScanStop {
  const char* rest;  // first byte not consumed: the start of an unterminated last line or of a bad line
  LineCheck bad;     // problem != none when stopped at a bad line
};

// Judges [begin, newline) with the "\r\n" ending stripped.
inline LineCheck check_terminated_line(const char* begin, const char* newline) {
  const char* content_end = (newline > begin && newline[-1] == '\r') ? newline - 1 : newline;
  return check_line(std::string_view(begin, static_cast<std::size_t>(content_end - begin)));
}

// One line [begin, newline): fast path, else the careful verdict.
// `buffer` is where readable memory starts (the fast path may look back).
template <class OnValue>
inline bool take_line(const char* buffer, const char* begin, const char* newline, OnValue& on_value, LineCheck& bad) {
  std::int64_t value;
  if (fast::parse_line_simd(buffer, begin, newline, value)) [[likely]] {
    on_value(value);
    return true;
  }
  bad = check_terminated_line(begin, newline);
  if (bad.problem != LineProblem::none) return false;
  on_value(bad.value);
  return true;
}

// Feeds every complete ('\n'-terminated) line of [p, end) to on_value until
// the first bad line. OnValue: void(std::int64_t).
//
// Newlines are located 64 bytes at a time (newline_mask), so each line's
// bounds are known before its digits are looked at and the CPU can work on
// several lines at once.
template <class OnValue>
ScanStop scan_complete_lines(const char* p, const char* end, OnValue&& on_value) {
  constexpr std::size_t block_size = 64;
  const char* line = p;
  const char* block = p;
  LineCheck bad;
  // A line starts inside or before the block, so its fast parse reads at most
  // block + 64 + window bytes.
  while (static_cast<std::size_t>(end - block) >= block_size + fast::window) {
    for (std::uint64_t mask = fast::newline_mask(block); mask != 0; mask &= mask - 1) {
      const char* newline = block + std::countr_zero(mask);
      if (!take_line(p, line, newline, on_value, bad)) return ScanStop{line, bad};
      line = newline + 1;
    }
    block += block_size;
  }
  // The last few lines, one memchr at a time.
  while (line < end) {  // (memchr must not see the null pointer of an empty buffer)
    const auto* newline = static_cast<const char*>(std::memchr(line, '\n', static_cast<std::size_t>(end - line)));
    if (newline == nullptr) break;
    bad = check_terminated_line(line, newline);
    if (bad.problem != LineProblem::none) return ScanStop{line, bad};
    on_value(bad.value);
    line = newline + 1;
  }
  return ScanStop{line, LineCheck{}};
}

}  // namespace edgehub::data
