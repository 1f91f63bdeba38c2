#pragma once
// MEDIAN of a stored upload: map the file and parse it with the same
// scanner as the upload validator (fast path, no per-line allocation), once
// to check it and find count, min and max, then again for each step of the
// selection (median_select.hpp): a 65536-bucket histogram narrows the range
// to the middle bucket until its values are few enough to copy, or all
// equal. No array of all values: memory stays bounded whatever the data
// (docs/EDGE_DATA.md#median-in-bounded-memory). Files from 4 MiB up are cut
// at a newline into two parts, each parsed on a thread of its own on every
// pass; an exception in either becomes an error answer, never a crash.
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

// Empty input gives count 0.
Median median_of(std::span<std::int64_t> values);

// Errors: the file cannot be read, it is not valid ("line 4: ..."), or
// memory ran short (std::bad_alloc in any thread).
Outcome<Median> median_of_file(const std::filesystem::path& path);

}  // namespace edgehub::data
