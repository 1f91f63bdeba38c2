#pragma once
// What to answer for a FileBody, from the request's conditional and Range
// headers (docs/HTTP_API.md#ranges-and-etags): 200, 206, 304 or 416, and
// which bytes. Pure, so every case is a unit test.
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace edgehub::web {

struct FileRequestHeaders {
  std::string_view range;          // "bytes=0-99", or empty
  std::string_view if_range;       // an ETag, or empty
  std::string_view if_none_match;  // ETags, or "*", or empty
};

struct FilePlan {
  unsigned status = 200;
  std::uint64_t offset = 0;
  std::uint64_t length = 0;  // bytes of the body
  std::vector<std::pair<std::string, std::string>> headers;
};

FilePlan plan_file(std::uint64_t size, std::string_view etag, const FileRequestHeaders& request);

}  // namespace edgehub::web
