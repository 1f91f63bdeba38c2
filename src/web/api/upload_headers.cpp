#include "web/api/upload_headers.hpp"

#include "common/strings.hpp"

namespace edgehub::web::api {

std::variant<ApiResponse, UploadHeaders> upload_headers(const ApiRequest& request) {
  const auto& headers = *request.http;
  const auto length = parse_uint64(headers[http::field::content_length]);
  if (!length)
    return json_error(411, "length_required",
                      "send a Content-Length: the server checks and reserves an upload's size before it starts");
  UploadHeaders out{*length, to_lower(std::string(headers[kSha256Header]))};
  if (!out.sha256.empty() && !is_sha256_hex(out.sha256))
    return json_error(400, "bad_request", "X-Content-SHA256 must be 64 hex digits");
  return out;
}

}  // namespace edgehub::web::api
