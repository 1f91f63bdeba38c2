#pragma once
// A histogram of an edge data file's values, computed on the server so the
// browser never gets the raw file (docs/HTTP_API.md#edge-data): equal-width
// bins from the smallest to the largest value. Pure: text in, bins out.
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace edgehub::data {

struct HistogramBin {
  double lo = 0;  // inclusive
  double hi = 0;  // exclusive, except for the last bin, which holds max
  std::uint64_t count = 0;
};

struct Histogram {
  std::uint64_t values = 0;
  std::int64_t min = 0, max = 0;   // meaningful when values > 0
  std::vector<HistogramBin> bins;  // empty when values == 0
};

// The values of a stored (already validated) data file: one integer per
// line. At most `bins` bins (fewer when the values span fewer integers).
Histogram histogram_of_lines(std::string_view text, std::size_t bins);

}  // namespace edgehub::data
