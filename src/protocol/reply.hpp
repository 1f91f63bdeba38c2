#pragma once
// Encoding of what the server sends (docs/PROTOCOL.md, "Server frames"):
//   +OK TEXT                  success
//   -ERR CODE TEXT            failure, CODE as in status_code.hpp
//   *N TEXT + N lines         success with a listing
//   !EVENT TEXT               asynchronous event, never a reply
//   $N + N bytes              binary block (file data)
// Text is made single-line: any "\r" or "\n" inside becomes a space.
#include <string>
#include <string_view>
#include <vector>

#include "protocol/status_code.hpp"

namespace edgehub::protocol {

std::string encode_ok(std::string_view text);
std::string encode_err(StatusCode code, std::string_view text);
std::string encode_list(std::string_view summary, const std::vector<std::string>& lines);
std::string encode_event(std::string_view event, std::string_view text);
std::string encode_block_header(std::size_t size);

}  // namespace edgehub::protocol
