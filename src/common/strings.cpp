#include "common/strings.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstring>

#include <fmt/format.h>

namespace edgehub {
namespace {
bool is_space(char c) { return c == ' ' || c == '\t'; }
}  // namespace

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

std::pair<std::string_view, std::string_view> split_first_word(std::string_view s) {
  s = trim(s);
  const auto end = std::find_if(s.begin(), s.end(), is_space);
  const auto word_len = static_cast<std::size_t>(end - s.begin());
  std::string_view rest = s.substr(word_len);
  while (!rest.empty() && is_space(rest.front())) rest.remove_prefix(1);
  return {s.substr(0, word_len), rest};
}

std::vector<std::string_view> split_words(std::string_view s, std::size_t max_parts) {
  std::vector<std::string_view> parts;
  s = trim(s);
  while (!s.empty() && parts.size() + 1 < max_parts) {
    auto [word, rest] = split_first_word(s);
    parts.push_back(word);
    s = rest;
  }
  if (!s.empty() && max_parts > 0) parts.push_back(s);
  return parts;
}

template <typename T>
static std::optional<T> parse_whole(std::string_view s) {
  if (s.empty() || s.front() == '+') return std::nullopt;
  T value{};
  const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec != std::errc{} || ptr != s.data() + s.size()) return std::nullopt;
  return value;
}

std::optional<std::int64_t> parse_int64(std::string_view s) { return parse_whole<std::int64_t>(s); }

std::optional<std::uint64_t> parse_uint64(std::string_view s) {
  if (!s.empty() && s.front() == '-') return std::nullopt;
  return parse_whole<std::uint64_t>(s);
}

std::string error_text(int error) {
  std::string text = std::strerror(error);
  if (!text.empty()) text[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(text[0])));
  return text;
}

bool is_decimal_integer(std::string_view s) {
  if (!s.empty() && s.front() == '-') s.remove_prefix(1);
  return all_digits(s);
}

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

std::string to_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

namespace {
int lower_hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}
}  // namespace

bool is_lower_hex(std::string_view s) {
  for (char c : s)
    if (lower_hex_value(c) < 0) return false;
  return true;
}

bool is_sha256_hex(std::string_view s) { return s.size() == 64 && is_lower_hex(s); }

bool from_hex(std::string_view hex, unsigned char* out, std::size_t out_len) {
  if (hex.size() != out_len * 2) return false;
  for (std::size_t i = 0; i < out_len; ++i) {
    const int hi = lower_hex_value(hex[2 * i]);
    const int lo = lower_hex_value(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) return false;
    out[i] = static_cast<unsigned char>(hi << 4 | lo);
  }
  return true;
}

std::string to_hex(const unsigned char* data, std::size_t len) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out(len * 2, '0');
  for (std::size_t i = 0; i < len; ++i) {
    out[2 * i] = digits[data[i] >> 4];
    out[2 * i + 1] = digits[data[i] & 0xf];
  }
  return out;
}

std::string byte_count_text(std::uint64_t bytes) {
  if (bytes >= (1ULL << 30))
    return fmt::format("{} bytes ({:.1f} GiB)", bytes, static_cast<double>(bytes) / (1ULL << 30));
  if (bytes >= (1ULL << 20))
    return fmt::format("{} bytes ({:.1f} MiB)", bytes, static_cast<double>(bytes) / (1ULL << 20));
  return fmt::format("{} bytes", bytes);
}

}  // namespace edgehub
