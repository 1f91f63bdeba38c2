#pragma once
// The statistics kept beside a stored upload, so SUM/AVERAGE/MIN/MAX/COUNT/
// STDDEV answer in O(1) without re-reading the data. One text line:
//
//   edgehub-stats 1 count=3 sum=-6 min=-3 max=-1 sumsq=14
//
// sum and sumsq are exact decimals (up to 39 and 57 digits); an empty file
// has min=- max=-. Parsing is strict: any other line is refused (nullopt).
#include <optional>
#include <string>
#include <string_view>

#include "data/stats.hpp"

namespace edgehub::data {

// Ends in '\n'.
std::string serialize_stats(const Stats& s);

// Accepts the line with or without its '\n'.
std::optional<Stats> parse_stats(std::string_view line);

}  // namespace edgehub::data
