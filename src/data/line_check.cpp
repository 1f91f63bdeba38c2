#include "data/line_check.hpp"

#include <charconv>
#include <cstdio>

namespace edgehub::data {

namespace {

constexpr int max_digits = 19;

bool is_digit(char c) { return c >= '0' && c <= '9'; }

LineCheck failed(LineProblem p, char offending = 0) { return LineCheck{p, 0, offending}; }

}  // namespace

LineCheck check_line(std::string_view line) {
  if (line.empty()) return failed(LineProblem::empty);
  const bool negative = line.front() == '-';
  int digits = 0;
  // Left to right, stopping at the first fault, so that the verdict is
  // decided within the first 21 bytes (see header).
  for (std::size_t i = negative ? 1 : 0; i < line.size(); ++i) {
    if (!is_digit(line[i])) return failed(LineProblem::bad_character, line[i]);
    if (++digits > max_digits) return failed(LineProblem::too_many_digits);
  }
  if (digits == 0) return failed(LineProblem::no_digits);
  std::int64_t value = 0;
  const auto [end, ec] = std::from_chars(line.data(), line.data() + line.size(), value);
  if (ec != std::errc{} || end != line.data() + line.size()) return failed(LineProblem::out_of_range);
  return LineCheck{LineProblem::none, value, 0};
}

std::string describe(const LineCheck& check) {
  switch (check.problem) {
    case LineProblem::none:
      return "valid integer";
    case LineProblem::empty:
      return "empty line";
    case LineProblem::no_digits:
      return "'-' without digits";
    case LineProblem::too_many_digits:
      return "more than 19 digits";
    case LineProblem::out_of_range:
      return "value outside the 64-bit integer range";
    case LineProblem::bad_character:
      break;
  }
  const auto byte = static_cast<unsigned char>(check.offending);
  char buf[48];
  if (byte >= 0x21 && byte < 0x7f) {
    std::snprintf(buf, sizeof buf, "not an integer (unexpected character '%c')", check.offending);
  } else {
    std::snprintf(buf, sizeof buf, "not an integer (unexpected byte 0x%02x)", byte);
  }
  return buf;
}

}  // namespace edgehub::data
