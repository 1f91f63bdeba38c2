#include "data/file_id.hpp"

#include <algorithm>

#include "common/strings.hpp"

namespace edgehub::data {

namespace {

std::string quoted(std::string_view s) {
  constexpr std::size_t shown = 40;  // keep error lines short
  return "'" + std::string(s.substr(0, shown)) + (s.size() > shown ? "...'" : "'");
}

}  // namespace

Outcome<FileId> parse_file_id(std::string_view text) {
  if (text.empty()) return Failure{"missing FILEID"};
  if (text.front() == '-' && all_digits(text.substr(1))) return Failure{"FILEID must not be negative"};
  if (!all_digits(text)) return Failure{"FILEID must be a non-negative integer, got " + quoted(text)};
  const auto first = text.find_first_not_of('0');
  const std::string_view significant = first == std::string_view::npos ? "0" : text.substr(first);
  if (significant.size() > 18) return Failure{"FILEID too large (at most 18 digits)"};
  std::uint64_t v = 0;
  for (char c : significant) v = v * 10 + static_cast<std::uint64_t>(c - '0');
  return FileId(v);
}

std::string data_file_name(std::string_view device_name, FileId id) {
  std::string name(device_name);
  name += '-';
  name += id.str();
  name += ".txt";
  return name;
}

}  // namespace edgehub::data
