#pragma once
// Security events, one parseable line each (docs/SECURITY.md#security-log):
//   security: event=login_failed addr=192.0.2.7 user=bob
// The address comes first and the user name is reduced to safe characters,
// so a name chosen by an attacker ("x addr=10.0.0.1") can never put another
// address where contrib/fail2ban's filter looks for one.
#include <string>
#include <string_view>

namespace edgehub::hub {

enum class SecurityEvent {
  login_failed,     // wrong name or password
  lockout,          // this failure blocked the name
  blocked_attempt,  // a login while the name is blocked
  resume_failed,    // an invalid or expired resume token
  path_refused,     // a file name or path the server refused as unsafe
  cert_refused,     // a device certificate refused: untrusted, revoked, or naming another account
  limit,            // an abuse limit refused a connection or a login (hub/abuse/limit_log.hpp)
  unlock,           // an admin unlocked the account (the web console)
  reset_password,   // an admin set the account's password (the web console)
  delete_account,   // an admin deleted the account (the web console)
};

std::string_view security_event_name(SecurityEvent event);
// At most 32 characters of [A-Za-z0-9_.-]; anything else becomes '?'; an
// empty name becomes "-".
std::string loggable_user(std::string_view name);
std::string security_line(SecurityEvent event, std::string_view addr, std::string_view user,
                          std::string_view detail = {});
void log_security_event(SecurityEvent event, std::string_view addr, std::string_view user,
                        std::string_view detail = {});
// An admin's action on an account: the line of log_security_event plus
// " by=ADMIN" (the admin's name reduced like user); never a password.
void log_admin_action(SecurityEvent event, std::string_view addr, std::string_view user, std::string_view admin);

}  // namespace edgehub::hub
