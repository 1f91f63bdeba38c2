#include "hub/auth/security_log.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cctype>

namespace edgehub::hub {
namespace {

constexpr std::size_t kMaxLoggedName = 32;

bool safe_char(unsigned char c) { return std::isalnum(c) != 0 || c == '_' || c == '.' || c == '-'; }

// The detail ends the line: it may hold spaces, never a line break.
std::string one_line(std::string_view text) {
  std::string out(text.substr(0, 200));
  std::replace_if(
      out.begin(), out.end(), [](unsigned char c) { return std::iscntrl(c) != 0; }, '?');
  return out;
}

// From the socket, so already an address; reduced all the same.
std::string loggable_addr(std::string_view addr) {
  if (addr.empty()) return "-";
  std::string out(addr.substr(0, 64));
  std::replace_if(
      out.begin(), out.end(), [](unsigned char c) { return std::isxdigit(c) == 0 && c != '.' && c != ':'; }, '?');
  return out;
}

}  // namespace

std::string_view security_event_name(SecurityEvent event) {
  switch (event) {
    case SecurityEvent::login_failed:
      return "login_failed";
    case SecurityEvent::lockout:
      return "lockout";
    case SecurityEvent::blocked_attempt:
      return "blocked_attempt";
    case SecurityEvent::resume_failed:
      return "resume_failed";
    case SecurityEvent::path_refused:
      return "path_refused";
  }
  return "unknown";
}

std::string loggable_user(std::string_view name) {
  if (name.empty()) return "-";
  std::string out(name.substr(0, kMaxLoggedName));
  std::replace_if(
      out.begin(), out.end(), [](unsigned char c) { return !safe_char(c); }, '?');
  return out;
}

std::string security_line(SecurityEvent event, std::string_view addr, std::string_view user, std::string_view detail) {
  std::string line = "security: event=";
  line += security_event_name(event);
  line += " addr=";
  line += loggable_addr(addr);
  line += " user=";
  line += loggable_user(user);
  if (!detail.empty()) {
    line += " detail=";
    line += one_line(detail);
  }
  return line;
}

void log_security_event(SecurityEvent event, std::string_view addr, std::string_view user, std::string_view detail) {
  spdlog::warn("{}", security_line(event, addr, user, detail));
}

}  // namespace edgehub::hub
