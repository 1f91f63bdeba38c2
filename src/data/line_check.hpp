#pragma once
// The careful, byte-by-byte judgement of one line. Used for lines the fast
// path does not accept, for lines split across chunks and for the last line.
//
// Line rules (docs/EDGE_DATA.md):
//   an optional '-', then 1..19 decimal digits (leading zeros allowed),
//   value within [INT64_MIN, INT64_MAX]; nothing else: no '+', no spaces.
//
// The verdict depends only on the first 21 bytes of a line: the first
// offending byte, or the 20th digit, decides. That is what lets the streaming
// validator give the same answer however the input is split into chunks
// while never buffering more than a line's worth of bytes.
#include <cstdint>
#include <string>
#include <string_view>

namespace edgehub::data {

enum class LineProblem : std::uint8_t {
  none,
  empty,            // "" (also a bare "\r\n")
  bad_character,    // anything but digits and a leading '-'
  no_digits,        // "-"
  too_many_digits,  // a 20th digit
  out_of_range,     // 19 digits beyond int64
};

struct LineCheck {
  LineProblem problem = LineProblem::none;
  std::int64_t value = 0;  // when problem == none
  char offending = 0;      // when problem == bad_character
};

// `line` excludes the '\n' and the '\r' of a "\r\n" ending.
LineCheck check_line(std::string_view line);

// "unexpected character 'x'", "empty line", ...
std::string describe(const LineCheck& check);

// Longest line content the validator needs to hold to reach a verdict:
// '-' + 19 digits + a '\r' awaiting its '\n'.
inline constexpr std::size_t max_pending_line = 21;

}  // namespace edgehub::data
