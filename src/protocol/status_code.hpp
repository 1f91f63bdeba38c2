#pragma once
// Status codes of "-ERR CODE TEXT" replies; modelled on HTTP so that they
// read naturally. The text is for people, the code for programs.
namespace edgehub::protocol {

enum class StatusCode : int {
  BadRequest = 400,       // malformed command, bad arguments, bad bytes
  AuthFailed = 401,       // wrong username or password (same answer for both)
  Forbidden = 403,        // not allowed: not logged in, blocked by the recipient
  NotFound = 404,         // unknown user, file, or data
  Conflict = 409,         // already logged in, name already taken
  TooLarge = 413,         // over a documented size limit
  AccountBlocked = 423,   // too many failed logins: locked for --block-seconds
  TooManyRequests = 429,  // an abuse limit of the client's address (docs/SECURITY.md#abuse-limits)
  Timeout = 408,          // login or idle timeout
  Internal = 500,         // a server fault; the command had no effect
  Unavailable = 503,      // server full, shutting down
  DiskFull = 507,         // the server's disk is full: nothing was stored
};

inline int to_int(StatusCode c) { return static_cast<int>(c); }

}  // namespace edgehub::protocol
