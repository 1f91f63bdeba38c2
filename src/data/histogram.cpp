// Equal-width binning of a data file's values (docs/HTTP_API.md#edge-data).
#include "data/histogram.hpp"

#include <algorithm>
#include <charconv>
#include <limits>

namespace edgehub::data {

namespace {

// Calls f(value) for each integer line; lines that are not one are skipped
// (a stored file was validated at upload, docs/EDGE_DATA.md).
template <typename F>
void for_each_value(std::string_view text, F f) {
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    std::int64_t v = 0;
    const auto [ptr, ec] = std::from_chars(line.data(), line.data() + line.size(), v);
    if (ec == std::errc() && ptr == line.data() + line.size() && !line.empty()) f(v);
    pos = end + 1;
  }
}

}  // namespace

Histogram histogram_of_lines(std::string_view text, std::size_t bins) {
  Histogram h;
  h.min = std::numeric_limits<std::int64_t>::max();
  h.max = std::numeric_limits<std::int64_t>::min();
  for_each_value(text, [&](std::int64_t v) {
    ++h.values;
    h.min = std::min(h.min, v);
    h.max = std::max(h.max, v);
  });
  if (h.values == 0 || bins == 0) return Histogram{};
  // Integers: a span of S distinct values needs at most S bins. Long
  // double keeps the span of any two int64 values exact enough.
  const long double span = static_cast<long double>(h.max) - static_cast<long double>(h.min) + 1;
  const std::size_t n = static_cast<std::size_t>(std::min<long double>(static_cast<long double>(bins), span));
  const long double width = span / static_cast<long double>(n);
  h.bins.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    h.bins[i].lo = static_cast<double>(static_cast<long double>(h.min) + width * static_cast<long double>(i));
    h.bins[i].hi = static_cast<double>(static_cast<long double>(h.min) + width * static_cast<long double>(i + 1));
  }
  for_each_value(text, [&](std::int64_t v) {
    const long double offset = static_cast<long double>(v) - static_cast<long double>(h.min);
    const auto i = static_cast<std::size_t>(offset / width);
    ++h.bins[std::min(i, n - 1)].count;
  });
  return h;
}

}  // namespace edgehub::data
