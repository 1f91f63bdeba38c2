#pragma once
// What both HTTP uploads (PUT /api/v1/files/NAME, PUT /api/v1/edge-data/ID)
// read from the headers before they accept a byte: the size, which the hub
// checks and reserves up front as for `put` / `UED`, and the SHA-256 the
// sender may declare (X-Content-SHA256), checked at the end as theirs is.
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

#include "web/core/route.hpp"

namespace edgehub::web::api {

inline constexpr std::string_view kSha256Header = "X-Content-SHA256";

struct UploadHeaders {
  std::uint64_t size = 0;
  std::string sha256;  // lower-case hex; empty: not declared
};

// The headers, or the error to answer: 411 without Content-Length (a
// chunked body has no size to check and reserve), 400 for a malformed
// X-Content-SHA256.
std::variant<ApiResponse, UploadHeaders> upload_headers(const ApiRequest& request);

}  // namespace edgehub::web::api
