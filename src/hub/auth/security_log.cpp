#include "hub/auth/security_log.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cctype>

namespace edgehub::hub {
namespace {

constexpr std::size_t kMaxLoggedName = 32;

// At most max characters of text, each one `keep` refuses replaced by '?';
// empty text becomes "-", so every field stays one word.
template <typename Keep>
std::string reduced(std::string_view text, std::size_t max, Keep keep) {
  if (text.empty()) return "-";
  std::string out(text.substr(0, max));
  std::replace_if(
      out.begin(), out.end(), [&](unsigned char c) { return !keep(c); }, '?');
  return out;
}

bool name_char(unsigned char c) { return std::isalnum(c) != 0 || c == '_' || c == '.' || c == '-'; }
bool address_char(unsigned char c) { return std::isxdigit(c) != 0 || c == '.' || c == ':'; }
// The detail ends the line: it may hold spaces, never a line break.
bool detail_char(unsigned char c) { return std::iscntrl(c) == 0; }

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
    case SecurityEvent::cert_refused:
      return "cert_refused";
    case SecurityEvent::limit:
      return "limit";
    case SecurityEvent::unlock:
      return "unlock";
    case SecurityEvent::reset_password:
      return "reset_password";
    case SecurityEvent::delete_account:
      return "delete_account";
  }
  return "unknown";
}

std::string loggable_user(std::string_view name) { return reduced(name, kMaxLoggedName, name_char); }

std::string security_line(SecurityEvent event, std::string_view addr, std::string_view user, std::string_view detail) {
  std::string line = "security: event=";
  line += security_event_name(event);
  line += " addr=";
  line += reduced(addr, 64, address_char);
  line += " user=";
  line += loggable_user(user);
  if (!detail.empty()) {
    line += " detail=";
    line += reduced(detail, 200, detail_char);
  }
  return line;
}

void log_security_event(SecurityEvent event, std::string_view addr, std::string_view user, std::string_view detail) {
  spdlog::warn("{}", security_line(event, addr, user, detail));
}

void log_admin_action(SecurityEvent event, std::string_view addr, std::string_view user, std::string_view admin) {
  spdlog::warn("{} by={}", security_line(event, addr, user), loggable_user(admin));
}

}  // namespace edgehub::hub
