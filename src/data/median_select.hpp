#pragma once
// The selection behind MEDIAN (docs/EDGE_DATA.md#median-in-bounded-memory):
// the rank-k value (and rank k + 1 for an even count) of values that are
// not held in memory but visited again on each pass. A Source has parts()
// and visit(part, on_value); its parts are visited on threads of their own
// (run_parts). Each pass counts the values of the current range [lo, hi]
// into 65536 buckets and narrows the range to the bucket of the rank:
// - all values in range equal: that is the answer (one value repeated a
//   billion times costs one pass, not a copy);
// - buckets one value wide: the bucket is the answer;
// - ranks k and k + 1 in different buckets: one more pass for the largest
//   value of the first and the smallest of the second;
// - the bucket holds at most kMaxHeldValues: one pass copies them and
//   nth_element picks the rank;
// - else the range becomes that bucket (16 bits narrower: at most 4 times).
// Memory: one histogram per part plus at most kMaxHeldValues values.
#include <algorithm>
#include <bit>
#include <cstdint>
#include <limits>
#include <numeric>
#include <stdexcept>
#include <utility>
#include <vector>

#include "data/int128.hpp"
#include "data/run_parts.hpp"

namespace edgehub::data {

// The most values a MEDIAN copies at once (8 bytes each).
inline constexpr std::size_t kMaxHeldValues = std::size_t{1} << 20;

namespace median_detail {

inline constexpr unsigned bucket_bits = 16;
inline constexpr std::size_t bucket_count = (std::size_t{1} << bucket_bits) + 1;
inline constexpr std::int64_t no_min = std::numeric_limits<std::int64_t>::max();
inline constexpr std::int64_t no_max = std::numeric_limits<std::int64_t>::min();

// [lo, hi], both included, cut into buckets of 2^shift values.
struct Range {
  std::int64_t lo;
  std::int64_t hi;
  unsigned shift = 0;

