#pragma once
// The scanning loop shared by the streaming validator and the MEDIAN loader:
// walk a buffer line by line, fast path first, careful path when in doubt.
#include <cstring>
#include <string_view>

#include "data/fast_line.hpp"
#include "data/line_check.hpp"

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

// Feeds every complete ('\n'-terminated) line of [p, end) to on_value until
// the first bad line. OnValue: void(std::int64_t).
template <class OnValue>
ScanStop scan_complete_lines(const char* p, const char* end, OnValue&& on_value) {
  for (;;) {
    std::int64_t value;
    while (static_cast<std::size_t>(end - p) >= fast::window) {
      const char* next = fast::parse_line(p, value);
      if (next == nullptr) break;
      on_value(value);
      p = next;
    }
    // Careful path: one line, then back to the fast loop.
    const auto* newline = static_cast<const char*>(std::memchr(p, '\n', static_cast<std::size_t>(end - p)));
    if (newline == nullptr) return ScanStop{p, LineCheck{}};
    const LineCheck check = check_terminated_line(p, newline);
    if (check.problem != LineProblem::none) return ScanStop{p, check};
    on_value(check.value);
    p = newline + 1;
  }
}

}  // namespace edgehub::data
