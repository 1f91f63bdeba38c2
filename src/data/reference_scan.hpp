#pragma once
// A deliberately plain, slow implementation of the same line rules, written
// independently of the fast scanner: the oracle for unit tests and the fuzz
// target. Not for production use (it holds the whole input).
#include <cstdint>
#include <string_view>

#include "data/line_check.hpp"
#include "data/uint256.hpp"

namespace edgehub::data {

struct ReferenceResult {
  bool ok = true;
  std::uint64_t bad_line = 0;  // 1-based, when !ok
  LineProblem problem = LineProblem::none;
  char offending = 0;
  std::uint64_t count = 0;
  Int128 sum = 0;
  std::int64_t min = 0, max = 0;  // when count > 0
  UInt256 sumsq;
};

ReferenceResult reference_scan(std::string_view all);

}  // namespace edgehub::data
