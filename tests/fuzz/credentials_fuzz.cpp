// Fuzzes the credentials file parser (hub/auth/credentials.hpp), which reads
// a file an operator may have edited by hand.
// Invariants checked:
//   - every entry has a valid device name and a non-empty password without
//     whitespace, and no name twice;
//   - each non-blank, non-comment line gives exactly one entry or one warning;
//   - the entries written back as "name password" lines parse to the same
//     entries with no warning.
#include <cstdint>
#include <cstdlib>
#include <set>
#include <string>
#include <string_view>

#include "hub/auth/credentials.hpp"

namespace {

using namespace edgehub::hub;

void check(bool condition) {
  if (!condition) std::abort();
}

bool has_whitespace(std::string_view s) {
  for (char c : s)
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f') return true;
  return false;
}

std::size_t counted_lines(std::string_view text) {
  std::size_t n = 0;
  while (!text.empty()) {
    const auto nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (!line.empty() && line.front() != '#') ++n;
  }
  return n;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const ParsedCredentials parsed = parse_credentials(text);
  std::set<std::string> names;
  std::string written;
  for (const auto& entry : parsed.entries) {
    check(is_valid_device_name(entry.name));
    check(!entry.password.empty() && !has_whitespace(entry.password));
    check(names.insert(entry.name).second);
    written += entry.name + " " + entry.password + "\n";
  }
  check(parsed.entries.size() + parsed.warnings.size() == counted_lines(text));
  const ParsedCredentials again = parse_credentials(written);
  check(again.warnings.empty());
  check(again.entries.size() == parsed.entries.size());
  for (std::size_t i = 0; i < again.entries.size(); ++i) {
    check(again.entries[i].name == parsed.entries[i].name);
    check(again.entries[i].password == parsed.entries[i].password);
  }
  return 0;
}
