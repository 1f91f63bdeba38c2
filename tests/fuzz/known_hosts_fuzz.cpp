// Fuzzes the client's known_hosts parser (client/core/known_hosts.hpp): the
// file of pinned server certificates, which a person may edit by hand.
// Invariants checked:
//   - either an error (then no entries) or only valid entries: HOST:PORT
//     without whitespace, a valid SHA256:... fingerprint, line numbers
//     rising and within the text;
//   - the entries written back with known_host_line parse to the same
//     entries, numbered 1, 2, 3, ...;
//   - find() returns the first entry of a host.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "client/core/known_hosts.hpp"

namespace {

using namespace edgehub::client;

void check(bool condition) {
  if (!condition) std::abort();
}

std::size_t line_count(std::string_view text) {
  std::size_t n = 1;
  for (const char c : text) n += c == '\n' ? 1 : 0;
  return n;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const KnownHosts hosts = parse_known_hosts(text);
  if (hosts.error) {
    check(hosts.entries.empty());
    check(hosts.error->starts_with("line "));
    return 0;
  }
  std::string written;
  std::size_t last_line = 0;
  for (const auto& entry : hosts.entries) {
    check(valid_fingerprint(entry.fingerprint));
    check(!entry.host_port.empty() && entry.host_port.find_first_of(" \t\r\n") == std::string::npos);
    check(entry.line > last_line && entry.line <= line_count(text));
    last_line = entry.line;
    check(hosts.find(entry.host_port) != nullptr);
    written += known_host_line(entry.host_port, entry.fingerprint);
  }
  const KnownHosts again = parse_known_hosts(written);
  check(!again.error && again.entries.size() == hosts.entries.size());
  for (std::size_t i = 0; i < again.entries.size(); ++i) {
    check(again.entries[i].host_port == hosts.entries[i].host_port);
    check(again.entries[i].fingerprint == hosts.entries[i].fingerprint);
    check(again.entries[i].line == i + 1);
  }
  return 0;
}
