#include "protocol/reply.hpp"

#include <fmt/format.h>

namespace edgehub::protocol {
namespace {

void append_single_line(std::string& out, std::string_view text) {
  for (char c : text) out.push_back(c == '\n' || c == '\r' ? ' ' : c);
}

std::string prefixed(std::string_view prefix, std::string_view text) {
  std::string out;
  out.reserve(prefix.size() + text.size() + 2);
  out.append(prefix);
  if (!text.empty()) {
    out.push_back(' ');
    append_single_line(out, text);
  }
  out.push_back('\n');
  return out;
}

}  // namespace

std::string encode_ok(std::string_view text) { return prefixed("+OK", text); }

std::string encode_err(StatusCode code, std::string_view text) {
  return prefixed(fmt::format("-ERR {}", to_int(code)), text);
}

std::string encode_list(std::string_view summary, const std::vector<std::string>& lines) {
  std::string out = prefixed(fmt::format("*{}", lines.size()), summary);
  for (const auto& line : lines) {
    append_single_line(out, line);
    out.push_back('\n');
  }
  return out;
}

std::string encode_event(std::string_view event, std::string_view text) {
  return prefixed(fmt::format("!{}", event), text);
}

std::string encode_block_header(std::size_t size) { return fmt::format("${}\n", size); }

}  // namespace edgehub::protocol