  static Range of(std::int64_t lo, std::int64_t hi) {
    const std::uint64_t width = std::bit_width(offset(lo, hi));
    return Range{lo, hi, static_cast<unsigned>(std::max<int>(0, static_cast<int>(width) - int{bucket_bits}))};
  }
  static std::uint64_t offset(std::int64_t from, std::int64_t v) {
    return static_cast<std::uint64_t>(v) - static_cast<std::uint64_t>(from);
  }
  bool holds(std::int64_t v) const { return v >= lo && v <= hi; }
  std::size_t bucket(std::int64_t v) const { return static_cast<std::size_t>(offset(lo, v) >> shift); }
  // The values of bucket b, as a range of its own.
  Range sub(std::size_t b) const {
    const std::uint64_t first = std::uint64_t{b} << shift;
    const std::uint64_t last = std::min(first + ((std::uint64_t{1} << shift) - 1), offset(lo, hi));
    return of(static_cast<std::int64_t>(static_cast<std::uint64_t>(lo) + first),
              static_cast<std::int64_t>(static_cast<std::uint64_t>(lo) + last));
  }
};

// One part's count of the values in a range, by bucket, with their min and max.
struct Tally {
  std::vector<std::size_t> counts;
  std::int64_t lo = no_min;
  std::int64_t hi = no_max;
};

template <class Source>
std::vector<Tally> tally(const Source& source, const Range& range) {
  std::vector<Tally> each(source.parts());
  run_parts(each.size(), [&](std::size_t i) {
    Tally& t = each[i];
    t.counts.assign(bucket_count, 0);  // allocated by the thread that fills it
    source.visit(i, [&](std::int64_t v) {
      if (!range.holds(v)) return;
      ++t.counts[range.bucket(v)];
      t.lo = std::min(t.lo, v);
      t.hi = std::max(t.hi, v);
    });
  });
  return each;
}

inline Tally merge(const std::vector<Tally>& each) {
  Tally all = each[0];
  for (std::size_t i = 1; i < each.size(); ++i) {
    for (std::size_t b = 0; b < bucket_count; ++b) all.counts[b] += each[i].counts[b];
    all.lo = std::min(all.lo, each[i].lo);
    all.hi = std::max(all.hi, each[i].hi);
  }
  return all;
}

// The bucket holding rank k (0-based), and how many values lie below it.
inline std::pair<std::size_t, std::size_t> bucket_of_rank(const std::vector<std::size_t>& counts, std::size_t k) {
  std::size_t below = 0;
  std::size_t b = 0;
  while (below + counts[b] <= k) below += counts[b++];
  return {b, below};
}

// The largest value of `left` and the smallest of `right`.
template <class Source>
std::pair<std::int64_t, std::int64_t> edges(const Source& source, const Range& left, const Range& right) {
  std::vector<std::pair<std::int64_t, std::int64_t>> each(source.parts(), {no_max, no_min});
  run_parts(each.size(), [&](std::size_t i) {
    auto& [top, bottom] = each[i];
    source.visit(i, [&](std::int64_t v) {
      if (left.holds(v)) top = std::max(top, v);
      if (right.holds(v)) bottom = std::min(bottom, v);
    });
  });
  std::pair<std::int64_t, std::int64_t> both{no_max, no_min};
  for (const auto& [top, bottom] : each) both = {std::max(both.first, top), std::min(both.second, bottom)};
  return both;
}

// The values in `range`, of which each part holds counts[part].
template <class Source>
std::vector<std::int64_t> collect(const Source& source, const Range& range, const std::vector<std::size_t>& counts) {
  std::size_t total = 0;
  std::vector<std::size_t> starts;
  for (const std::size_t c : counts) starts.push_back(std::exchange(total, total + c));
  std::vector<std::int64_t> values(total);
  run_parts(counts.size(), [&](std::size_t i) {
    std::size_t n = 0;
    source.visit(i, [&](std::int64_t v) {
      if (range.holds(v) && n < counts[i]) values[starts[i] + n++] = v;
    });
    if (n != counts[i]) throw std::runtime_error("the file changed while MEDIAN read it");
  });
  return values;
}

}  // namespace median_detail

// Ranks k and k + 1 (k alone when !two) of the n values in [lo, hi]; returns
// their sum (twice the value for k alone). Copies at most max_held values.
template <class Source>
Int128 select_middle(const Source& source, std::size_t n, std::int64_t lo, std::int64_t hi, std::size_t k, bool two,
                     std::size_t max_held = kMaxHeldValues) {
  using namespace median_detail;
  Range range = Range::of(lo, hi);
  for (;;) {
    const std::vector<Tally> each = tally(source, range);
    const Tally all = merge(each);
    // Every pass must see the values the first one counted (a stored file
    // is replaced by rename, never rewritten in place; this is the guard).
    if (std::accumulate(all.counts.begin(), all.counts.end(), std::size_t{0}) != n)
      throw std::runtime_error("the file changed while MEDIAN read it");
    if (all.lo == all.hi) return Int128{all.lo} * 2;  // every value in range is equal
    const auto [first, below] = bucket_of_rank(all.counts, k);
    const std::size_t last = two ? bucket_of_rank(all.counts, k + 1).first : first;
    if (range.shift == 0) return Int128{range.sub(first).lo} + Int128{range.sub(last).lo};
    if (first != last) {
      const auto [x, y] = edges(source, range.sub(first), range.sub(last));
      return Int128{x} + Int128{y};
    }
    if (all.counts[first] <= max_held) {
      std::vector<std::size_t> per_part;
      for (const Tally& t : each) per_part.push_back(t.counts[first]);
      std::vector<std::int64_t> middle = collect(source, range.sub(first), per_part);
      const auto nth = middle.begin() + static_cast<std::ptrdiff_t>(k - below);
      std::nth_element(middle.begin(), nth, middle.end());
      return Int128{*nth} + Int128{two ? *std::min_element(nth + 1, middle.end()) : *nth};
    }
    n = all.counts[first];
    k -= below;
    range = range.sub(first);
  }
}

}  // namespace edgehub::data
