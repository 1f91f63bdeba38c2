#include "client/core/known_hosts.hpp"

#include <pwd.h>
#include <unistd.h>

#include <charconv>
#include <cstdlib>

#include <fmt/format.h>

namespace edgehub::client {
namespace {

constexpr std::string_view kPrefix = "SHA256:";
constexpr std::size_t kBase64Digits = 43;  // 32 bytes, unpadded

bool is_base64_digit(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/';
}

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r'; }

std::vector<std::string_view> words_of(std::string_view line) {
  std::vector<std::string_view> words;
  std::size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && is_space(line[i])) ++i;
    const std::size_t start = i;
    while (i < line.size() && !is_space(line[i])) ++i;
    if (i > start) words.push_back(line.substr(start, i - start));
  }
  return words;
}

bool valid_port(std::string_view digits) {
  unsigned port = 0;
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), port);
  return ec == std::errc() && end == digits.data() + digits.size() && port >= 1 && port <= 65535 &&
         digits.front() != '0';
}

// HOST:PORT, or [IPV6]:PORT; a host of printable characters without ':'
// (unless bracketed), '[' or ']'.
bool valid_host_port(std::string_view text) {
  const auto colon = text.rfind(':');
  if (colon == std::string_view::npos || colon + 1 >= text.size() || !valid_port(text.substr(colon + 1))) return false;
  std::string_view host = text.substr(0, colon);
  const bool bracketed = host.size() > 2 && host.front() == '[' && host.back() == ']';
  if (bracketed) host = host.substr(1, host.size() - 2);
  if (host.empty()) return false;
  for (const char c : host) {
    if (c <= ' ' || c == 0x7f || c == '[' || c == ']' || c == '#') return false;
    if (c == ':' && !bracketed) return false;
  }
  return true;
}

std::optional<KnownHost> parse_entry(std::string_view line, std::size_t number, std::string& error) {
  const auto words = words_of(line);
  if (words.size() != 2) {
    error = fmt::format("line {}: expected 'HOST:PORT SHA256:...', found {} words", number, words.size());
    return std::nullopt;
  }
  if (!valid_host_port(words[0])) {
    error = fmt::format("line {}: '{}' is not HOST:PORT", number, words[0].substr(0, 80));
    return std::nullopt;
  }
  if (!valid_fingerprint(words[1])) {
    error = fmt::format("line {}: '{}' is not a SHA256:... fingerprint", number, words[1].substr(0, 80));
    return std::nullopt;
  }
  return KnownHost{std::string(words[0]), std::string(words[1]), number};
}

}  // namespace

const KnownHost* KnownHosts::find(std::string_view host_port) const {
  for (const auto& entry : entries)
    if (entry.host_port == host_port) return &entry;
  return nullptr;
}

KnownHosts parse_known_hosts(std::string_view text) {
  KnownHosts result;
  std::size_t number = 0;
  while (!text.empty()) {
    const auto end = text.find('\n');
    const std::string_view line = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
    ++number;
    std::size_t first = 0;
    while (first < line.size() && is_space(line[first])) ++first;
    if (first == line.size() || line[first] == '#') continue;
    std::string error;
    auto entry = parse_entry(line, number, error);
    if (!entry) {
      result.entries.clear();
      result.error = std::move(error);
      return result;
    }
    result.entries.push_back(std::move(*entry));
  }
  return result;
}

bool valid_fingerprint(std::string_view text) {
  if (!text.starts_with(kPrefix) || text.size() != kPrefix.size() + kBase64Digits) return false;
  for (const char c : text.substr(kPrefix.size()))
    if (!is_base64_digit(c)) return false;
  return true;
}

std::string host_port_key(std::string_view host, std::uint16_t port) {
  if (host.find(':') != std::string_view::npos) return fmt::format("[{}]:{}", host, port);
  return fmt::format("{}:{}", host, port);
}

std::string known_host_line(std::string_view host_port, std::string_view fingerprint) {
  return fmt::format("{} {}\n", host_port, fingerprint);
}

std::filesystem::path known_hosts_path() {
  const char* xdg = std::getenv("XDG_CONFIG_HOME");
  if (xdg != nullptr && *xdg == '/') return std::filesystem::path(xdg) / "edgehub" / "known_hosts";
  const char* home = std::getenv("HOME");
  std::filesystem::path base;
  if (home != nullptr && *home != '\0') {
    base = home;
  } else if (const passwd* pw = ::getpwuid(::getuid()); pw != nullptr && pw->pw_dir != nullptr) {
    base = pw->pw_dir;
  }
  return base / ".config" / "edgehub" / "known_hosts";
}

}  // namespace edgehub::client
