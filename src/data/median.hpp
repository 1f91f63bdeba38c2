#pragma once
// MEDIAN of a stored upload: map the file, parse it with the same scanner as
// the upload validator (fast path, no per-line allocation) into one flat
// array, then select the middle by a 65536-bucket histogram over [min, max]
// followed by nth_element on the few values of the middle bucket. Files
// from 4 MiB up are cut at a newline into two parts, each parsed (with its
// min and max), counted into the histogram and searched for the middle
// bucket's values on a thread of its own.
//
// Even counts: the median is the mean of the two middle values, exact:
// it is carried as twice its value and printed with ".5" when needed.
#include <cstdint>
#include <filesystem>
#include <span>

#include "data/int128.hpp"
#include "data/outcome.hpp"

namespace edgehub::data {

struct Median {
  std::uint64_t count = 0;  // 0: the file holds no values, no median
  Int128 twice = 0;         // 2 * median: the sum of the two middle values (or twice the middle one)
};

// Reorders `values`. Empty input gives count 0.
Median median_of(std::span<std::int64_t> values);

// Errors: the file cannot be read, or it is not valid ("line 4: ...").
Outcome<Median> median_of_file(const std::filesystem::path& path);

}  // namespace edgehub::data
