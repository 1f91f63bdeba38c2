#include "hub/auth/credentials.hpp"

#include <cctype>
#include <set>

#include <fmt/format.h>

namespace edgehub::hub {

bool is_valid_device_name(std::string_view name) {
  if (name.empty() || name.size() > 32 || name.front() == '.' || name.front() == '-') return false;
  for (char c : name) {
    const bool ok = std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '-';
    if (!ok) return false;
  }
  return true;
}

namespace {

bool has_whitespace(std::string_view s) {
  for (char c : s)
    if (std::isspace(static_cast<unsigned char>(c))) return true;
  return false;
}

}  // namespace

ParsedCredentials parse_credentials(std::string_view text) {
  ParsedCredentials out;
  std::set<std::string, std::less<>> seen;
  std::size_t line_no = 0;
  while (!text.empty()) {
    ++line_no;
    const auto nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty() || line.front() == '#') continue;
    const auto sp = line.find(' ');
    const std::string_view name = line.substr(0, sp);
    const std::string_view password = sp == std::string_view::npos ? std::string_view{} : line.substr(sp + 1);
    if (sp == std::string_view::npos || password.empty() || has_whitespace(password) || has_whitespace(name)) {
      out.warnings.push_back(fmt::format("line {}: expected 'name password' with one space", line_no));
    } else if (!is_valid_device_name(name)) {
      out.warnings.push_back(fmt::format("line {}: '{}' is not a valid device name", line_no, name));
    } else if (!seen.insert(std::string(name)).second) {
      out.warnings.push_back(fmt::format("line {}: duplicate name '{}' ignored", line_no, name));
    } else {
      out.entries.push_back({std::string(name), std::string(password)});
    }
  }
  return out;
}

}  // namespace edgehub::hub
