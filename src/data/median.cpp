#include "data/median.hpp"

#include <algorithm>
#include <bit>
#include <cstring>
#include <functional>
#include <limits>
#include <memory>
#include <system_error>
#include <thread>
#include <vector>

#include "data/line_scan.hpp"
#include "data/mapped_file.hpp"
#include "data/stream_validator.hpp"

namespace edgehub::data {

namespace {

constexpr unsigned bucket_bits = 16;
// Below this a file is parsed on one thread: a thread costs more than it saves.
constexpr std::size_t parallel_from_bytes = std::size_t{4} << 20;
constexpr std::size_t max_parts = 2;  // the parse is as fast as memory allows with two

// Each value takes at least 2 bytes ("5\n") except the last: an upper bound.
std::size_t max_values(std::size_t bytes) { return bytes / 2 + 1; }

// One slice of the file, parsed by one thread into its own stretch of the
// buffer; its minimum and maximum come with the parse.
struct Part {
  const char* begin = nullptr;
  const char* end = nullptr;  // after a '\n', or the file's end for the last part
  std::int64_t* out = nullptr;
  std::size_t n = 0;
  std::int64_t lo = std::numeric_limits<std::int64_t>::max();
  std::int64_t hi = std::numeric_limits<std::int64_t>::min();
  LineCheck bad;  // problem != none: the line after these n values is not valid
  std::span<std::int64_t> values() const { return {out, n}; }
};

void parse(Part& part, bool last) {
  std::int64_t* out = part.out;
  std::size_t n = 0;
  std::int64_t lo = part.lo;
  std::int64_t hi = part.hi;
  const ScanStop stop = scan_complete_lines(part.begin, part.end, [&](std::int64_t v) {
    out[n++] = v;
    lo = std::min(lo, v);
    hi = std::max(hi, v);
  });
  part.bad = stop.bad;
  if (last && part.bad.problem == LineProblem::none && stop.rest != part.end) {  // no final newline
    part.bad = check_line(std::string_view(stop.rest, static_cast<std::size_t>(part.end - stop.rest)));
    if (part.bad.problem == LineProblem::none) {
      out[n++] = part.bad.value;
      lo = std::min(lo, part.bad.value);
      hi = std::max(hi, part.bad.value);
    }
  }
  part.n = n;
  part.lo = lo;
  part.hi = hi;
}

// Up to max_parts slices of bytes, each ending after a '\n' (the last at the end).
std::vector<Part> split(std::string_view bytes, std::int64_t* buffer) {
  std::vector<Part> parts;
  const char* begin = bytes.data();
  const char* const end = bytes.data() + bytes.size();
  const std::size_t target = bytes.size() >= parallel_from_bytes ? bytes.size() / max_parts : bytes.size();
  std::int64_t* out = buffer;
  while (begin != end) {
    const char* cut = end;
    if (parts.size() + 1 < max_parts && static_cast<std::size_t>(end - begin) > target) {
      const char* newline =
          static_cast<const char*>(std::memchr(begin + target, '\n', static_cast<std::size_t>(end - begin) - target));
      if (newline != nullptr) cut = newline + 1;
    }
    Part& part = parts.emplace_back();
    part.begin = begin;
    part.end = cut;
    part.out = out;
    out += max_values(static_cast<std::size_t>(cut - begin));
    begin = cut;
  }
  return parts;
}

// Runs work(i) for every part index: the first on this thread, the others
// on threads of their own.
template <class Work>
void for_each_part(std::size_t parts, const Work& work) {
  std::vector<std::jthread> helpers;
  for (std::size_t i = 1; i < parts; ++i) helpers.emplace_back([&work, i] { work(i); });
  if (parts > 0) work(0);
}

struct Buckets {
  std::int64_t min;
  unsigned shift;  // bucket of v = (v - min) >> shift
  std::size_t of(std::int64_t v) const {
    return static_cast<std::size_t>((static_cast<std::uint64_t>(v) - static_cast<std::uint64_t>(min)) >> shift);
  }
};

Buckets make_buckets(std::int64_t lo, std::int64_t hi) {
  const std::uint64_t range = static_cast<std::uint64_t>(hi) - static_cast<std::uint64_t>(lo);
  const int width = static_cast<int>(std::bit_width(range));
  return Buckets{lo, static_cast<unsigned>(std::max(0, width - static_cast<int>(bucket_bits)))};
}

using Histogram = std::vector<std::size_t>;

Histogram histogram_of(const std::vector<Part>& parts, const Buckets& buckets) {
  std::vector<Histogram> each(parts.size(), Histogram((std::size_t{1} << bucket_bits) + 1, 0));
  for_each_part(parts.size(), [&](std::size_t i) {
    for (const std::int64_t v : parts[i].values()) ++each[i][buckets.of(v)];
  });
  for (std::size_t i = 1; i < each.size(); ++i)
    std::transform(each[0].begin(), each[0].end(), each[i].begin(), each[0].begin(), std::plus<>());
  return std::move(each[0]);
}

// The bucket holding rank k (0-based), and how many values lie below it.
std::pair<std::size_t, std::size_t> bucket_of_rank(const Histogram& histogram, std::size_t k) {
  std::size_t below = 0;
  std::size_t b = 0;
  while (below + histogram[b] <= k) below += histogram[b++];
  return {b, below};
}

// Every value whose bucket is `first` or `last`.
std::vector<std::int64_t> values_in(const std::vector<Part>& parts, const Buckets& buckets, std::size_t first,
                                    std::size_t last) {
  std::vector<std::vector<std::int64_t>> each(parts.size());
  for_each_part(parts.size(), [&](std::size_t i) {
    for (const std::int64_t v : parts[i].values()) {
      const std::size_t b = buckets.of(v);
      if (b == first || b == last) each[i].push_back(v);
    }
  });
  for (std::size_t i = 1; i < each.size(); ++i) each[0].insert(each[0].end(), each[i].begin(), each[i].end());
  return std::move(each[0]);
}

// The middle of the values of all parts: a 65536-bucket histogram over
// [min, max] finds the bucket(s) of the middle rank(s), and nth_element
// runs on their few values only.
Median median_of_parts(const std::vector<Part>& parts) {
  std::size_t n = 0;
  std::int64_t lo = std::numeric_limits<std::int64_t>::max();
  std::int64_t hi = std::numeric_limits<std::int64_t>::min();
  for (const Part& p : parts) {
    n += p.n;
    lo = std::min(lo, p.lo);
    hi = std::max(hi, p.hi);
  }
  if (n == 0) return Median{};
  const bool two = n % 2 == 0;  // even count: the mean of ranks k and k + 1
  const std::size_t k = (n - 1) / 2;
  const Buckets buckets = make_buckets(lo, hi);
  const Histogram histogram = histogram_of(parts, buckets);
  const auto [first, below] = bucket_of_rank(histogram, k);
  const std::size_t last = bucket_of_rank(histogram, two ? k + 1 : k).first;
  // Ranks k and k + 1 sit in `first` and `last`; buckets between are empty.
  std::vector<std::int64_t> middle = values_in(parts, buckets, first, last);
  const auto nth = middle.begin() + static_cast<std::ptrdiff_t>(k - below);
  std::nth_element(middle.begin(), nth, middle.end());
  const std::int64_t upper = two ? *std::min_element(nth + 1, middle.end()) : *nth;
  return Median{n, Int128{*nth} + Int128{upper}};
}

}  // namespace

Median median_of(std::span<std::int64_t> values) {
  Part all;
  all.out = values.data();
  all.n = values.size();
  for (const std::int64_t v : values) {
    all.lo = std::min(all.lo, v);
    all.hi = std::max(all.hi, v);
  }
  return median_of_parts({all});
}

Outcome<Median> median_of_file(const std::filesystem::path& path) {
  try {
    const MappedFile file(path);
    const std::string_view bytes = file.bytes();
    // Pages are touched only as values are written.
    const auto buffer = std::make_unique_for_overwrite<std::int64_t[]>(max_values(bytes.size()) + max_parts);
    std::vector<Part> parts = split(bytes, buffer.get());
    for_each_part(parts.size(), [&parts](std::size_t i) { parse(parts[i], i + 1 == parts.size()); });
    std::size_t before = 0;  // values (= lines) before the part in hand
    for (const Part& p : parts) {
      if (p.bad.problem != LineProblem::none)
        return Failure{"stored file is not valid: " + LineError{before + p.n + 1, describe(p.bad)}.message()};
      before += p.n;
    }
    return median_of_parts(parts);
  } catch (const std::system_error& e) {
    return Failure{e.what()};
  }
}

}  // namespace edgehub::data
