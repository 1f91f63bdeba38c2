#include "data/stats_record.hpp"

#include <array>

#include "common/strings.hpp"

namespace edgehub::data {

namespace {

constexpr std::string_view header = "edgehub-stats 1";

// "key=value" -> value, or nullopt when the key differs.
std::optional<std::string_view> field(std::string_view word, std::string_view key) {
  if (word.size() <= key.size() || word.substr(0, key.size()) != key || word[key.size()] != '=') {
    return std::nullopt;
  }
  return word.substr(key.size() + 1);
}

bool parse_bounds(std::string_view min_text, std::string_view max_text, Stats& s) {
  if (s.count == 0) return min_text == "-" && max_text == "-";
  const auto min = parse_int64(min_text);
  const auto max = parse_int64(max_text);
  if (!min || !max || *min > *max) return false;
  s.min = *min;
  s.max = *max;
  return true;
}

}  // namespace

std::string serialize_stats(const Stats& s) {
  std::string out(header);
  out += " count=" + std::to_string(s.count);
  out += " sum=" + to_decimal(s.sum);
  out += " min=" + (s.empty() ? std::string("-") : std::to_string(s.min));
  out += " max=" + (s.empty() ? std::string("-") : std::to_string(s.max));
  out += " sumsq=" + s.sum_of_squares().to_decimal();
  out += '\n';
  return out;
}

std::optional<Stats> parse_stats(std::string_view line) {
  if (!line.empty() && line.back() == '\n') line.remove_suffix(1);
  if (line.substr(0, header.size()) != header || line.size() == header.size() || line[header.size()] != ' ') {
    return std::nullopt;
  }
  const auto words = split_words(line.substr(header.size() + 1), 6);
  if (words.size() != 5) return std::nullopt;
  constexpr std::array<std::string_view, 5> keys = {"count", "sum", "min", "max", "sumsq"};
  std::array<std::string_view, 5> values;
  for (std::size_t i = 0; i < keys.size(); ++i) {
    const auto v = field(words[i], keys[i]);
    if (!v) return std::nullopt;
    values[i] = *v;
  }
  Stats s;
  const auto count = parse_uint64(values[0]);
  const auto sum = parse_int128(values[1]);
  const auto sumsq = UInt256::parse_decimal(values[4]);
  if (!count || !sum || !sumsq || sumsq->limbs()[3] != 0) return std::nullopt;
  s.count = *count;
  s.sum = *sum;
  s.set_sum_of_squares(*sumsq);
  if (!parse_bounds(values[2], values[3], s)) return std::nullopt;
  return s;
}

}  // namespace edgehub::data
