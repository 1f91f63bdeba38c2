// Route lookup: patterns are matched segment by segment; "{name}" takes one
// segment. A handful of routes, so a linear scan is enough.
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <stdexcept>

#include "web/core/route.hpp"

namespace edgehub::web {
namespace {

std::vector<std::string_view> split_path(std::string_view path) {
  std::vector<std::string_view> segments;
  std::size_t start = 1;  // paths start with '/'
  while (start <= path.size()) {
    std::size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    segments.push_back(path.substr(start, end - start));
    start = end + 1;
  }
  return segments;
}

bool is_param(std::string_view segment) {
  return segment.size() >= 2 && segment.front() == '{' && segment.back() == '}';
}

// The raw values of the pattern's parameters if the path matches it.
std::optional<std::vector<std::string>> match_pattern(std::string_view pattern, std::string_view path) {
  if (path.empty() || path.front() != '/') return std::nullopt;
  auto want = split_path(pattern);
  auto have = split_path(path);
  if (want.size() != have.size()) return std::nullopt;
  std::vector<std::string> params;
  for (std::size_t i = 0; i < want.size(); ++i) {
    if (is_param(want[i])) {
      if (have[i].empty()) return std::nullopt;
      params.emplace_back(have[i]);
    } else if (want[i] != have[i]) {
      return std::nullopt;
    }
  }
  return params;
}

}  // namespace

void Router::add(Route route) {
  for (const auto& r : routes_)
    if (r.method == route.method && r.pattern == route.pattern)
      throw std::logic_error("route added twice: " + route.pattern);
  routes_.push_back(std::move(route));
}

Router::Match Router::find(http::verb method, std::string_view raw_path, bool* path_known) const {
  if (path_known) *path_known = false;
  for (const auto& r : routes_) {
    auto params = match_pattern(r.pattern, raw_path);
    if (!params) continue;
    if (path_known) *path_known = true;
    if (r.method == method) return {&r, std::move(*params)};
  }
  return {};
}

ApiResponse json_error(unsigned status, std::string_view code, std::string_view message) {
  boost::json::object body;
  body["status"] = status;
  body["code"] = code;
  body["message"] = message;
  ApiResponse response;
  response.status = status;
  response.body = boost::json::serialize(body);
  return response;
}

}  // namespace edgehub::web
