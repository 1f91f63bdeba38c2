// Decoding of request targets (docs/HTTP_API.md#the-http-server).
#include "web/server/request_target.hpp"

#include "protocol/utf8.hpp"

#include <cctype>
#include <cstdint>

namespace edgehub::web {
namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool is_dot_segment(std::string_view segment) { return segment == "." || segment == ".."; }

// Every segment of a decoded path; false if one is "." or "..".
bool no_dot_segments(std::string_view path) {
  std::size_t start = 0;
  while (start <= path.size()) {
    std::size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    if (is_dot_segment(path.substr(start, end - start))) return false;
    start = end + 1;
  }
  return true;
}

bool parse_query(std::string_view text, std::multimap<std::string, std::string>& out) {
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('&', start);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view pair = text.substr(start, end - start);
    start = end + 1;
    if (pair.empty()) continue;
    const std::size_t eq = pair.find('=');
    auto key = percent_decode(pair.substr(0, eq), true);
    auto value = percent_decode(eq == std::string_view::npos ? std::string_view{} : pair.substr(eq + 1), true);
    if (!key || !value) return false;
    out.emplace(std::move(*key), std::move(*value));
  }
  return true;
}

}  // namespace

std::optional<std::string> percent_decode(std::string_view text, bool plus_is_space) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '%') {
      if (i + 2 >= text.size()) return std::nullopt;
      const int hi = hex_value(text[i + 1]), lo = hex_value(text[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      c = static_cast<char>(hi * 16 + lo);
      i += 2;
    } else if (c == '+' && plus_is_space) {
      c = ' ';
    }
    if (c == '\0') return std::nullopt;
    out.push_back(c);
  }
  if (!protocol::is_valid_utf8(out)) return std::nullopt;
  return out;
}

std::optional<DecodedTarget> decode_target(std::string_view target) {
  if (target.empty() || target.front() != '/') return std::nullopt;
  const std::size_t q = target.find('?');
  DecodedTarget out;
  out.raw_path = std::string(target.substr(0, q));
  auto path = percent_decode(out.raw_path);
  // A raw "." or ".." segment holds no escape, so it decodes to itself:
  // checking the decoded path covers both spellings.
  if (!path || !no_dot_segments(*path)) return std::nullopt;
  out.path = std::move(*path);
  if (q != std::string_view::npos && !parse_query(target.substr(q + 1), out.query)) return std::nullopt;
  return out;
}

std::optional<std::string> decode_param(std::string_view raw) {
  auto value = percent_decode(raw);
  if (!value || value->empty() || value->find('/') != std::string::npos || is_dot_segment(*value)) return std::nullopt;
  return value;
}

std::string content_disposition(std::string_view name) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string fallback, encoded;
  bool ascii = true;
  for (const char ch : name) {
    const auto c = static_cast<unsigned char>(ch);
    const bool plain = c > 0x20 && c < 0x7F && c != '"' && c != '\\' && c != '%' && c != ';' && c != ',';
    fallback.push_back(plain || c == ' ' ? ch : '_');
    if (c >= 0x80) ascii = false;
    const bool attr_char = std::isalnum(c) || std::string_view("!#$&+-.^_`|~").find(ch) != std::string_view::npos;
    if (attr_char) {
      encoded.push_back(ch);
    } else {
      encoded.push_back('%');
      encoded.push_back(kHex[c >> 4]);
      encoded.push_back(kHex[c & 15]);
    }
  }
  std::string header = "attachment; filename=\"" + fallback + "\"";
  if (!ascii || fallback != name) header += "; filename*=UTF-8''" + encoded;
  return header;
}

}  // namespace edgehub::web
