#include "data/reference_scan.hpp"

#include <vector>

namespace edgehub::data {

namespace {

LineCheck judge(std::string_view line) {
  if (line.empty()) return {LineProblem::empty, 0, 0};
  const std::size_t start = line[0] == '-' ? 1 : 0;
  std::size_t bad = start;
  while (bad < line.size() && line[bad] >= '0' && line[bad] <= '9') ++bad;
  const std::size_t digits = bad - start;
  if (digits >= 20) return {LineProblem::too_many_digits, 0, 0};
  if (bad < line.size()) return {LineProblem::bad_character, 0, line[bad]};
  if (digits == 0) return {LineProblem::no_digits, 0, 0};
  Int128 v = 0;
  for (std::size_t i = start; i < line.size(); ++i) v = v * 10 + (line[i] - '0');
  if (start == 1) v = -v;
  if (v > Int128{INT64_MAX} || v < Int128{INT64_MIN}) return {LineProblem::out_of_range, 0, 0};
  return {LineProblem::none, static_cast<std::int64_t>(v), 0};
}

std::vector<std::string_view> lines_of(std::string_view all) {
  std::vector<std::string_view> lines;
  while (!all.empty()) {
    const auto nl = all.find('\n');
    if (nl == std::string_view::npos) {
      lines.push_back(all);  // last line without '\n': kept verbatim
      break;
    }
    std::string_view line = all.substr(0, nl);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    lines.push_back(line);
    all.remove_prefix(nl + 1);
  }
  return lines;
}

}  // namespace

ReferenceResult reference_scan(std::string_view all) {
  ReferenceResult r;
  for (const std::string_view line : lines_of(all)) {
    const LineCheck c = judge(line);
    if (c.problem != LineProblem::none) {
      r.ok = false;
      r.bad_line = r.count + 1;
      r.problem = c.problem;
      r.offending = c.offending;
      return r;
    }
    r.min = r.count == 0 || c.value < r.min ? c.value : r.min;
    r.max = r.count == 0 || c.value > r.max ? c.value : r.max;
    ++r.count;
    r.sum += c.value;
    const Int128 v = c.value;
    r.sumsq += UInt256(static_cast<UInt128>(v * v));
  }
  return r;
}

}  // namespace edgehub::data
