#pragma once
// The client's pinned server certificates (docs/SECURITY.md#tls), one
// `HOST:PORT SHA256:...` line per server, in the style of SSH's
// known_hosts. Lines starting with '#' and blank lines are ignored; any
// other line that is not an entry makes the whole file refused, with its
// line number: a pin file that does not say what it means must not be
// guessed at. Pure text functions, fuzzed (tests/fuzz/known_hosts_fuzz.cpp).
#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace edgehub::client {

struct KnownHost {
  std::string host_port;    // "127.0.0.1:7475", "[::1]:7475", "hub.example.org:7475"
  std::string fingerprint;  // "SHA256:" + 43 base64 characters
  std::size_t line = 0;     // 1-based
};

struct KnownHosts {
  std::vector<KnownHost> entries;
  std::optional<std::string> error;  // "line 3: ...": the file is not used

  // The first entry for host_port.
  const KnownHost* find(std::string_view host_port) const;
};

KnownHosts parse_known_hosts(std::string_view text);

// "SHA256:" then the unpadded base64 of 32 bytes, as `ssh-keygen -l` prints.
bool valid_fingerprint(std::string_view text);
// The key of a server in the file: its host as given and its port.
std::string host_port_key(std::string_view host, std::uint16_t port);
// One line of the file, with its newline.
std::string known_host_line(std::string_view host_port, std::string_view fingerprint);

// $XDG_CONFIG_HOME/edgehub/known_hosts, else ~/.config/edgehub/known_hosts.
std::filesystem::path known_hosts_path();

}  // namespace edgehub::client
