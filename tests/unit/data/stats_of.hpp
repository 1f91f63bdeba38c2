#pragma once
// Statistics over a few values, written inline in a test.
#include <cstdint>
#include <initializer_list>

#include "data/stats.hpp"

namespace edgehub::data::test {

inline Stats stats_of(std::initializer_list<std::int64_t> values) {
  Stats s;
  for (auto v : values) s.add(v);
  return s;
}

}  // namespace edgehub::data::test
