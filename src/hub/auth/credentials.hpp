#pragma once
// The credentials file: "name password" lines, one space, case-sensitive,
// no whitespace inside either. Parsing is pure; bad lines are reported with
// their number and skipped.
#include <string>
#include <string_view>
#include <vector>

namespace edgehub::hub {

struct Credential {
  std::string name;
  std::string password;
};

struct ParsedCredentials {
  std::vector<Credential> entries;
  std::vector<std::string> warnings;  // "line 3: ..." for each skipped line
};

ParsedCredentials parse_credentials(std::string_view text);

// Device names appear in file names and protocol words: 1..32 characters of
// [A-Za-z0-9_.-], not starting with '.' or '-'.
bool is_valid_device_name(std::string_view name);

}  // namespace edgehub::hub
