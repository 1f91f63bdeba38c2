#include "data/median.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <memory>
#include <system_error>
#include <vector>

#include "data/line_scan.hpp"
#include "data/mapped_file.hpp"
#include "data/stream_validator.hpp"

namespace edgehub::data {

namespace {

constexpr unsigned bucket_bits = 16;

struct Buckets {
  std::int64_t min;
  unsigned shift;  // bucket of v = (v - min) >> shift
  std::size_t of(std::int64_t v) const {
    return static_cast<std::size_t>((static_cast<std::uint64_t>(v) - static_cast<std::uint64_t>(min)) >> shift);
  }
};

Buckets make_buckets(std::span<const std::int64_t> values) {
  const auto [lo, hi] = std::minmax_element(values.begin(), values.end());
  const std::uint64_t range = static_cast<std::uint64_t>(*hi) - static_cast<std::uint64_t>(*lo);
  const int width = static_cast<int>(std::bit_width(range));
  return Buckets{*lo, static_cast<unsigned>(std::max(0, width - static_cast<int>(bucket_bits)))};
}

// The bucket holding rank k (0-based), and how many values lie below it.
std::pair<std::size_t, std::size_t> bucket_of_rank(const std::vector<std::size_t>& histogram, std::size_t k) {
  std::size_t below = 0;
  std::size_t b = 0;
  while (below + histogram[b] <= k) below += histogram[b++];
  return {b, below};
}

// The values of rank k and k + 1 (k + 1 only when `two`); ranks 0-based.
std::pair<std::int64_t, std::int64_t> select_middle(std::span<std::int64_t> values, std::size_t k, bool two) {
  const Buckets buckets = make_buckets(values);
  std::vector<std::size_t> histogram((std::size_t{1} << bucket_bits) + 1, 0);
  for (const std::int64_t v : values) ++histogram[buckets.of(v)];
  const auto [first, below] = bucket_of_rank(histogram, k);
  const std::size_t last = bucket_of_rank(histogram, two ? k + 1 : k).first;
  // Ranks k and k + 1 sit in `first` and `last`; buckets between are empty.
  std::vector<std::int64_t> middle;
  middle.reserve(histogram[first] + (last != first ? histogram[last] : 0));
  for (const std::int64_t v : values) {
    const std::size_t b = buckets.of(v);
    if (b == first || b == last) middle.push_back(v);
  }
  const auto nth = middle.begin() + static_cast<std::ptrdiff_t>(k - below);
  std::nth_element(middle.begin(), nth, middle.end());
  const std::int64_t upper = two ? *std::min_element(nth + 1, middle.end()) : *nth;
  return {*nth, upper};
}

}  // namespace

Median median_of(std::span<std::int64_t> values) {
  const std::size_t n = values.size();
  if (n == 0) return Median{};
  const bool even = n % 2 == 0;
  const auto [a, b] = select_middle(values, (n - 1) / 2, even);
  return Median{n, Int128{a} + Int128{b}};
}

Outcome<Median> median_of_file(const std::filesystem::path& path) {
  try {
    const MappedFile file(path);
    const std::string_view bytes = file.bytes();
    // Each value takes at least 2 bytes ("5\n") except the last: an upper
    // bound. Pages are touched only as values are written.
    const std::size_t capacity = bytes.size() / 2 + 1;
    auto values = std::make_unique_for_overwrite<std::int64_t[]>(capacity);
    std::size_t n = 0;
    std::int64_t* out = values.get();
    const ScanStop stop = scan_complete_lines(bytes.data(), bytes.data() + bytes.size(),
                                              [out, &n](std::int64_t v) { out[n++] = v; });
    LineCheck last = stop.bad;
    if (last.problem == LineProblem::none && stop.rest != bytes.data() + bytes.size()) {
      last = check_line(std::string_view(stop.rest, static_cast<std::size_t>(bytes.data() + bytes.size() - stop.rest)));
      if (last.problem == LineProblem::none) out[n++] = last.value;
    }
    if (last.problem != LineProblem::none) {
      return Failure{"stored file is not valid: " + LineError{n + 1, describe(last)}.message()};
    }
    return median_of(std::span<std::int64_t>(values.get(), n));
  } catch (const std::system_error& e) {
    return Failure{e.what()};
  }
}

}  // namespace edgehub::data
