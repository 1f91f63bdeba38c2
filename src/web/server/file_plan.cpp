// Range and ETag rules for file responses (docs/HTTP_API.md#ranges-and-etags).
#include "web/server/file_plan.hpp"

#include <charconv>
#include <optional>

namespace edgehub::web {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::optional<std::uint64_t> number(std::string_view s) {
  if (s.empty()) return std::nullopt;
  std::uint64_t v = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return v;
}

// One of If-None-Match's comma-separated tags equals `etag` (weak
// comparison: a W/ prefix is ignored), or it is "*".
bool none_match_hits(std::string_view header, std::string_view etag) {
  if (trim(header) == "*") return true;
  std::size_t start = 0;
  while (start <= header.size()) {
    std::size_t end = header.find(',', start);
    if (end == std::string_view::npos) end = header.size();
    auto tag = trim(header.substr(start, end - start));
    if (tag.starts_with("W/")) tag.remove_prefix(2);
    if (!etag.empty() && tag == etag) return true;
    start = end + 1;
  }
  return false;
}

enum class RangeKind { None, Single, Unsatisfiable };
struct ParsedRange {
  RangeKind kind = RangeKind::None;
  std::uint64_t first = 0, last = 0;
};

// A single "bytes=" range; anything else (several ranges, another unit,
// bad syntax) is ignored and the whole file is sent.
ParsedRange parse_range(std::string_view header, std::uint64_t size) {
  header = trim(header);
  if (!header.starts_with("bytes=")) return {};
  const std::string_view spec = trim(header.substr(6));
  if (spec.find(',') != std::string_view::npos) return {};
  const std::size_t dash = spec.find('-');
  if (dash == std::string_view::npos) return {};
  const auto first = number(trim(spec.substr(0, dash)));
  const auto last = number(trim(spec.substr(dash + 1)));
  const bool first_empty = trim(spec.substr(0, dash)).empty(), last_empty = trim(spec.substr(dash + 1)).empty();
  if (first_empty) {  // suffix: the last N bytes
    if (!last) return {};
    if (*last == 0 || size == 0) return {RangeKind::Unsatisfiable};
    const std::uint64_t n = std::min(*last, size);
    return {RangeKind::Single, size - n, size - 1};
  }
  if (!first || (!last && !last_empty)) return {};
  if (last && *last < *first) return {};
  if (*first >= size) return {RangeKind::Unsatisfiable};
  return {RangeKind::Single, *first, last ? std::min(*last, size - 1) : size - 1};
}

}  // namespace

FilePlan plan_file(std::uint64_t size, std::string_view etag, const FileRequestHeaders& request) {
  FilePlan plan;
  plan.headers.emplace_back("Accept-Ranges", "bytes");
  if (!etag.empty()) plan.headers.emplace_back("ETag", std::string(etag));
  if (!request.if_none_match.empty() && none_match_hits(request.if_none_match, etag)) {
    plan.status = 304;
    return plan;
  }
  plan.length = size;
  // If-Range: the range holds only for the same (strong) version.
  const bool range_allowed = request.if_range.empty() || (!etag.empty() && trim(request.if_range) == etag);
  if (request.range.empty() || !range_allowed) return plan;
  const auto range = parse_range(request.range, size);
  if (range.kind == RangeKind::Unsatisfiable) {
    plan.status = 416;
    plan.length = 0;
    plan.headers.emplace_back("Content-Range", "bytes */" + std::to_string(size));
  } else if (range.kind == RangeKind::Single) {
    plan.status = 206;
    plan.offset = range.first;
    plan.length = range.last - range.first + 1;
    plan.headers.emplace_back("Content-Range", "bytes " + std::to_string(range.first) + "-" +
                                                   std::to_string(range.last) + "/" + std::to_string(size));
  }
  return plan;
}

}  // namespace edgehub::web
