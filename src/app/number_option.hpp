#pragma once
// A range check for integer options that names what is wrong: "'abc' is not
// a number", "'2.5' is not a whole number", "99 is out of range (1 to 5)",
// where CLI11's Range says "Value abc not in range 1 to 5" for all of them.
// Use it in place of CLI::Range for every integer option (README.md#the-server).
#include <CLI/CLI.hpp>

#include <charconv>
#include <string>
#include <type_traits>
#include <utility>

#include <fmt/format.h>

#include "common/strings.hpp"

namespace edgehub::app {

// For text that is not an optional '-' and digits.
inline std::string not_an_integer(const std::string& text) {
  double ignored{};
  const char* end = text.data() + text.size();
  const auto parsed = std::from_chars(text.data(), end, ignored);
  const bool decimal = !text.empty() && parsed.ec == std::errc{} && parsed.ptr == end;
  return fmt::format("'{}' is not {}", text, decimal ? "a whole number" : "a number");
}

template <typename T>
bool within(const std::string& text, T min, T max) {
  const auto in = [&](auto v) { return std::cmp_greater_equal(v, min) && std::cmp_less_equal(v, max); };
  if (text.front() == '-') {
    const auto value = parse_int64(text);
    return value && in(*value);
  }
  const auto value = parse_uint64(text);
  return value && in(*value);
}

template <typename T>
CLI::Validator number_in(T min, T max) {
  static_assert(std::is_integral_v<T>);
  auto check = [min, max](const std::string& text) -> std::string {
    if (!is_decimal_integer(text)) return not_an_integer(text);
    if (!within(text, min, max)) return fmt::format("{} is out of range ({} to {})", text, min, max);
    return {};
  };
  return CLI::Validator(check, "");
}

}  // namespace edgehub::app
